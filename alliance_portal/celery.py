"""The Celery app. Broker is Redis (``REDIS_URL``); on the embedded default tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings")

app = Celery("alliance_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
