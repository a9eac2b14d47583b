from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Review and designation")

    def ready(self):
        # Imported here: models can be imported only once the apps are loaded (Django's app registry).
        from alliances.transitions import APPLICATION

        from . import services

        services.register(APPLICATION)
