"""``manage.py bench_reminder_sweep`` prints its figures and leaves the database as it was."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projects.models import Project
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_benchmark_prints_seconds_and_statements_and_rolls_back():
    out = StringIO()

    call_command("bench_reminder_sweep", "--projects", "60", "--spread-days", "1", stdout=out)

    output = out.getvalue()
    assert "built 60 projects" in output
    first = re.search(r"first run: 60 reminders due, 60 written, [\d.]+ s, (\d+) SQL statements", output)
    second = re.search(r"second run: 60 reminders due, 0 written, [\d.]+ s, (\d+) SQL statements", output)
    assert first, output
    assert second, output
    # The same statements whether it writes 60 or none, but for the one INSERT of delivery batches into
    # the outbox.
    assert int(first.group(1)) == int(second.group(1)) + 1
    assert "rolled back" in output
    assert (Project.objects.count(), Reminder.objects.count()) == (0, 0)


def test_benchmark_refuses_nonsense():
    with pytest.raises(CommandError, match="positive"):
        call_command("bench_reminder_sweep", "--projects", "0")
