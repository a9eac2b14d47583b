from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteVisitsConfig(AppConfig):
    name = "site_visits"
    verbose_name = _("Site visits")

    def ready(self):
        # Imported here: models can be imported only once the apps are loaded (Django's app registry).
        from alliances.transitions import APPLICATION

        from .selectors import findings_problem, scheduling_problem

        # After reviews' own guard of these actions (the experts' scores): INSTALLED_APPS lists reviews first.
        APPLICATION.guard("start_site_visit")(lambda alliance, attempt: scheduling_problem(alliance))
        APPLICATION.guard("send_to_joint_review")(lambda alliance, attempt: findings_problem(alliance))
