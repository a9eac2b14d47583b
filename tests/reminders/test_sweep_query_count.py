"""A sweep reads and writes in a fixed number of queries, whatever the number of subjects."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import services
from reminders.models import Reminder

from .conftest import beijing
from .factories import returned_applications_in_bulk

pytestmark = pytest.mark.django_db


def queries_of_sweep(count: int, returned_on: date, today: date, capture_on_commit) -> int:
    returned_applications_in_bulk(count, beijing(returned_on))
    with capture_on_commit(execute=False), CaptureQueriesContext(connection) as queries:
        outcome = services.run_sweep("resubmission", today=today)
    assert outcome.created == count
    return len(queries)


def queries_of_delivery(capture_on_commit) -> int:
    ids = list(Reminder.objects.filter(state=Reminder.State.PENDING).values_list("pk", flat=True))
    with capture_on_commit(execute=False), CaptureQueriesContext(connection) as queries:
        assert services.deliver(ids).sent == len(ids)
    return len(queries)


def test_sweep_queries_equal_at_10_and_1000_subjects(django_capture_on_commit_callbacks):
    small = queries_of_sweep(10, date(2026, 10, 20), date(2026, 11, 19), django_capture_on_commit_callbacks)
    large = queries_of_sweep(1000, date(2026, 10, 21), date(2026, 11, 20), django_capture_on_commit_callbacks)

    assert small == large
    assert large <= 4  # savepoint, select, insert, release


def test_delivery_queries_equal_at_10_and_100_reminders(django_capture_on_commit_callbacks):
    queries_of_sweep(10, date(2026, 10, 20), date(2026, 11, 19), django_capture_on_commit_callbacks)
    small = queries_of_delivery(django_capture_on_commit_callbacks)
    queries_of_sweep(100, date(2026, 10, 21), date(2026, 11, 20), django_capture_on_commit_callbacks)

    large = queries_of_delivery(django_capture_on_commit_callbacks)

    assert small == large
