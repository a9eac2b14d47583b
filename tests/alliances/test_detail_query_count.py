"""The detail page costs the same number of queries however many members, people and rows the application has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import GovernanceMember, PlannedInvestment, WorkPlan, YearlyTarget
from tests.factories import confirmed_member, eligible_alliance

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["officer", "member"])
def test_detail_queries_do_not_grow(client, member, officer, who, request):
    alliance = eligible_alliance(chairman=member.organisation)
    client.force_login(request.getfixturevalue(who))
    url = reverse("alliances:detail", args=[alliance.pk])
    small = queries(client, url)
    plan = WorkPlan.objects.get(alliance=alliance)
    for index in range(20):
        confirmed_member(alliance)
        GovernanceMember.objects.create(alliance=alliance, body="council", person_name=f"理事{index}")
        YearlyTarget.objects.create(work_plan=plan, year=2028 + index, indicator="专利", target_value=5, unit="项")
        PlannedInvestment.objects.create(work_plan=plan, year=2028 + index, source="government", amount=100)
    assert queries(client, url) == small
