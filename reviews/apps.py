from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Review and designation")

    def ready(self):
        # Imported here, not at the top: models can be imported only once the apps are loaded.
        from alliance_portal.core import todo
        from alliances.transitions import APPLICATION

        from . import services
        from . import todo as own_todo

        todo.provide(own_todo.items)
        services.register(APPLICATION)  # guards and effects of screening, scoring, joint review, notice, designation
