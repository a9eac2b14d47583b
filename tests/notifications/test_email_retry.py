"""Celery may run the email task twice (acks_late, a retry after an SMTP error): nobody gets two emails."""

from unittest import mock

import pytest
from django.core.mail import send_mail

from notifications.models import Notification
from notifications.tasks import send_notification_emails

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_retried_email_task_does_not_email_twice(mailoutbox):
    notifications = NotificationFactory.create_batch(2)
    ids = [n.pk for n in notifications]

    first = send_notification_emails(notification_ids=ids)
    second = send_notification_emails(notification_ids=ids)

    assert (first, second) == (2, 0)
    assert len(mailoutbox) == 2
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).count() == 0


def test_email_task_failure_midway_retries_only_the_rest(mailoutbox):
    notifications = NotificationFactory.create_batch(3)
    ids = [n.pk for n in notifications]
    calls = {"n": 0}

    def flaky_send(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("SMTP connection reset")
        return send_mail(*args, **kwargs)

    with mock.patch("notifications.tasks.send_mail", side_effect=flaky_send), pytest.raises(OSError, match="SMTP"):
        send_notification_emails.run(notification_ids=ids)
    sent_on_retry = send_notification_emails(notification_ids=ids)

    assert sent_on_retry == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(n.recipient.email for n in notifications)


def test_email_task_ignores_deleted_notification(mailoutbox):
    notification = NotificationFactory()
    pk = notification.pk
    notification.delete()

    assert send_notification_emails(notification_ids=[pk]) == 0
    assert mailoutbox == []
