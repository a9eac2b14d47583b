"""Exactly once: a sweep that runs twice, overlaps itself or is retried, and a delivery that is retried,
send nothing twice."""

from datetime import date, time
from unittest import mock

import pytest

from notifications.models import Notification
from reminders import services
from reminders.models import Reminder
from reminders.tasks import deliver_reminders, sweep_resubmissions

from .conftest import beijing
from .factories import returned_application

pytestmark = pytest.mark.django_db

DUE = date(2026, 11, 19)


@pytest.fixture
def two_due(travel):
    applications = [returned_application(beijing(date(2026, 10, 20)), users=2) for _ in range(2)]
    travel(DUE)
    return applications


def test_same_sweep_run_twice_sends_once(two_due, sweep, mailoutbox):
    first, second = sweep("resubmission"), sweep("resubmission")

    assert (first.found, first.created) == (2 * 2, 4)
    assert (second.found, second.created) == (4, 0)
    assert Notification.objects.count() == 4
    assert len(mailoutbox) == 4


def test_sweep_task_run_twice_and_by_date_sends_once(two_due, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_resubmissions.delay()
        sweep_resubmissions.delay(today=DUE.isoformat())

    assert Notification.objects.count() == 4
    assert len(mailoutbox) == 4


def test_overlapping_sweeps_deliver_each_reminder_once(two_due, django_capture_on_commit_callbacks):
    # Two sweeps commit before either delivery runs (beat fired twice); then both deliveries run.
    with django_capture_on_commit_callbacks(execute=False) as first:
        services.run_sweep("resubmission")
    with django_capture_on_commit_callbacks(execute=False) as second:
        services.run_sweep("resubmission")
    assert (len(first), len(second)) == (1, 0)  # the second found every key already in the ledger

    with django_capture_on_commit_callbacks(execute=True):
        first[0]()
        first[0]()  # the broker redelivered the same task

    assert Notification.objects.count() == 4
    assert set(Reminder.objects.values_list("state", "attempts")) == {(Reminder.State.SENT, 1)}


def test_delivery_retried_after_a_crash_before_commit_sends_once(two_due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("resubmission")
    ids = list(Reminder.objects.values_list("pk", flat=True))

    # The worker dies after the notifications were written but before the ledger was updated: the
    # transaction is rolled back, and the redelivered task starts from scratch.
    with mock.patch("reminders.services._record_delivery", side_effect=SystemExit("worker lost")), \
            pytest.raises(SystemExit):
        services.deliver(ids)
    assert Notification.objects.count() == 0
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.PENDING}

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_reminders.delay(reminder_ids=ids).get() == 4
        assert deliver_reminders.delay(reminder_ids=ids).get() == 0

    assert Notification.objects.count() == 4


def test_stale_pending_reminders_redelivered_once(two_due, travel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("resubmission")  # the delivery task was lost with its broker
    travel(DUE, time(9, 0))

    with django_capture_on_commit_callbacks(execute=True):  # delivery is sent once this "commits"
        assert services.redeliver_stale() == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert services.redeliver_stale() == 0

    assert Notification.objects.count() == 4


def test_recent_pending_reminders_left_to_their_task(two_due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("resubmission")

    assert services.redeliver_stale() == 0
