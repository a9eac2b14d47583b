"""Returned application not resubmitted after 30 days: the applicant hears once, on the 30th day."""

from datetime import date, timedelta

import pytest

from alliances.models import Alliance
from alliances.workflow import State
from notifications.models import Notification
from reminders.models import Reminder

from .conftest import beijing
from .factories import returned_application

pytestmark = pytest.mark.django_db

RETURNED_ON = date(2026, 10, 20)  # 30 days later: 2026-11-19


def test_resubmission_reminder_sent_on_the_thirtieth_day(travel, sweep, mailoutbox):
    alliance, (applicant,) = returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 19))

    outcome = sweep("resubmission")

    assert (outcome.found, outcome.created) == (1, 1)
    notification = Notification.objects.get()
    assert notification.recipient == applicant
    assert notification.kind == "reminder_resubmission"
    assert notification.title == f"{alliance.name}：退回修改的申报尚未重新提交"
    assert "2026年10月20日" in notification.body
    assert "30 天" in notification.body
    assert notification.url == f"/alliances/{alliance.pk}/"
    reminder = Reminder.objects.get()
    assert (reminder.subject_type, reminder.subject_id, reminder.due_date, reminder.stage, reminder.state) == (
        "alliances.alliance", alliance.pk, date(2026, 11, 19), "30d", Reminder.State.SENT
    )
    assert reminder.notification == notification
    assert [m.to for m in mailoutbox] == [[applicant.email]]
    assert mailoutbox[0].subject == notification.title


def test_resubmission_reminder_silent_before_thirty_days(travel, sweep, mailoutbox):
    returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 18))

    outcome = sweep("resubmission")

    assert (outcome.found, outcome.created) == (0, 0)
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_resubmission_day_counts_in_beijing_time(travel, sweep):
    # 23:30 Beijing time on 20 October is still 20 October there (15:30 UTC).
    returned_application(beijing(RETURNED_ON) + timedelta(hours=15, minutes=30))
    travel(date(2026, 11, 18))
    assert sweep("resubmission").found == 0

    travel(date(2026, 11, 19))
    assert sweep("resubmission").created == 1


def test_resubmission_reminder_caught_up_once_after_missed_days(travel, sweep):
    returned_application(beijing(RETURNED_ON))
    for day in (date(2026, 11, 25), date(2026, 11, 26), date(2026, 12, 3)):
        travel(day)
        sweep("resubmission")

    assert Notification.objects.count() == 1
    assert Reminder.objects.get().due_date == date(2026, 11, 19)


def test_resubmission_reminder_silent_for_resubmitted_application(travel, sweep):
    alliance, _users = returned_application(beijing(RETURNED_ON))
    Alliance.objects.filter(pk=alliance.pk).update(state=State.RESUBMITTED, state_changed_at=beijing(date(2026, 11, 1)))
    travel(date(2026, 11, 19))

    assert sweep("resubmission").found == 0
    assert Notification.objects.count() == 0


def test_resubmission_reminder_cancelled_when_resubmitted_before_delivery(travel, django_capture_on_commit_callbacks):
    from reminders import services

    alliance, _users = returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 19))
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("resubmission")  # the delivery task is not run yet
    Alliance.objects.filter(pk=alliance.pk).update(state=State.RESUBMITTED)

    outcome = services.deliver(list(Reminder.objects.values_list("pk", flat=True)))

    assert (outcome.sent, outcome.cancelled) == (0, 1)
    assert Reminder.objects.get().state == Reminder.State.CANCELLED
    assert Notification.objects.count() == 0


def test_resubmission_reminder_again_after_a_second_return(travel, sweep):
    alliance, _users = returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 19))
    sweep("resubmission")
    # resubmitted, then returned again on 1 December: a new 30-day deadline
    Alliance.objects.filter(pk=alliance.pk).update(state_changed_at=beijing(date(2026, 12, 1)))
    travel(date(2026, 12, 30))
    assert sweep("resubmission").found == 0

    travel(date(2026, 12, 31))
    assert sweep("resubmission").created == 1
    assert sorted(Reminder.objects.values_list("due_date", flat=True)) == [date(2026, 11, 19), date(2026, 12, 31)]
    assert Notification.objects.count() == 2


def test_resubmission_reminder_reaches_every_active_applicant_user(travel, sweep):
    _alliance, applicants = returned_application(beijing(RETURNED_ON), users=3)
    applicants[2].is_active = False
    applicants[2].save(update_fields=["is_active"])
    travel(date(2026, 11, 19))

    sweep("resubmission")

    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        u.pk for u in applicants[:2]
    )


def test_resubmission_days_come_from_settings(travel, sweep, settings):
    settings.PORTAL = {**settings.PORTAL, "REMINDERS": {"RESUBMISSION_DAYS": 14}}
    returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 3))

    assert sweep("resubmission").created == 1
    assert Reminder.objects.get().stage == "14d"


def test_resubmission_email_links_to_the_application(travel, sweep, mailoutbox, settings):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://lianmeng.kjj.example.gov.cn/"}
    alliance, _users = returned_application(beijing(RETURNED_ON))
    travel(date(2026, 11, 19))

    sweep("resubmission")

    assert mailoutbox[0].body.endswith(f"\n\nhttps://lianmeng.kjj.example.gov.cn/alliances/{alliance.pk}/")
    assert "退回修改" in mailoutbox[0].body
