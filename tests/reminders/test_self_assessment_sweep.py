"""Self-assessment report of an open assessment: due in 7 days, then weekly while overdue, until submitted."""

from datetime import date, timedelta

import pytest

from alliances.workflow import State
from assessments.models import AssessmentRound
from notifications.models import Notification

from .conftest import beijing
from .factories import designated_alliance

pytestmark = pytest.mark.django_db

DUE = date(2028, 4, 1)


def open_round(people, *, due=DUE):
    return AssessmentRound.objects.create(
        alliance=people.alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.SELF_ASSESSMENT,
        opened_from=State.PILOT, period_start=date(2026, 3, 2), period_end=date(2028, 3, 2),
        opened_at=beijing(date(2028, 3, 2)), self_assessment_due=due,
    )


def test_self_assessment_reminders_on_exactly_the_right_days(sweep_daily):
    people = designated_alliance(date(2026, 3, 2), state=State.ASSESSMENT)
    open_round(people)

    created = sweep_daily("self_assessment", DUE - timedelta(days=10), DUE + timedelta(days=9))

    three = len(people.everyone)
    assert created == {DUE - timedelta(days=7): three, DUE + timedelta(days=1): three, DUE + timedelta(days=8): three}


def test_self_assessment_reminder_links_to_the_form(travel, sweep):
    people = designated_alliance(date(2026, 3, 2), state=State.ASSESSMENT)
    assessment = open_round(people)
    travel(DUE + timedelta(days=2))

    sweep("self_assessment")

    notification = Notification.objects.get(recipient=people.chairman)
    assert notification.title == f"{people.alliance.name}：自评报告已逾期"
    assert notification.url == f"/assessments/{assessment.pk}/self-assessment/"


def test_self_assessment_silent_once_submitted(travel, sweep):
    people = designated_alliance(date(2026, 3, 2), state=State.ASSESSMENT)
    assessment = open_round(people)
    AssessmentRound.objects.filter(pk=assessment.pk).update(status=AssessmentRound.Status.EXPERT_SCORING)
    travel(DUE + timedelta(days=1))

    assert sweep("self_assessment").found == 0
