"""The default beat schedule is in the database (editable in the admin), in Beijing time."""

import pytest
from django_celery_beat.models import PeriodicTask

from alliance_portal.celery import app
from reminders import sweeps
from reminders.tasks import SWEEP_TASKS

pytestmark = pytest.mark.django_db


def test_every_sweep_has_a_daily_periodic_task_at_eight_beijing_time():
    scheduled = {t.task: t for t in PeriodicTask.objects.select_related("crontab")}
    for name in sweeps.SWEEPS:
        task = scheduled[SWEEP_TASKS[name].name]
        assert task.enabled
        assert (task.crontab.hour, str(task.crontab.timezone)) == ("8", "Asia/Shanghai")


def test_recovery_tasks_scheduled_hourly():
    tasks = set(PeriodicTask.objects.filter(crontab__hour="*").values_list("task", flat=True))

    assert {"reminders.tasks.redeliver_stale_reminders", "notifications.tasks.send_unsent_emails"} <= tasks


def test_scheduled_tasks_are_registered_with_celery():
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.values_list("task", flat=True):
        assert task in app.tasks, task

