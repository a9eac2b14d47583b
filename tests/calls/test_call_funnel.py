"""The call's funnel: counts from the applications' transition records, in one query whatever the number of
applications, each linked to the alliance list filtered to exactly those applications."""

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.selectors import FUNNEL, funnel
from reviews.models import StateTransition
from reviews.workflow import State
from tests.factories import AllianceFactory, CallFactory

pytestmark = pytest.mark.django_db

S = State
PATHS = [
    [],  # a draft
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("decline_recommendation", S.DISTRICT_REVIEW, S.NOT_RECOMMENDED)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("reject", S.SCREENING, S.REJECTED)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("send_to_experts", S.SCREENING, S.EXPERT_REVIEW),
     ("send_to_joint_review", S.EXPERT_REVIEW, S.JOINT_REVIEW), ("reject", S.JOINT_REVIEW, S.REJECTED)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("send_to_experts", S.SCREENING, S.EXPERT_REVIEW),
     ("start_site_visit", S.EXPERT_REVIEW, S.SITE_VISIT), ("send_to_joint_review", S.SITE_VISIT, S.JOINT_REVIEW),
     ("start_public_notice", S.JOINT_REVIEW, S.PUBLIC_NOTICE), ("grant_pilot", S.PUBLIC_NOTICE, S.PILOT)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("return_for_revision", S.SCREENING, S.RETURNED)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("withdraw", S.DISTRICT_REVIEW, S.WITHDRAWN)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("send_to_experts", S.SCREENING, S.EXPERT_REVIEW),
     ("start_site_visit", S.EXPERT_REVIEW, S.SITE_VISIT)],
]


def application(call, path):
    alliance = AllianceFactory(call=call, state=path[-1][2] if path else S.DRAFT)
    StateTransition.objects.bulk_create(StateTransition(alliance=alliance, action=action, source=source,
                                                        target=target) for action, source, target in path)
    return alliance


def build(call, count):
    return [application(call, PATHS[index % len(PATHS)]) for index in range(count)]


def recount(call) -> dict[str, int]:
    """The funnel recomputed in Python from the raw rows, as the issue defines each step."""
    seen = defaultdict(set)
    for alliance_id, action, source in StateTransition.objects.filter(alliance__call=call).values_list(
            "alliance_id", "action", "source"):
        seen[alliance_id].add((action, source))
    alliances = list(call.applications.values_list("pk", "state"))

    def having(*wanted):
        return sum(1 for pk, _state in alliances
                   if any(action == a and (s is None or source == s) for action, source in seen[pk] for a, s in wanted))

    return {
        "drafts": sum(1 for _pk, state in alliances if state == S.DRAFT),
        "submitted": having(("submit", None)),
        "recommended": having(("recommend", None)),
        "screened": having(("send_to_experts", None)),
        "scored": having(("send_to_joint_review", None), ("start_site_visit", None)),
        "visited": having(("send_to_joint_review", S.SITE_VISIT)),
        "decided": having(("start_public_notice", None), ("reject", S.JOINT_REVIEW), ("reject", S.PUBLIC_NOTICE)),
        "designated": having(("grant_pilot", None)),
    }


@pytest.fixture
def call(db):
    return CallFactory()


def test_funnel_counts_equal_a_recount_from_the_raw_rows(call):
    build(call, 17)
    other = CallFactory()
    build(other, 8)  # another call's applications never count
    application(None, PATHS[4])  # nor an application outside calls
    counts = funnel(call)
    assert counts == recount(call)
    assert counts == {"drafts": 3, "submitted": 14, "recommended": 10, "screened": 6, "scored": 6, "visited": 2,
                      "decided": 4, "designated": 2}


def test_each_count_links_to_a_list_showing_the_same_applications(client, officer, call):
    build(call, 12)
    build(CallFactory(), 4)
    client.force_login(officer)
    page = client.get(reverse("calls:manage_detail", args=[call.pk])).content.decode()
    counts = funnel(call)
    for step in FUNNEL:
        link = f'{reverse("alliances:list")}?call={call.pk}&amp;reached={step.key}'
        assert link in page, step.key
        listed = client.get(reverse("alliances:list"), {"call": call.pk, "reached": step.key})
        assert listed.context["page"].paginator.count == counts[step.key], step.key
        assert f'{counts[step.key]} alliance' in listed.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_funnel_runs_one_query(call, size, django_assert_num_queries):
    build(call, size)
    with django_assert_num_queries(1):
        funnel(call)


def test_call_page_query_count_does_not_grow_with_applications(client, officer, call):
    client.force_login(officer)
    build(call, 2)
    client.get(reverse("calls:manage_detail", args=[call.pk]))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("calls:manage_detail", args=[call.pk])).status_code == 200
        return len(captured)

    few = count()
    build(call, 6)
    assert count() == few
