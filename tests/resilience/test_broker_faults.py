"""Broker faults, with real Celery workers on a Redis server of the test's own (started and killed here,
never the machine's): Redis restarted while reminders are queued, and a worker killed with SIGKILL in the
middle of a delivery. The guarantee comes from the reminder ledger in PostgreSQL, not from the broker:
Redis keeps nothing on disk, so a restart loses the queued messages, and the periodic redelivery hands
every reminder still pending to delivery again; delivery's row locks and states send each one once.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import F

from alliance_portal.outbox import services as outbox
from alliance_portal.outbox.models import OutboxMessage
from notifications.models import Notification
from reminders import services, tasks
from reminders.models import Reminder
from tests.reminders.conftest import beijing
from tests.reminders.factories import returned_application
from tests.reminders.workers import Broker, Worker, wait_until

from .conftest import RedisServer

pytestmark = [
    pytest.mark.resilience,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RETURNED_ON, DUE = date(2026, 10, 20), date(2026, 11, 19)
BATCH = 4


@pytest.fixture
def broker(using_postgres, redis_server):
    broker = Broker(redis_server.url)
    yield broker
    broker.producer.close()  # the server dies with the test: nothing to clean up in it


@pytest.fixture
def start_worker(broker, tmp_path):
    workers = []

    def start(**env) -> Worker:
        worker = Worker(broker, tmp_path / f"worker-{len(workers) + 1}.log", **env)
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def through_broker(broker, monkeypatch, settings):
    """The outbox in this process hands its messages to the test's Redis (the test process' own Celery
    app runs tasks eagerly), ``BATCH`` reminders per delivery task, as the worker does."""
    settings.PORTAL = {**settings.PORTAL, "REMINDERS": {**settings.PORTAL.get("REMINDERS", {}),
                                                        "DELIVERY_BATCH_SIZE": BATCH}}
    monkeypatch.setattr(outbox, "_hand_over", lambda message: broker.send(message.task, **message.kwargs))


def applicants(count: int):
    return [returned_application(beijing(RETURNED_ON))[1][0] for _ in range(count)]


def queued(server: RedisServer, broker: Broker) -> int:
    client = server.client()
    try:
        return client.llen(f"{broker.prefix}celery")
    finally:
        client.close()


def pending() -> int:
    return Reminder.objects.filter(state=Reminder.State.PENDING).count()


def test_redis_restarted_while_reminders_are_queued_then_each_delivered_once(
        redis_server, broker, through_broker, start_worker, report):
    people = applicants(12)
    assert services.run_sweep("resubmission", today=DUE).created == 12
    assert queued(redis_server, broker) == 12 // BATCH

    redis_server.kill()
    late = applicants(4)  # the broker is down when this sweep commits: its message waits in the outbox
    assert services.run_sweep("resubmission", today=DUE).created == 4
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert [(m.task, m.attempts) for m in waiting] == [(tasks.deliver_reminders.name, 1)]
    redis_server.start()

    assert queued(redis_server, broker) == 0  # no persistence: the queued deliveries are gone
    assert pending() == 16
    assert outbox.relay() == 1  # the periodic relay hands the waiting message over once the broker is back
    assert queued(redis_server, broker) == 1
    worker = start_worker(REMINDER_TEST_DELIVERY_BATCH=BATCH)
    # Beat runs the redelivery every 15 minutes; it takes rows pending for 30. Stand in for the wait.
    Reminder.objects.update(created_at=F("created_at") - timedelta(minutes=31))
    broker.send(tasks.redeliver_stale_reminders.name)

    wait_until(lambda: pending() == 0, timeout=90, what=f"16 reminders delivered; log:\n{worker.output()}")
    broker.send(tasks.redeliver_stale_reminders.name)  # a second run finds nothing left to hand over
    wait_until(lambda: worker.output().count("redeliver_stale_reminders") >= 4, timeout=60,
               what=f"the second redelivery; log:\n{worker.output()}")

    everyone = people + late
    assert Counter(Notification.objects.values_list("recipient_id", flat=True)) == {u.pk: 1 for u in everyone}
    assert set(Reminder.objects.values_list("state", "attempts")) == {(Reminder.State.SENT, 1)}
    report(f"12 reminders queued in {12 // BATCH} delivery messages, Redis killed (no persistence) → "
           f"0 messages after restart; 4 more swept while Redis was down (their message waited in the outbox "
           f"and was relayed after the restart); redelivery from the ledger → {len(everyone)} notifications, each recipient exactly once, "
           f"attempts=1 everywhere; a second redelivery handed over nothing")


def test_worker_killed_mid_delivery_then_each_delivered_once_by_the_next(broker, start_worker, tmp_path, report):
    people = applicants(12)
    marker = tmp_path / "delivering"
    first = start_worker(REMINDER_TEST_DELIVERY_BATCH=BATCH, REMINDER_TEST_DELIVERY_DELAY=120,
                         REMINDER_TEST_MARKER=marker)
    broker.send(tasks.SWEEP_TASKS["resubmission"].name, today=DUE.isoformat())
    in_flight = wait_until(lambda: marker.exists() and marker.read_text(), timeout=90,
                           what=f"a delivery to start; log:\n{first.output()}")
    in_flight = [int(pk) for pk in in_flight.split(",")]
    # inside the delivery's transaction: notifications written, not committed
    assert (len(in_flight), Notification.objects.count(), pending()) == (BATCH, 0, 12)

    first.kill()
    second = start_worker(REMINDER_TEST_VISIBILITY_TIMEOUT=1, REMINDER_TEST_DELIVERY_BATCH=BATCH)
    wait_until(lambda: pending() == 0, timeout=120, what=f"12 reminders sent; log:\n{second.output()}")

    assert Counter(Notification.objects.values_list("recipient_id", flat=True)) == {u.pk: 1 for u in people}
    assert set(Reminder.objects.values_list("state", "attempts")) == {(Reminder.State.SENT, 1)}
    assert all(Reminder.objects.filter(pk__in=in_flight).values_list("notification_id", flat=True))
    report(f"worker SIGKILLed inside a delivery of {len(in_flight)} reminders (uncommitted) → the next worker "
           f"got the unacknowledged message back; 12 reminders → 12 notifications, each once, attempts=1")
