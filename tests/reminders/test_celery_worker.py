"""Against a real Redis and PostgreSQL: a Celery worker runs a sweep and writes the notifications; a
worker killed with SIGKILL in the middle of a delivery leaves nothing half done, and the next worker
delivers every reminder exactly once."""

import os
from collections import Counter
from datetime import date

import pytest

from notifications.models import Notification
from reminders.models import Reminder

from .conftest import beijing
from .factories import returned_application
from .workers import Broker, Worker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETURNED_ON, DUE = date(2026, 10, 20), date(2026, 11, 19)


@pytest.fixture
def broker(using_postgres):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("The worker tests need Redis: set REDIS_URL=redis://… (CI does).")
    broker = Broker(redis_url)
    yield broker
    broker.close()


@pytest.fixture
def start_worker(broker, tmp_path):
    """``start_worker(**env)`` starts a worker on the test database and waits until it consumes."""
    workers = []

    def start(**env) -> Worker:
        worker = Worker(broker, tmp_path / f"worker-{len(workers) + 1}.log", **env)
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()


def applications(count: int):
    return [returned_application(beijing(RETURNED_ON))[1][0] for _ in range(count)]


def test_worker_runs_a_sweep_and_writes_the_notifications(broker, start_worker):
    applicants = applications(5)
    worker = start_worker()

    broker.send("reminders.tasks.sweep_resubmissions", today=DUE.isoformat())

    wait_until(lambda: Reminder.objects.filter(state=Reminder.State.SENT).count() == 5, timeout=90,
               what=f"5 reminders sent; worker log:\n{worker.output()}")
    assert Counter(Notification.objects.values_list("recipient_id", flat=True)) == {u.pk: 1 for u in applicants}
    # the email task went through the broker too, after the delivery committed
    wait_until(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), timeout=60,
               what="the notifications to be emailed")


def test_worker_killed_mid_delivery_then_every_reminder_delivered_once(broker, start_worker, tmp_path):
    applicants = applications(12)
    marker = tmp_path / "delivering"
    first = start_worker(REMINDER_TEST_DELIVERY_BATCH=4, REMINDER_TEST_DELIVERY_DELAY=120,
                         REMINDER_TEST_MARKER=marker)

    broker.send("reminders.tasks.sweep_resubmissions", today=DUE.isoformat())
    in_flight = wait_until(lambda: marker.exists() and marker.read_text(), timeout=90,
                           what=f"a delivery to start; worker log:\n{first.output()}")
    in_flight = [int(pk) for pk in in_flight.split(",")]

    # The worker is inside the delivery's transaction: its notifications are written but not committed.
    assert len(in_flight) == 4
    assert Notification.objects.count() == 0
    assert Reminder.objects.filter(state=Reminder.State.PENDING).count() == 12
    first.kill()

    second = start_worker(REMINDER_TEST_VISIBILITY_TIMEOUT=1, REMINDER_TEST_DELIVERY_BATCH=4)
    wait_until(lambda: Reminder.objects.filter(state=Reminder.State.SENT).count() == 12, timeout=120,
               what=f"12 reminders sent; worker log:\n{second.output()}")

    assert Counter(Notification.objects.values_list("recipient_id", flat=True)) == {u.pk: 1 for u in applicants}
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
    killed_batch = Reminder.objects.filter(pk__in=in_flight)
    assert {r.state for r in killed_batch} == {Reminder.State.SENT}
    assert all(r.notification_id for r in killed_batch)
