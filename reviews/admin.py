"""Admin: the bureau configures reviews and keeps the expert pool here. Records of what happened are
read-only: every change of them goes through ``reviews.services`` on the review pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alliance_portal.admin import ReadOnlyAdmin

from .models import (
    BatchDecision,
    CertificateCounter,
    DeclaredConflict,
    Department,
    DepartmentMembership,
    Designation,
    DesignationDocumentCounter,
    ExpertAssignment,
    ExpertProfile,
    JointReviewOpinion,
    Objection,
    PublicNotice,
    ReviewSettings,
    Scorecard,
    ScoreCriterion,
    ScreeningCheckItem,
    StagedOutcome,
    StateTransition,
    Supervision,
)


@admin.register(StateTransition)
class StateTransitionAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "action", "source", "target", "actor", "at")
    list_filter = ("action", "target")
    search_fields = ("alliance__name", "comment")
    list_select_related = ("alliance", "actor")


# --- Configuration ---------------------------------------------------------------------------------


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "experts_per_application", "assignment_days", "disagreement_threshold",
                    "joint_review_rule", "notice_days", "notice_working_days")
    fieldsets = (
        (_("Expert review"), {"fields": ("experts_per_application", "assignment_days", "disagreement_threshold")}),
        (_("Joint review"), {"fields": ("joint_review_rule",)}),
        (_("Public notice"), {"fields": ("notice_days", "notice_working_days", "objections_per_hour")}),
    )

    def has_add_permission(self, request):
        return not ReviewSettings.objects.exists()  # one row

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScreeningCheckItem)
class ScreeningCheckItemAdmin(admin.ModelAdmin):
    list_display = ("text", "section", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "section")


@admin.register(ScoreCriterion)
class ScoreCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "weight", "max_score", "position", "is_active")
    list_editable = ("weight", "max_score", "position", "is_active")
    list_filter = ("is_active",)


class DepartmentMembershipInline(admin.TabularInline):
    model = DepartmentMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "joins_joint_review", "position", "is_active")
    list_editable = ("joins_joint_review", "position", "is_active")
    inlines = [DepartmentMembershipInline]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "department")
    list_select_related = ("user", "department")
    autocomplete_fields = ("user",)
    list_filter = ("department",)


# --- Expert pool -----------------------------------------------------------------------------------


class DeclaredConflictInline(admin.TabularInline):
    model = DeclaredConflict
    extra = 0
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("alliance",)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "affiliation_display", "phone", "is_active")
    list_filter = ("is_active", "sectors")
    search_fields = ("user__full_name", "user__username", "affiliation__name", "affiliation_name", "specialty")
    list_select_related = ("user", "affiliation")
    autocomplete_fields = ("user", "affiliation")
    filter_horizontal = ("sectors",)
    inlines = [DeclaredConflictInline]

    @admin.display(description=_("affiliation"))
    def affiliation_display(self, obj):
        return obj.affiliation_display


# --- Records (read-only) ---------------------------------------------------------------------------


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "expert", "version", "status", "due_date", "assigned_at")
    list_filter = ("status",)
    search_fields = ("alliance__name", "expert__user__full_name")
    list_select_related = ("alliance", "expert__user")


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "weighted_total", "recommendation", "submitted_at")
    list_select_related = ("assignment__alliance", "assignment__expert__user")


@admin.register(JointReviewOpinion)
class JointReviewOpinionAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "department", "opinion", "given_by", "given_at")
    list_filter = ("department", "opinion")
    list_select_related = ("alliance", "department", "given_by")


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "starts_on", "ends_on", "closed_at")
    list_select_related = ("alliance",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("notice", "name", "phone", "status", "submitted_at", "resolved_at")
    list_filter = ("status",)
    list_select_related = ("notice__alliance",)


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ("certificate_number", "alliance", "level", "designated_at", "revoked_at")
    list_filter = ("level", "year")
    search_fields = ("certificate_number", "alliance__name")
    list_select_related = ("alliance",)


@admin.register(CertificateCounter)
class CertificateCounterAdmin(ReadOnlyAdmin):
    list_display = ("year", "last_sequence")


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "liaison_officer", "responsible_department", "assigned_at")
    list_select_related = ("alliance", "liaison_officer", "responsible_department")


@admin.register(StagedOutcome)
class StagedOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "call", "outcome", "position", "staged_by", "staged_at")
    list_filter = ("outcome",)
    list_select_related = ("alliance", "call", "staged_by")


@admin.register(BatchDecision)
class BatchDecisionAdmin(ReadOnlyAdmin):
    list_display = ("call", "released_at", "notice_ends_on", "designated_at", "document_number")
    list_select_related = ("call",)


@admin.register(DesignationDocumentCounter)
class DesignationDocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ("year", "last_sequence")
