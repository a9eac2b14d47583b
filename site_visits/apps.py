from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteVisitsConfig(AppConfig):
    name = "site_visits"
    verbose_name = _("Site visits")
