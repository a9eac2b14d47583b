from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("District recommendation")

    def ready(self):
        # Imported here, not at the top: models can be imported only once the apps are loaded.
        from alliance_portal.core import todo
        from alliances.transitions import APPLICATION

        from . import todo as own_todo
        from .selectors import decline_problem, recommendation_problem

        todo.provide(own_todo.items)
        # The district's record must exist (the services write it in the same transaction): letter and quota.
        APPLICATION.guard("recommend")(lambda alliance, attempt: recommendation_problem(alliance))
        APPLICATION.guard("decline_recommendation")(lambda alliance, attempt: decline_problem(alliance))
