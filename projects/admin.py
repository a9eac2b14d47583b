from django.contrib import admin

from alliance_portal.core.admin import PortalHistoryAdmin, ReadOnlyAdmin

from .models import Activity, ChangeRequest, DevelopmentPlan, ProgressReport, Project, ProjectTransition


@admin.register(Project)
class ProjectAdmin(PortalHistoryAdmin, ReadOnlyAdmin):
    list_display = ["title", "approval_number", "alliance", "kind", "state", "start_date", "end_date"]
    list_filter = ["state", "kind", "sector"]
    search_fields = ["title", "approval_number"]
    list_select_related = ["alliance"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "period_start", "period_end", "submitted_at", "is_late"]
    list_select_related = ["project"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "status", "requested_at", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["project"]


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdmin):
    list_display = ["project", "source", "target", "actor", "at"]
    list_select_related = ["project", "actor"]


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "alliance", "kind", "year", "status"]
    list_select_related = ["alliance"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "alliance", "kind", "date"]
    list_select_related = ["alliance"]
