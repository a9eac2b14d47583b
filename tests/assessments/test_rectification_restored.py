"""Fail → rectification with a deadline and required actions → report → re-assessment → pilot restored."""

import datetime

import pytest
from django.utils import timezone

from alliance_portal.core.errors import IllegalTransition
from alliances.workflow import State
from assessments import services
from assessments.errors import InvalidInput
from assessments.models import AssessmentRound, Grade, Rectification

from .conftest import at, failed_round, open_and_score

pytestmark = pytest.mark.django_db


def test_fail_orders_rectification_with_deadline_and_actions(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        assessment = failed_round(pilot, chairman, officer, pool)
    pilot.refresh_from_db()
    assert pilot.state == State.RECTIFICATION
    assert (assessment.grade, assessment.outcome, assessment.total_score) == (
        Grade.FAIL, AssessmentRound.Outcome.RECTIFICATION, 50)
    rectification = Rectification.objects.get(round=assessment)
    assert rectification.deadline == datetime.date(2028, 6, 3)
    assert rectification.required_actions == "1. 补充研发投入；2. 召开理事会。"
    comment = pilot.transitions.last().comment
    assert "2. 召开理事会" in comment
    assert "2028" in comment


def test_fail_without_deadline_or_actions_is_refused_beside_the_fields(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.4)
        with pytest.raises(InvalidInput) as refusal:
            services.decide_outcome(assessment, by=officer, rectification_deadline=timezone.localdate(),
                                    required_actions=" ")
    assert set(refusal.value.field_errors) == {"rectification_deadline", "required_actions"}
    pilot.refresh_from_db()
    assessment.refresh_from_db()
    assert pilot.state == State.ASSESSMENT
    assert assessment.status == AssessmentRound.Status.EXPERT_SCORING


def test_reassessment_after_report_restores_pilot_status(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        failed = failed_round(pilot, chairman, officer, pool)
    rectification = failed.rectification
    with at("2028-05-20"):
        with pytest.raises(IllegalTransition):  # neither reported nor past the deadline
            services.open_reassessment(rectification, by=officer)
        services.submit_rectification_report(rectification, by=chairman, report="已补充研发投入，召开理事会两次。")
        reassessment = services.open_reassessment(rectification, by=officer, comment="复评")
        assert services.open_reassessment(rectification, by=officer) == reassessment  # a second click
        pilot.refresh_from_db()
        assert pilot.state == State.REASSESSMENT
        assert (reassessment.kind, reassessment.status) == (AssessmentRound.Kind.REASSESSMENT,
                                                            AssessmentRound.Status.EXPERT_SCORING)
        decided = services.decide_reassessment(reassessment, by=officer, restore=True, comment="整改到位。")
    pilot.refresh_from_db()
    rectification.refresh_from_db()
    assert pilot.state == State.PILOT
    assert decided.outcome == AssessmentRound.Outcome.PILOT_RESTORED
    assert rectification.closed_at is not None
    assert pilot.designations.filter(level="pilot", revoked_at__isnull=True).exists()
    assert list(pilot.transitions.values_list("action", flat=True))[-4:] == [
        "open_assessment", "order_rectification", "open_reassessment", "restore_pilot"]


def test_reassessment_may_open_after_the_deadline_without_a_report(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        failed = failed_round(pilot, chairman, officer, pool)
    with at("2028-06-04"):
        reassessment = services.open_reassessment(failed.rectification, by=officer)
    assert reassessment.alliance_id == pilot.pk
