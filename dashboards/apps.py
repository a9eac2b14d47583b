from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and API access")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import invalidation

        invalidation.install()  # cached counts and dashboard figures go stale when a table they read is written
        post_migrate.connect(invalidation.new_release, sender=self, dispatch_uid="dashboards.new_release")
