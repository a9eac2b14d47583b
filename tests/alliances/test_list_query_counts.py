"""The alliance list and its exports cost the same number of queries for 5 and for 50 alliances."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Membership
from tests.factories import AllianceFactory, OrganisationFactory, confirmed_member

pytestmark = pytest.mark.django_db


def make(count, member_organisation=None):
    for index in range(count):
        alliance = AllianceFactory(chairman=OrganisationFactory())
        confirmed_member(alliance)
        if member_organisation is not None:
            Membership.objects.create(alliance=alliance, organisation=member_organisation,
                                      status=Membership.Status.CONFIRMED if index % 2 else Membership.Status.INVITED)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url_name", "args"), [
    ("alliances:list", []), ("alliances:export", ["csv"]), ("alliances:export", ["xlsx"]),
])
def test_bureau_list_queries_do_not_grow(client, officer, url_name, args):
    client.force_login(officer)
    url = reverse(url_name, args=args) + "?o=-members"
    make(5)
    small = queries(client, url)
    make(45)
    assert queries(client, url) == small


def test_member_list_queries_do_not_grow(client, member):
    client.force_login(member)
    url = reverse("alliances:list")
    make(5, member.organisation)
    small = queries(client, url)
    make(45, member.organisation)
    assert queries(client, url) == small


def test_filtered_list_queries_do_not_grow(client, officer):
    client.force_login(officer)
    url = reverse("alliances:list") + "?q=淄博&state=draft&district=1"
    make(5)
    small = queries(client, url)
    make(45)
    assert queries(client, url) == small


def test_list_query_count_is_small(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    make(5)
    with django_assert_max_num_queries(12):
        client.get(reverse("alliances:list"))
