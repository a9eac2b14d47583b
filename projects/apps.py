from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # Imported here, not at the top: models can be imported only once the apps are loaded.
        from alliance_portal.core import todo
        from alliances import tally as member_tally

        from . import tally
        from . import todo as own_todo
        from .models import Project

        todo.provide(own_todo.items)
        # The dashboard counts projects by their lead unit's district: kept whenever member units change.
        member_tally.keep_with_organisations(lambda organisations: tally.kept(
            Project.objects.filter(lead_unit__in=organisations)))
