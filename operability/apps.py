from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperabilityConfig(AppConfig):
    name = "operability"
    verbose_name = _("Operations: backups, logs and metrics")

    def ready(self):
        from . import metrics, request_log  # noqa: F401 - connect the Celery task receivers
