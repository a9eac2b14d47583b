from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_administrator
from alliance_portal.core.admin import ReadOnlyAdmin

from .models import BackupRun


@admin.register(BackupRun)
class BackupRunAdmin(ReadOnlyAdmin):
    """Every backup run, as ``manage.py backup`` recorded it: administrators only, and nobody edits it."""

    list_display = ("name", "outcome", "started_at", "duration_seconds", "total_size", "tables", "rows", "files",
                    "retention", "short_error")
    list_filter = ("outcome",)
    search_fields = ("name", "database_sha256", "media_sha256")
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in BackupRun._meta.fields]

    @admin.display(description=_("size"))
    def total_size(self, run):
        return filesizeformat(run.size) if run.size is not None else "—"

    @admin.display(description=_("error"))
    def short_error(self, run):
        return run.error[:120]

    def has_module_permission(self, request):
        return request.user.is_superuser or is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)
