"""``manage.py run_reminder_sweep``: any sweep by hand, on any date, with a dry run that writes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Notification
from reminders.models import Reminder

from .conftest import beijing
from .factories import returned_application

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("run_reminder_sweep", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_reminders_and_writes_nothing(mailoutbox):
    alliance, (applicant,) = returned_application(beijing(date(2026, 10, 20)))

    output = run("resubmission", "--date", "2026-11-19", "--dry-run")

    assert "resubmission on 2026-11-19: 1 due, 1 would be new" in output
    assert f"alliances.alliance#{alliance.pk} due 2026-11-19 30d → user {applicant.pk}" in output
    assert Reminder.objects.count() == 0
    assert Notification.objects.count() == 0


def test_run_sends_and_dry_run_then_lists_nothing_new(django_capture_on_commit_callbacks):
    returned_application(beijing(date(2026, 10, 20)))

    with django_capture_on_commit_callbacks(execute=True):
        output = run("resubmission", "--date", "2026-11-19")

    assert "resubmission on 2026-11-19: 1 due, 1 new reminders queued for delivery" in output
    assert Notification.objects.count() == 1
    assert "1 due, 0 would be new" in run("resubmission", "--date", "2026-11-19", "--dry-run")


def test_all_runs_every_sweep():
    output = run("all", "--date", "2026-11-19", "--dry-run")

    assert "resubmission on 2026-11-19" in output


def test_unknown_sweep_refused_with_the_choices():
    with pytest.raises(CommandError, match=r"unknown sweep 'nope'; choose from: all, .*resubmission"):
        run("nope")


def test_bad_date_refused():
    with pytest.raises(CommandError, match="date"):
        run("resubmission", "--date", "19.11.2026")
