"""The Celery app the worker tests start: the portal's own app and tasks, on a private Redis key prefix.

``celery -A tests.reminders.worker_app worker`` with, from the environment:
- REMINDER_TEST_PREFIX: every Redis key (queues, unacked messages) gets it, so concurrent test runs on
  one Redis never see each other's messages;
- REMINDER_TEST_VISIBILITY_TIMEOUT: seconds before an unacknowledged message (its worker was killed) is
  handed out again (an hour in production; a second here);
- REMINDER_TEST_DELIVERY_BATCH: reminders per delivery task;
- REMINDER_TEST_DELIVERY_DELAY and REMINDER_TEST_MARKER: make every delivery sleep inside its
  transaction, after its notifications are written and before the ledger marks them sent, and write
  the ids being delivered to the marker file first, so that a test can kill the worker right there.
"""

import os
import time
from pathlib import Path

from celery import signals

from alliance_portal.celery import app

app.conf.task_always_eager = False
app.conf.worker_enable_remote_control = False  # no broadcast channels shared with other runs
app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "global_keyprefix": os.environ["REMINDER_TEST_PREFIX"],
    "visibility_timeout": int(os.environ.get("REMINDER_TEST_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


@signals.worker_init.connect
def _test_hooks(**kwargs):
    import django

    django.setup()
    from django.conf import settings

    from reminders import services

    settings.PORTAL["REMINDERS"] = {
        **settings.PORTAL.get("REMINDERS", {}),
        "DELIVERY_BATCH_SIZE": int(os.environ.get("REMINDER_TEST_DELIVERY_BATCH", "200")),
    }
    delay = float(os.environ.get("REMINDER_TEST_DELIVERY_DELAY", "0"))
    if not delay:
        return
    record = services._record_delivery
    marker = Path(os.environ["REMINDER_TEST_MARKER"])

    def slow_record_delivery(sent, notifications, cancelled, *, now):
        marker.write_text(",".join(str(reminder.pk) for reminder in sent))
        time.sleep(delay)
        return record(sent, notifications, cancelled, now=now)

    services._record_delivery = slow_record_delivery
