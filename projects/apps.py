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

        todo.provide(own_todo.items)
        # Projects carry their lead unit's district, and the dashboard counts them by it: both kept whenever
        # member units change.
        member_tally.keep_with_organisations(tally.lead_units_kept)
