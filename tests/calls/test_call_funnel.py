"""The call's funnel: counts from the applications' transition records (and, for "visited", their site visits'
recorded findings), in one query whatever the number of applications, each linked to the alliance list filtered
to exactly those applications."""

from collections import defaultdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import StateTransition
from alliances.workflow import State
from calls.selectors import FUNNEL, funnel
from site_visits.models import SiteVisit
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
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("send_to_experts", S.SCREENING, S.EXPERT_REVIEW),
     ("start_site_visit", S.EXPERT_REVIEW, S.SITE_VISIT), ("reject", S.SITE_VISIT, S.REJECTED)],
    [("submit", S.DRAFT, S.DISTRICT_REVIEW), ("recommend", S.DISTRICT_REVIEW, S.SUBMITTED),
     ("start_screening", S.SUBMITTED, S.SCREENING), ("send_to_experts", S.SCREENING, S.EXPERT_REVIEW),
     ("start_site_visit", S.EXPERT_REVIEW, S.SITE_VISIT), ("return_for_revision", S.SITE_VISIT, S.RETURNED)],
]
# The site visit of the paths that reached the stage: findings recorded (sent on, rejected, returned) or not yet.
VISITS = {4: SiteVisit.Status.CONCLUDED, 7: SiteVisit.Status.SCHEDULED, 8: SiteVisit.Status.CONCLUDED,
          9: SiteVisit.Status.CONCLUDED}
VISITED_THEN_REJECTED = 8


def application(call, path, visit=None):
    alliance = AllianceFactory(call=call, state=path[-1][2] if path else S.DRAFT, current_version=1)
    StateTransition.objects.bulk_create(StateTransition(alliance=alliance, action=action, source=source,
                                                        target=target) for action, source, target in path)
    if visit is not None:
        concluded = visit == SiteVisit.Status.CONCLUDED
        SiteVisit.objects.create(alliance=alliance, version=1, scheduled_on=date(2026, 11, 20), place="张店区",
                                 status=visit, conclusion=SiteVisit.Conclusion.CONFIRMED if concluded else "")
    return alliance


def build(call, count):
    return [application(call, PATHS[index % len(PATHS)], VISITS.get(index % len(PATHS))) for index in range(count)]


def recount(call) -> dict[str, int]:
    """The funnel recomputed in Python from the raw rows, as the issue defines each step."""
    seen = defaultdict(set)
    for alliance_id, action, source in StateTransition.objects.filter(alliance__call=call).values_list(
            "alliance_id", "action", "source"):
        seen[alliance_id].add((action, source))
    alliances = list(call.applications.values_list("pk", "state"))
    visited = set(SiteVisit.objects.filter(status=SiteVisit.Status.CONCLUDED).values_list("alliance_id", flat=True))

    def having(*wanted):
        return sum(1 for pk, _state in alliances
                   if any(action == a and (s is None or source == s) for action, source in seen[pk] for a, s in wanted))

    return {
        "drafts": sum(1 for _pk, state in alliances if state == S.DRAFT),
        "submitted": having(("submit", None)),
        "recommended": having(("recommend", None)),
        "screened": having(("send_to_experts", None)),
        "scored": having(("send_to_joint_review", None), ("start_site_visit", None)),
        "visited": sum(1 for pk, _state in alliances if pk in visited),
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
    assert counts == {"drafts": 2, "submitted": 15, "recommended": 11, "screened": 7, "scored": 7, "visited": 4,
                      "decided": 4, "designated": 2}


def test_a_visited_application_counts_whatever_followed_the_findings(client, officer, call):
    rejected = application(call, PATHS[VISITED_THEN_REJECTED], SiteVisit.Status.CONCLUDED)
    returned = application(call, PATHS[9], SiteVisit.Status.CONCLUDED)
    sent_on = application(call, PATHS[4], SiteVisit.Status.CONCLUDED)
    application(call, PATHS[7], SiteVisit.Status.SCHEDULED)  # visit scheduled, findings not recorded yet
    application(call, PATHS[3])  # straight from expert review to joint review: never visited
    assert funnel(call)["visited"] == 3
    client.force_login(officer)
    listed = client.get(reverse("alliances:list"), {"call": call.pk, "reached": "visited"})
    assert {a.pk for a in listed.context["page"].object_list} == {rejected.pk, returned.pk, sent_on.pk}
    assert rejected.name in listed.content.decode()


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
