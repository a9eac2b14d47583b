"""Default beat schedule (django-celery-beat, editable in the admin): daily sweeps at 08:00 Beijing time,
hourly recovery of lost deliveries and emails. Idempotent: existing tasks (perhaps edited) are kept."""

from django.db import migrations
from django.utils import timezone

TIME_ZONE = "Asia/Shanghai"

# (name shown in the admin, task, minute, hour)
SCHEDULE = [
    ("提醒：退回修改逾期未重新提交", "reminders.tasks.sweep_resubmissions", "0", "8"),
    ("提醒：重新投递未送达的提醒", "reminders.tasks.redeliver_stale_reminders", "15", "*"),
    ("通知：补发未发送的邮件", "notifications.tasks.send_unsent_emails", "45", "*"),
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
    # Tell a running beat to reload its schedule (what django-celery-beat's signals do for live models).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def uninstall(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_rest in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
