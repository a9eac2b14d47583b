from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteVisitsConfig(AppConfig):
    name = "site_visits"
    verbose_name = _("Site visits")

    def ready(self):
        # Imported here, not at the top: models can be imported only once the apps are loaded.
        from django.db.models import Exists, OuterRef, Q

        from alliance_portal.core import todo
        from alliances.transitions import APPLICATION
        from alliances.workflow import State
        from calls.selectors import define_step
        from reviews.services import experts_done

        from . import todo as own_todo
        from .models import SiteVisit
        from .selectors import findings_problem, scheduling_problem

        todo.provide(own_todo.items)
        # The calls' funnel: the findings of a visit of the application were recorded, whatever happened next
        # (joint review, rejection, return for revision).
        define_step("visited", Q(Exists(SiteVisit.objects.filter(alliance_id=OuterRef("pk"),
                                                                 status=SiteVisit.Status.CONCLUDED))))

        @APPLICATION.guard("start_site_visit")
        def visit_scheduled(alliance, attempt):
            experts_done(alliance)  # the experts' scores first, as for every stage after expert review
            return scheduling_problem(alliance)

        @APPLICATION.guard("send_to_joint_review")
        def findings_recorded(alliance, attempt):
            if alliance.state == State.SITE_VISIT:
                experts_done(alliance)  # first, as before the findings (reviews' own guard runs after this)
            return findings_problem(alliance)
