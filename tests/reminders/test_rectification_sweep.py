"""Rectification: the deadline approaching (30 and 7 days ahead) and passed (weekly), until the report
is filed; once passed, the officer who ordered it hears too."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import Rectification
from notifications.models import Notification
from reminders.models import Reminder

from .factories import rectification

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 12, 31)


def test_rectification_reminders_on_exactly_the_right_days(sweep_daily, officer):
    people, _rect = rectification(DEADLINE, ordered_by=officer)

    created = sweep_daily("rectification", DEADLINE - timedelta(days=32), DEADLINE + timedelta(days=9))

    alliance_side = len(people.everyone)
    assert created == {
        DEADLINE - timedelta(days=30): alliance_side,
        DEADLINE - timedelta(days=7): alliance_side,
        DEADLINE + timedelta(days=1): alliance_side + 1,  # and the officer
        DEADLINE + timedelta(days=8): alliance_side + 1,
    }


def test_rectification_approaching_goes_to_the_alliance_not_the_officer(travel, sweep, officer):
    people, _rect = rectification(DEADLINE, ordered_by=officer)
    travel(DEADLINE - timedelta(days=7))

    sweep("rectification")

    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {u.pk for u in people.everyone}
    title = Notification.objects.values_list("title", flat=True).first()
    assert title == f"{people.alliance.name}：整顿期限还有 7 天"


def test_rectification_passed_tells_the_officer_too(travel, sweep, officer):
    people, rect = rectification(DEADLINE, ordered_by=officer)
    travel(DEADLINE + timedelta(days=3))

    sweep("rectification")

    notification = Notification.objects.get(recipient=officer)
    assert notification.title == f"{people.alliance.name}：整顿期限已过"
    assert "已过去 3 天" in notification.body
    assert notification.url == f"/assessments/rectifications/{rect.pk}/"


def test_rectification_silent_once_the_report_is_filed(travel, sweep):
    _people, rect = rectification(DEADLINE)
    Rectification.objects.filter(pk=rect.pk).update(report="已完成整改。", reported_at=timezone.now())
    travel(DEADLINE - timedelta(days=7))

    assert sweep("rectification").found == 0


def test_rectification_moved_deadline_is_a_new_deadline(travel, sweep):
    _people, rect = rectification(DEADLINE)
    travel(DEADLINE - timedelta(days=7))
    sweep("rectification")
    Rectification.objects.filter(pk=rect.pk).update(deadline=DEADLINE + timedelta(days=30))

    travel(DEADLINE + timedelta(days=23))
    created = sweep("rectification").created

    assert created == 3
    assert sorted(set(Reminder.objects.values_list("due_date", "stage"))) == [
        (DEADLINE, "7d"), (DEADLINE + timedelta(days=30), "7d")]
