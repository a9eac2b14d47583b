"""Notifications whose email task was lost are emailed by the periodic catch-up, once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notifications.models import Notification
from notifications.tasks import send_unsent_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def notification(minutes_ago: int, **user):
    return Notification.objects.create(recipient=UserFactory(**user), kind="reminder_assessment", title="提醒",
                                       created_at=NOW - timedelta(minutes=minutes_ago))


def test_lost_email_sent_by_the_catch_up_once(mailoutbox):
    lost = notification(60)
    with time_machine.travel(NOW, tick=False):
        assert send_unsent_emails.delay().get() == 1
        assert send_unsent_emails.delay().get() == 0

    assert [m.to for m in mailoutbox] == [[lost.recipient.email]]


def test_catch_up_leaves_recent_old_and_addressless_notifications(mailoutbox):
    notification(5)  # its own task may still be on its way
    notification(60 * 24 * 3)  # too old to be worth an email now
    notification(60, email="")
    notification(60, is_active=False)
    with time_machine.travel(NOW, tick=False):
        assert send_unsent_emails.delay().get() == 0

    assert mailoutbox == []
