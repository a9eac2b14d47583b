"""The demo's calls: last cycle's closed call holding its designated alliances, this year's open call with
district recommendation and site visits holding the drafts, the ready draft with every required document."""

import pytest

from alliances.models import Alliance
from alliances.workflow import State
from calls.models import Call
from calls.selectors import funnel, missing_documents
from demo import loader

pytestmark = pytest.mark.django_db(transaction=True)  # the loader tunes SQLite outside transactions


def test_demo_has_a_closed_and_an_open_call():
    loader.load(enterprises_per_sector=20, institutes_per_sector=3, numbers=[0, 5, 6, 17])
    closed, current = Call.objects.order_by("opens_at")
    assert not closed.is_open()
    assert current.is_open()
    assert (current.requires_district_recommendation, current.uses_site_visits) == (True, True)
    # the rejected one was turned down in expert review: screened, neither scored nor decided
    assert funnel(closed) == {"drafts": 0, "submitted": 2, "recommended": 0, "screened": 2, "scored": 1,
                              "visited": 0, "decided": 1, "designated": 1}
    drafts = list(current.applications.order_by("pk"))
    assert {a.state for a in drafts} == {State.DRAFT}
    assert len(drafts) == 2
    ready = Alliance.objects.get(chairman__users__username="member_draft")
    assert ready.call == current
    assert missing_documents(ready) == []
