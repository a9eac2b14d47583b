"""A call's own scorecard: copied from the bureau's default, editable (weights summing to 100) until the first
score is submitted, and the one experts score applications of the call on."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliances.services import submit_application
from alliances.transitions import transition
from calls import services
from calls.errors import CallError
from reviews import services as reviews
from reviews.models import CriterionScore, ScoreCriterion
from reviews.selectors import criteria_for
from tests.factories import AllianceFactory, eligible_alliance
from tests.reviews.conftest import make_expert, tick_all

from .conftest import make_call

pytestmark = pytest.mark.django_db

CALL_CRITERIA = [
    {"name": "产业带动作用", "name_en": "Effect on the industry", "guidance": "", "weight": Decimal("60"),
     "max_score": 20},
    {"name": "协同创新机制", "name_en": "Cooperation mechanism", "guidance": "", "weight": Decimal("40"),
     "max_score": 10},
]


def defaults():
    return list(ScoreCriterion.objects.filter(call=None, is_active=True).order_by("position", "pk"))


def test_a_new_call_gets_a_copy_of_the_default_scorecard(officer):
    call = make_call(officer)
    copied = list(ScoreCriterion.objects.filter(call=call).order_by("position", "pk"))
    assert defaults()  # the migrated default scorecard
    assert [(c.name, c.weight, c.max_score, c.position) for c in copied] == [
        (c.name, c.weight, c.max_score, c.position) for c in defaults()]
    assert not {c.pk for c in copied} & {c.pk for c in defaults()}


def test_call_criteria_weights_must_sum_to_100(officer):
    call = make_call(officer)
    with pytest.raises(CallError, match="add up to 90"):
        services.update_criteria(call, by=officer, criteria=[{**CALL_CRITERIA[0], "weight": Decimal("50")},
                                                            CALL_CRITERIA[1]])
    assert ScoreCriterion.objects.filter(call=call, is_active=True).count() == len(defaults())


def test_editing_the_call_scorecard_leaves_the_default_alone(officer):
    before = [(c.pk, c.name, c.weight) for c in defaults()]
    call = make_call(officer)
    services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)
    assert [(c.name, c.weight) for c in criteria_for(AllianceFactory(call=call))] == [
        ("产业带动作用", Decimal("60")), ("协同创新机制", Decimal("40"))]
    assert [(c.pk, c.name, c.weight) for c in defaults()] == before
    assert list(criteria_for(AllianceFactory())) == defaults()


def in_expert_review(officer, member, call):
    """An application of ``call`` in expert review, with one expert who accepted (used by the lock tests too)."""
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    submit_application(alliance, by=member)
    transition(alliance, action="start_screening", by=officer)
    tick_all(alliance, officer)
    transition(alliance, action="send_to_experts", by=officer)
    expert = make_expert(sectors=[alliance.sector])
    [assignment] = reviews.assign_experts(alliance, experts=[expert], due_date=timezone.localdate()
                                          + datetime.timedelta(days=14), by=officer)
    reviews.respond_to_assignment(assignment, accept=True, by=expert.user)
    return assignment


def test_experts_score_on_the_call_criteria(officer, member):
    call = make_call(officer)
    services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)
    assignment = in_expert_review(officer, member, call)
    own = {c.name: c for c in ScoreCriterion.objects.filter(call=call, is_active=True)}
    card = reviews.save_scorecard(
        assignment, scores={own["产业带动作用"].pk: (Decimal("20"), ""), own["协同创新机制"].pk: (Decimal("5"), "")},
        comments="带动作用突出。", recommendation="approve", submit=True, by=assignment.expert.user)
    assert card.weighted_total == Decimal("80.00")  # 20/20 × 60 + 5/10 × 40
    assert set(CriterionScore.objects.filter(scorecard=card).values_list("criterion__call", flat=True)) == {call.pk}


def test_default_criteria_are_unknown_for_an_application_of_a_call(officer, member):
    call = make_call(officer)
    services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)
    assignment = in_expert_review(officer, member, call)
    default = defaults()[0]
    with pytest.raises(reviews.WorkflowError, match="Unknown criterion"):
        reviews.save_scorecard(assignment, scores={default.pk: (Decimal("1"), "")}, comments="", recommendation="",
                               submit=False, by=assignment.expert.user)
    api = APIClient()
    api.force_authenticate(assignment.expert.user)
    response = api.post(f"/api/v1/reviews/assignments/{assignment.pk}/scorecard/",
                        {"scores": [{"criterion": default.pk, "score": "1"}]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["scores"]["0"]) == {"criterion"}  # an unknown primary key


def test_expert_page_shows_the_call_criteria(client, officer, member):
    call = make_call(officer)
    services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)
    assignment = in_expert_review(officer, member, call)
    client.force_login(assignment.expert.user)
    page = client.get(reverse("reviews:assignment", args=[assignment.pk])).content.decode()
    assert "Effect on the industry" in page
    assert defaults()[0].label not in page


def test_call_scorecard_is_locked_after_the_first_submitted_score(client, officer, member):
    call = make_call(officer)
    assignment = in_expert_review(officer, member, call)
    own = list(ScoreCriterion.objects.filter(call=call, is_active=True))
    # A saved draft does not lock it yet.
    reviews.save_scorecard(assignment, scores={own[0].pk: (Decimal("1"), "")}, comments="", recommendation="",
                           submit=False, by=assignment.expert.user)
    services.update_criteria(call, by=officer, criteria=[
        {"id": c.pk, "name": c.name, "name_en": c.name_en, "guidance": c.guidance, "weight": c.weight,
         "max_score": c.max_score} for c in own])
    reviews.save_scorecard(assignment, scores={c.pk: (Decimal(c.max_score), "") for c in own}, comments="很好。",
                           recommendation="approve", submit=True, by=assignment.expert.user)
    with pytest.raises(CallError, match="can no longer change"):
        services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)
    client.force_login(officer)
    response = client.post(reverse("calls:criteria", args=[call.pk]), {
        "criteria-TOTAL_FORMS": "1", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000", "criteria-0-name": "新指标", "criteria-0-weight": "100",
        "criteria-0-max_score": "10"}, follow=True)
    assert "can no longer change" in response.content.decode()
    assert sorted(ScoreCriterion.objects.filter(call=call, is_active=True).values_list("pk", flat=True)) == sorted(
        c.pk for c in own)


def _reads(queries) -> list[tuple[str, str]]:
    """(table, SQL) of each SELECT captured, in order (the table is the first one after FROM)."""
    return [(re.search(r'FROM "?(\w+)"?', q["sql"]).group(1), q["sql"]) for q in queries
            if q["sql"].startswith("SELECT")]


def test_submitting_a_score_locks_the_call_row_before_the_assignment(officer, member):
    call = make_call(officer)
    assignment = in_expert_review(officer, member, call)
    own = list(ScoreCriterion.objects.filter(call=call, is_active=True))
    scores = {c.pk: (Decimal(c.max_score), "") for c in own}
    with CaptureQueriesContext(connection) as draft:
        reviews.save_scorecard(assignment, scores=scores, comments="", recommendation="", submit=False,
                               by=assignment.expert.user)
    assert "calls_call" not in [table for table, _sql in _reads(draft.captured_queries)]  # a draft: no call lock
    with CaptureQueriesContext(connection) as submitted:
        reviews.save_scorecard(assignment, scores=scores, comments="很好。", recommendation="approve", submit=True,
                               by=assignment.expert.user)
    reads = _reads(submitted.captured_queries)
    # The call first, as update_criteria and the district recommendation take it, then the assignment.
    assert [table for table, _sql in reads[:2]] == ["calls_call", "reviews_expertassignment"]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0][1]
    with pytest.raises(CallError, match="can no longer change"):
        services.update_criteria(call, by=officer, criteria=CALL_CRITERIA)


def test_criteria_page_saves_a_scorecard_summing_to_100(client, officer):
    call = make_call(officer)
    client.force_login(officer)
    data = {"criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(CALL_CRITERIA):
        data.update({f"criteria-{index}-{name}": str(value) for name, value in row.items()})
    wrong = {**data, "criteria-1-weight": "30"}
    response = client.post(reverse("calls:criteria", args=[call.pk]), wrong)
    assert "The weights add up to 90; they must add up to 100." in response.content.decode()
    response = client.post(reverse("calls:criteria", args=[call.pk]), data)
    assert response["Location"] == reverse("calls:manage_detail", args=[call.pk])
    assert list(ScoreCriterion.objects.filter(call=call, is_active=True).values_list("name", "weight")) == [
        ("产业带动作用", Decimal("60.00")), ("协同创新机制", Decimal("40.00"))]
