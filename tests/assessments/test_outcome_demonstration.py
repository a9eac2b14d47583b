"""Pilot → assessment → demonstration, through the services: excellent after a year of operation."""

import pytest

from alliances.models import StateTransition
from alliances.workflow import State
from assessments import services
from assessments.models import AssessmentRound, Grade
from reviews.models import Designation

from .conftest import at, open_and_score

pytestmark = pytest.mark.django_db


def test_excellent_after_two_years_grants_demonstration_with_a_new_certificate(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.9)
        decided = services.decide_outcome(assessment, by=officer, comment="成效显著。")
    pilot.refresh_from_db()
    assert pilot.state == State.DEMONSTRATION
    assert (decided.status, decided.grade, decided.outcome) == (
        AssessmentRound.Status.DECIDED, Grade.EXCELLENT, AssessmentRound.Outcome.DEMONSTRATION)
    assert decided.total_score == 90
    demo = Designation.objects.get(alliance=pilot, level=Designation.Level.DEMONSTRATION)
    pilot_cert = Designation.objects.get(alliance=pilot, level=Designation.Level.PILOT)
    assert demo.is_standing
    assert demo.certificate_number != pilot_cert.certificate_number
    actions = list(StateTransition.objects.filter(alliance=pilot).values_list("action", flat=True))
    assert actions[-2:] == ["open_assessment", "grant_demonstration"]
