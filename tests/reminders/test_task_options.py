"""Every reminder task acknowledges late and goes back to the queue when its worker dies; emails retry
with backoff on SMTP errors."""

import pytest

from alliance_portal.celery import app
from notifications.tasks import send_notification_emails
from reminders import sweeps
from reminders.tasks import SWEEP_TASKS, deliver_reminders, redeliver_stale_reminders


def reminder_tasks():
    app.loader.import_default_modules()
    return [task for name, task in sorted(app.tasks.items()) if name.startswith("reminders.")]


def test_every_sweep_has_its_task():
    assert set(SWEEP_TASKS) == set(sweeps.SWEEPS)
    assert {task.name for task in reminder_tasks()} == {
        *(t.name for t in SWEEP_TASKS.values()), deliver_reminders.name, redeliver_stale_reminders.name}


@pytest.mark.parametrize("task", reminder_tasks(), ids=lambda task: task.name)
def test_reminder_task_acks_late_and_is_rejected_on_worker_lost(task):
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)


def test_delivery_retries_database_errors_with_backoff():
    assert deliver_reminders.retry_backoff is True
    assert deliver_reminders.max_retries == 5


def test_email_task_retries_smtp_errors_with_backoff():
    import smtplib

    assert issubclass(smtplib.SMTPException, send_notification_emails.autoretry_for)
    assert send_notification_emails.retry_backoff is True
    assert (send_notification_emails.acks_late, send_notification_emails.reject_on_worker_lost) == (True, True)
