"""The daily task that opens due assessments is installed in the database schedule."""

import pytest
from django_celery_beat.models import PeriodicTask

import assessments.tasks  # noqa: F401 - registers the task (autodiscovery is lazy)
from alliance_portal.celery import app

pytestmark = pytest.mark.django_db


def test_open_due_assessments_is_scheduled_daily_in_beijing_time():
    task = PeriodicTask.objects.get(task="assessments.tasks.open_due_assessments")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "30", "Asia/Shanghai")
    assert task.task in app.tasks
