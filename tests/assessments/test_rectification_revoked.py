"""A re-assessment that revokes the title: the alliance leaves the public register; its history stays."""

import pytest

from alliances.workflow import State
from assessments import services
from assessments.errors import InvalidInput
from assessments.models import AssessmentRound, LifecycleStage, SelfAssessment
from reviews.models import Designation
from reviews.selectors import register
from tests.factories import health_ratings

from .conftest import at, failed_round, score_all

pytestmark = pytest.mark.django_db


def _reassess(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        failed = failed_round(pilot, chairman, officer, pool)
    with at("2028-05-20"):
        services.submit_rectification_report(failed.rectification, by=chairman, report="部分完成。")
        return failed, services.open_reassessment(failed.rectification, by=officer)


def test_revocation_removes_the_alliance_from_the_register_and_keeps_history(pilot, chairman, officer, pool):
    assert register().filter(alliance=pilot).exists()
    failed, reassessment = _reassess(pilot, chairman, officer, pool)
    with at("2028-05-25"):
        services.set_lifecycle_stage(pilot, by=officer, stage="decline", health=health_ratings(2, "成员流失"),
                                     assessment=reassessment)
        score_all(reassessment, pool, officer, fraction=0.4)
        decided = services.decide_reassessment(reassessment, by=officer, restore=False, comment="整改不到位，撤销试点称号。")
    pilot.refresh_from_db()
    assert pilot.state == State.REVOKED
    assert decided.outcome == AssessmentRound.Outcome.REVOKED
    assert decided.total_score == 40
    assert not register().filter(alliance=pilot).exists()
    pilot_designation = Designation.objects.get(alliance=pilot, level="pilot")
    assert pilot_designation.revoked_at is not None
    # Everything that happened is still there.
    assert AssessmentRound.objects.filter(alliance=pilot).count() == 2
    assert SelfAssessment.objects.filter(round=failed).exists()
    assert LifecycleStage.objects.filter(alliance=pilot, stage="decline").exists()
    assert failed.rectification.report == "部分完成。"
    assert list(pilot.transitions.values_list("action", flat=True))[-2:] == ["open_reassessment", "revoke"]


def test_revocation_needs_a_reason(pilot, chairman, officer, pool):
    _failed, reassessment = _reassess(pilot, chairman, officer, pool)
    with pytest.raises(InvalidInput) as refusal:
        services.decide_reassessment(reassessment, by=officer, restore=False, comment="  ")
    assert "comment" in refusal.value.field_errors
    pilot.refresh_from_db()
    assert pilot.state == State.REASSESSMENT


def test_reassessment_waits_for_the_experts_who_were_asked(pilot, chairman, officer, pool):
    _failed, reassessment = _reassess(pilot, chairman, officer, pool)
    services.assign_expert(reassessment, expert=pool[0], by=officer)
    from assessments.errors import Incomplete

    with pytest.raises(Incomplete) as refusal:
        services.decide_reassessment(reassessment, by=officer, restore=True, comment="整改到位。")
    assert str(pool[0]) in refusal.value.problems[0]
