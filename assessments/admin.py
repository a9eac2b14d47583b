"""Admin: the bureau configures the scorecard and the rules here. Assessment records are read-only:
they change only through ``assessments.services``."""

from django.contrib import admin

from alliance_portal.core.admin import ReadOnlyAdmin

from .models import (
    AssessmentCriterion,
    AssessmentExpertAssignment,
    AssessmentRound,
    AssessmentRules,
    HealthScore,
    LifecycleStage,
    Rectification,
)


@admin.register(AssessmentRules)
class AssessmentRulesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "excellent_threshold", "pass_threshold", "cycle_years", "min_operation_days",
                    "min_experts")

    def has_add_permission(self, request):
        return not AssessmentRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "weight", "max_score", "position", "is_active")
    list_editable = ("weight", "max_score", "position", "is_active")
    search_fields = ("name", "name_en", "code")

    def has_delete_permission(self, request, obj=None):
        return False  # scores refer to criteria; switch one off with "in use" instead



class AssignmentInline(admin.TabularInline):
    model = AssessmentExpertAssignment
    fields = ("expert", "assigned_at", "submitted_at", "total_score")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "kind", "status", "opened_at", "self_assessment_due", "total_score", "grade",
                    "outcome")
    list_filter = ("kind", "status", "grade", "outcome")
    search_fields = ("alliance__name",)
    list_select_related = ("alliance",)
    inlines = [AssignmentInline]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "deadline", "ordered_at", "reported_at", "closed_at")
    search_fields = ("alliance__name",)
    list_select_related = ("alliance",)


class HealthScoreInline(AssignmentInline):
    model = HealthScore
    fields = ("dimension", "rating", "comment")
    readonly_fields = fields


@admin.register(LifecycleStage)
class LifecycleStageAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "stage", "set_by", "set_at")
    list_filter = ("stage",)
    search_fields = ("alliance__name",)
    list_select_related = ("alliance", "set_by")
    inlines = [HealthScoreInline]
