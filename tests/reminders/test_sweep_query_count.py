"""A sweep reads and writes in a fixed number of queries, whatever the number of subjects."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentRules
from reminders import services
from reminders.management.commands.bench_reminder_sweep import build_projects
from reminders.models import Reminder

from .conftest import beijing
from .factories import designated_alliances_in_bulk, returned_applications_in_bulk

pytestmark = pytest.mark.django_db


def queries_of_sweep(name: str, today: date, expected: int, capture_on_commit) -> int:
    with capture_on_commit(execute=False), CaptureQueriesContext(connection) as queries:
        outcome = services.run_sweep(name, today=today)
    assert outcome.created == expected
    return len(queries)


def queries_of_delivery(capture_on_commit) -> int:
    ids = list(Reminder.objects.filter(state=Reminder.State.PENDING).values_list("pk", flat=True))
    with capture_on_commit(execute=False), CaptureQueriesContext(connection) as queries:
        assert services.deliver(ids).sent == len(ids)
    return len(queries)


def test_resubmission_sweep_queries_equal_at_10_and_1000_applications(django_capture_on_commit_callbacks):
    returned_applications_in_bulk(10, beijing(date(2026, 10, 20)))
    small = queries_of_sweep("resubmission", date(2026, 11, 19), 10, django_capture_on_commit_callbacks)
    returned_applications_in_bulk(1000, beijing(date(2026, 10, 21)))
    large = queries_of_sweep("resubmission", date(2026, 11, 20), 1000, django_capture_on_commit_callbacks)

    assert small == large
    assert large <= 5  # savepoint, select, insert, the delivery batches into the outbox, release


def test_progress_report_sweep_queries_equal_at_10_and_1000_projects(django_capture_on_commit_callbacks):
    first, second = date(2026, 10, 15), date(2026, 10, 12)  # 3 days apart: the first ten stay in stage "7d"
    build_projects(10, today=first, spread_days=1)
    small = queries_of_sweep("progress_report", first, 10, django_capture_on_commit_callbacks)
    build_projects(1000, today=second, spread_days=1)
    large = queries_of_sweep("progress_report", second, 1000, django_capture_on_commit_callbacks)

    assert small == large
    assert large <= 5


def test_assessment_sweep_queries_equal_at_10_and_1000_alliances(django_capture_on_commit_callbacks):
    AssessmentRules.current()  # the bureau's rules row exists in a running portal
    due = date(2028, 3, 2)
    designated_alliances_in_bulk(10, date(2026, 3, 2))
    small = queries_of_sweep("assessment", due - timedelta(days=30), 30, django_capture_on_commit_callbacks)
    designated_alliances_in_bulk(1000, date(2026, 3, 3))
    # the first ten are still in their "30d" window the day after: only the thousand are new
    large = queries_of_sweep("assessment", due - timedelta(days=29), 3000, django_capture_on_commit_callbacks)

    assert small == large
    assert large <= 9  # rules, alliances, three recipient routes, insert, outbox insert, savepoint pair


def test_delivery_queries_equal_at_10_and_100_reminders(django_capture_on_commit_callbacks):
    returned_applications_in_bulk(10, beijing(date(2026, 10, 20)))
    queries_of_sweep("resubmission", date(2026, 11, 19), 10, django_capture_on_commit_callbacks)
    small = queries_of_delivery(django_capture_on_commit_callbacks)
    returned_applications_in_bulk(100, beijing(date(2026, 10, 21)))
    queries_of_sweep("resubmission", date(2026, 11, 20), 100, django_capture_on_commit_callbacks)

    large = queries_of_delivery(django_capture_on_commit_callbacks)

    assert small == large
