"""Lists page the same rows whichever end a page is read from, and a cursor walks everything once, each page
at the same cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from alliances.models import Alliance
from tests.factories import AllianceFactory, UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_api():
    return token_client(UserFactory(roles=[Role.OFFICER]))


@pytest.fixture
def alliances():
    """23 alliances whose names tie in threes: a sort by name alone would leave the order within a tie open."""
    return [AllianceFactory(name=f"联盟{n // 3:02d}") for n in range(23)]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("ordering", ["name", "-name", "-created_at", "state"])
def test_every_page_holds_the_rows_of_the_whole_order_from_either_end(officer_api, alliances, ordering):
    everything = _ids(officer_api.get("/api/v1/alliances/", {"ordering": ordering, "page_size": 100}))

    pages = [_ids(officer_api.get("/api/v1/alliances/", {"ordering": ordering, "page_size": 5, "page": page}))
             for page in range(1, 6)]  # pages 4 and 5 lie past the middle: read in the reversed order

    assert [pk for page in pages for pk in page] == everything
    assert sorted(everything) == sorted(alliance.pk for alliance in alliances)


def test_the_list_page_reads_its_last_pages_from_the_other_end_with_the_same_rows(client, alliances):
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    names = [alliance.name for alliance in Alliance.objects.order_by("name", "pk")]

    shown = []
    for page in (1, 2):
        response = client.get("/alliances/", {"o": "name", "page": page})
        shown += [alliance.name for alliance in response.context["page"].object_list]

    assert shown == names  # 20 on the first page, the last 3 read backwards and put in order


def test_a_cursor_walks_every_row_once_in_the_default_order(officer_api, alliances):
    walked, queries, url = [], [], "/api/v1/alliances/?cursor=&page_size=5"
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = officer_api.get(url)
        queries.append(len(captured))
        walked += _ids(response)
        url = response.json()["next"]

    assert walked == list(Alliance.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert len(queries) == 5
    assert len(set(queries[:-1])) == 1  # the last page stops early: it has no next to look for


def test_a_cursor_keeps_the_filters(officer_api, alliances):
    other = AllianceFactory(name="另一个联盟", sector__code="bio-cursor", sector__name="生物医药游标")

    response = officer_api.get("/api/v1/alliances/", {"cursor": "", "sector": other.sector_id})

    assert _ids(response) == [other.pk]
    assert response.json()["next"] is None
