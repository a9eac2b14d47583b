"""The read-only calls API: published calls for every signed-in user, all calls and the funnel for officers."""

import pytest
from rest_framework.test import APIClient

from alliances.models import StateTransition
from alliances.workflow import State
from tests.factories import AllianceFactory

from .conftest import make_call

pytestmark = pytest.mark.django_db


def api_for(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def calls(officer):
    published = make_call(officer, batch_number=1, documents=[{"name": "区县推荐函", "is_required": True}],
                          requires_district_recommendation=True)
    draft = make_call(officer, batch_number=2, publish=False)
    return published, draft


def test_members_list_only_published_calls(member, calls):
    published, _draft = calls
    response = api_for(member).get("/api/v1/calls/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [published.pk]
    row = response.json()["results"][0]
    assert (row["title"], row["is_open"], row["stages"]) == (published.title, True, ["district"])


def test_officers_list_every_call(officer, calls):
    response = api_for(officer).get("/api/v1/calls/")
    assert sorted(row["id"] for row in response.json()["results"]) == sorted(call.pk for call in calls)


def test_detail_has_guide_and_documents(member, calls):
    published, draft = calls
    body = api_for(member).get(f"/api/v1/calls/{published.pk}/").json()
    assert body["guide"] == published.guide
    assert [(d["name"], d["is_required"]) for d in body["required_documents"]] == [("区县推荐函", True)]
    assert api_for(member).get(f"/api/v1/calls/{draft.pk}/").status_code == 404


def test_funnel_for_officers_only(officer, member, calls):
    published, _draft = calls
    submitted = AllianceFactory(call=published, state=State.DISTRICT_REVIEW)
    StateTransition.objects.create(alliance=submitted, action="submit", source=State.DRAFT,
                                   target=State.DISTRICT_REVIEW)
    AllianceFactory(call=published)
    response = api_for(officer).get(f"/api/v1/calls/{published.pk}/funnel/")
    assert response.json() == {"drafts": 1, "submitted": 1, "recommended": 0, "screened": 0, "scored": 0,
                               "visited": 0, "decided": 0, "designated": 0}
    assert api_for(member).get(f"/api/v1/calls/{published.pk}/funnel/").status_code == 403


def test_anonymous_and_writes_are_refused(officer, calls):
    published, _draft = calls
    assert api_for().get("/api/v1/calls/").status_code == 401
    assert api_for(officer).post("/api/v1/calls/", {"title": "x"}, format="json").status_code == 405
    assert api_for(officer).delete(f"/api/v1/calls/{published.pk}/").status_code == 405


@pytest.mark.parametrize("size", [2, 8])
def test_list_query_count_is_constant(member, officer, size, django_assert_num_queries):
    for number in range(size):
        make_call(officer, batch_number=number + 1)
    client = api_for(member)
    with django_assert_num_queries(4):  # user groups (role check), count, page, sectors
        response = client.get("/api/v1/calls/")
    assert len(response.json()["results"]) == size
