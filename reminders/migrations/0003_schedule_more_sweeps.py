"""Beat schedule for the sweeps whose subjects landed after 0002 (assessments, reviews, projects):
daily in the morning, Beijing time, a few minutes apart. Idempotent; edited tasks are kept."""

from django.db import migrations
from django.utils import timezone

TIME_ZONE = "Asia/Shanghai"

# (name shown in the admin, task, minute, hour)
SCHEDULE = [
    ("提醒：两年一次考核到期", "reminders.tasks.sweep_assessments", "5", "8"),
    ("提醒：整顿期限临近或已过", "reminders.tasks.sweep_rectifications", "10", "8"),
    ("提醒：专家评审到期或逾期", "reminders.tasks.sweep_expert_reviews", "15", "8"),
    ("提醒：公示期结束待认定", "reminders.tasks.sweep_public_notices", "20", "8"),
    ("提醒：项目进展报告到期或逾期", "reminders.tasks.sweep_progress_reports", "25", "8"),
    ("提醒：年度发展计划到期或未报", "reminders.tasks.sweep_annual_plans", "30", "8"),
]


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minute, hour in SCHEDULE:
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=TIME_ZONE
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab, "kwargs": "{}"})
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def uninstall(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_rest in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_default_schedule")]

    operations = [migrations.RunPython(install, uninstall)]
