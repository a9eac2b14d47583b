"""Biennial assessment: 60, 30 and 7 days before the two-year anniversary of designation, then weekly
while overdue, to the secretariat and the chairman unit with a copy to the liaison officer."""

from datetime import date, timedelta

import pytest

from alliances.models import Alliance
from alliances.workflow import State
from assessments.models import AssessmentRound
from notifications.models import Notification
from reminders import services
from reminders.models import Reminder
from reviews.models import Designation

from .conftest import beijing
from .factories import designated_alliance

pytestmark = pytest.mark.django_db

DESIGNATED_ON = date(2026, 3, 2)
DUE = date(2028, 3, 2)


def test_assessment_reminders_on_exactly_the_right_days(sweep_daily):
    people = designated_alliance(DESIGNATED_ON)

    created = sweep_daily("assessment", DUE - timedelta(days=62), DUE + timedelta(days=16))

    three = len(people.everyone)
    assert created == {
        DUE - timedelta(days=60): three, DUE - timedelta(days=30): three, DUE - timedelta(days=7): three,
        DUE + timedelta(days=1): three, DUE + timedelta(days=8): three, DUE + timedelta(days=15): three,
    }
    assert sorted(set(Reminder.objects.values_list("stage", flat=True))) == [
        "30d", "60d", "7d", "overdue-1", "overdue-2", "overdue-3"]


def test_assessment_reminder_reaches_secretariat_chairman_and_liaison_only(travel, sweep, mailoutbox):
    people = designated_alliance(DESIGNATED_ON)
    travel(DUE - timedelta(days=30))

    sweep("assessment")

    notifications = Notification.objects.select_related("recipient")
    assert {n.recipient for n in notifications} == {people.chairman, people.secretariat, people.liaison}
    assert people.others[0] not in {n.recipient for n in notifications}
    titles = {n.title for n in notifications}
    assert titles == {f"{people.alliance.name}：两年一次考核将于 30 天后到期"}
    assert "2028年3月2日" in notifications[0].body
    assert len(mailoutbox) == 3


def test_assessment_overdue_message_says_how_late(travel, sweep):
    people = designated_alliance(DESIGNATED_ON)
    travel(DUE + timedelta(days=9))

    sweep("assessment")

    notification = Notification.objects.filter(recipient=people.chairman).get()
    assert notification.title == f"{people.alliance.name}：两年一次考核已逾期"
    assert "已逾期 9 天" in notification.body


def test_assessment_silent_before_the_first_lead_time(sweep_daily):
    designated_alliance(DESIGNATED_ON)

    assert sweep_daily("assessment", DUE - timedelta(days=75), DUE - timedelta(days=61)) == {}


def test_assessment_silent_once_the_bureau_opened_it(travel, sweep):
    people = designated_alliance(DESIGNATED_ON)
    travel(DUE + timedelta(days=1))
    AssessmentRound.objects.create(
        alliance=people.alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.SELF_ASSESSMENT,
        opened_from=State.PILOT, period_start=DESIGNATED_ON, period_end=DUE, opened_at=beijing(DUE),
    )
    Alliance.objects.filter(pk=people.alliance.pk).update(state=State.ASSESSMENT)

    assert sweep("assessment").found == 0
    assert Notification.objects.count() == 0


def test_assessment_reminder_cancelled_when_opened_before_delivery(travel, django_capture_on_commit_callbacks):
    people = designated_alliance(DESIGNATED_ON)
    travel(DUE - timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("assessment")
    Alliance.objects.filter(pk=people.alliance.pk).update(state=State.ASSESSMENT)

    outcome = services.deliver(list(Reminder.objects.values_list("pk", flat=True)))

    assert (outcome.sent, outcome.cancelled) == (0, 3)
    assert Notification.objects.count() == 0


def test_assessment_clock_restarts_at_the_last_assessment(sweep_daily):
    people = designated_alliance(DESIGNATED_ON)
    # assessed in 2028 (kept its pilot status): the next assessment is due two years after that round
    AssessmentRound.objects.create(
        alliance=people.alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.DECIDED,
        opened_from=State.PILOT, period_start=DESIGNATED_ON, period_end=DUE, opened_at=beijing(date(2028, 3, 10)),
        outcome=AssessmentRound.Outcome.PILOT_KEPT,
    )
    assert sweep_daily("assessment", DUE - timedelta(days=61), DUE - timedelta(days=59)) == {}

    created = sweep_daily("assessment", date(2030, 1, 8), date(2030, 1, 10))

    assert created == {date(2030, 1, 9): 3}  # 60 days before 2030-03-10
    assert set(Reminder.objects.values_list("due_date", flat=True)) == {date(2030, 3, 10)}


def test_assessment_silent_for_revoked_and_undesignated_alliances(travel, sweep):
    revoked = designated_alliance(DESIGNATED_ON, state=State.REVOKED)
    Designation.objects.filter(alliance=revoked.alliance).update(revoked_at=beijing(date(2027, 1, 5)))
    designated_alliance(DESIGNATED_ON, state=State.JOINT_REVIEW)  # not (or no longer) designated
    travel(DUE - timedelta(days=7))

    assert sweep("assessment").found == 0


def test_assessment_lead_times_come_from_settings(sweep_daily, settings):
    settings.PORTAL = {**settings.PORTAL, "REMINDERS": {"ASSESSMENT_LEAD_DAYS": [14]}}
    designated_alliance(DESIGNATED_ON, liaison=False)

    created = sweep_daily("assessment", DUE - timedelta(days=62), DUE)

    assert created == {DUE - timedelta(days=14): 2}
