"""On PostgreSQL, sweeps and deliveries running at the same moment in different connections: every
reminder is written once and delivered once."""

import threading
from collections import Counter
from datetime import date

import pytest
from django.db import connection

from notifications.models import Notification
from reminders import services
from reminders.models import Reminder

from .conftest import beijing
from .factories import returned_applications_in_bulk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DUE = date(2026, 11, 19)


def at_once(function, times: int) -> list:
    """Run ``function`` in ``times`` threads released together; each thread has its own connection."""
    barrier, results, errors = threading.Barrier(times), [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_concurrent_sweeps_write_each_reminder_once(using_postgres, monkeypatch):
    returned_applications_in_bulk(300, beijing(date(2026, 10, 20)))
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: None)  # delivery is the next test's

    outcomes = at_once(lambda: services.run_sweep("resubmission", today=DUE), 4)

    assert sum(o.created for o in outcomes) == 300
    assert all(o.found == 300 for o in outcomes)
    assert Reminder.objects.count() == 300


def test_concurrent_deliveries_send_each_reminder_once(using_postgres, monkeypatch):
    returned_applications_in_bulk(300, beijing(date(2026, 10, 20)))
    monkeypatch.setattr(services, "enqueue_delivery", lambda ids: None)
    services.run_sweep("resubmission", today=DUE)
    ids = list(Reminder.objects.values_list("pk", flat=True))

    outcomes = at_once(lambda: services.deliver(ids), 4)

    assert sum(o.sent for o in outcomes) == 300
    assert set(Counter(Notification.objects.values_list("recipient_id", flat=True)).values()) == {1}
    assert Notification.objects.count() == 300
