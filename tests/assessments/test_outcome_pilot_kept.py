"""A pass keeps pilot status; an excellent result before a year of operation keeps it too, with the reason."""

import pytest

from alliances.workflow import State
from assessments import services
from assessments.models import AssessmentRound, Grade
from reviews.models import Designation

from .conftest import at, open_and_score

pytestmark = pytest.mark.django_db


def test_pass_keeps_pilot_status(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.7)
        decided = services.decide_outcome(assessment, by=officer, comment="基本完成目标。")
    pilot.refresh_from_db()
    assert pilot.state == State.PILOT
    assert (decided.grade, decided.outcome, decided.total_score) == (
        Grade.PASS, AssessmentRound.Outcome.PILOT_KEPT, 70)
    assert decided.outcome_reason == ""
    assert not Designation.objects.filter(alliance=pilot, level="demonstration").exists()
    assert pilot.transitions.last().action == "keep_pilot"
    assert "基本完成目标。" in pilot.transitions.last().comment


def test_excellent_before_a_year_of_operation_keeps_pilot_and_says_why(pilot, chairman, officer, pool):
    with at("2026-12-01"):  # 274 days after designation on 2026-03-02
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.95,
                                    kind=AssessmentRound.Kind.ON_DEMAND)
        decided = services.decide_outcome(assessment, by=officer)
    pilot.refresh_from_db()
    assert pilot.state == State.PILOT
    assert (decided.grade, decided.outcome) == (Grade.EXCELLENT, AssessmentRound.Outcome.PILOT_KEPT)
    assert "274" in decided.outcome_reason
    assert "365" in decided.outcome_reason
    assert not Designation.objects.filter(alliance=pilot, level="demonstration").exists()
    assert decided.outcome_reason in pilot.transitions.last().comment


def test_excellent_exactly_a_year_after_designation_grants_demonstration(pilot, chairman, officer, pool):
    with at("2027-03-02"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.9, kind=AssessmentRound.Kind.ON_DEMAND)
        decided = services.decide_outcome(assessment, by=officer)
    assert decided.outcome == AssessmentRound.Outcome.DEMONSTRATION


def test_thresholds_come_from_the_bureaus_rules(pilot, chairman, officer, pool, rules):
    rules.excellent_threshold = 95
    rules.save()
    with at("2028-03-05"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.9)
        decided = services.decide_outcome(assessment, by=officer)
    assert (decided.grade, decided.outcome) == (Grade.PASS, AssessmentRound.Outcome.PILOT_KEPT)


def test_demonstration_unit_that_passes_keeps_its_title_without_a_new_certificate(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        first = open_and_score(pilot, chairman, officer, pool, fraction=0.9)
        services.decide_outcome(first, by=officer)
    certificates = set(Designation.objects.values_list("certificate_number", flat=True))
    with at("2029-06-01"):
        second = open_and_score(pilot, chairman, officer, pool, fraction=0.7, kind=AssessmentRound.Kind.ON_DEMAND)
        assert second.opened_from == State.DEMONSTRATION
        decided = services.decide_outcome(second, by=officer)
    pilot.refresh_from_db()
    assert pilot.state == State.DEMONSTRATION
    assert decided.outcome == AssessmentRound.Outcome.DEMONSTRATION_KEPT
    assert set(Designation.objects.values_list("certificate_number", flat=True)) == certificates
