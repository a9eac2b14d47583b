"""Admin: the bureau configures reviews and keeps the expert pool here. Records of what happened are
read-only: every change of them goes through ``reviews.services`` on the review pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.admin import ReadOnlyAdmin
from calls.selectors import SCORECARD_LOCKED, locked_scorecard_calls

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
    OfficialDocument,
    PublicNotice,
    ReviewSettings,
    Scorecard,
    ScoreCriterion,
    ScreeningCheckItem,
    StagedOutcome,
    Supervision,
)

# --- Configuration ---------------------------------------------------------------------------------


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "experts_per_application", "assignment_days", "disagreement_threshold",
                    "joint_review_rule", "notice_days", "notice_working_days")
    fieldsets = (
        (_("Expert review"), {"fields": ("experts_per_application", "assignment_days", "disagreement_threshold",
                                         "criterion_disagreement_share")}),
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


class ScoreCriterionForm(forms.ModelForm):
    def clean_call(self):
        call = self.cleaned_data.get("call")
        # A criterion added to (or moved into) a call already scored on would change what experts score.
        if call is not None and call.pk != self.instance.call_id and locked_scorecard_calls([call.pk]):
            raise ValidationError(SCORECARD_LOCKED)
        return call


class CallFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("call for applications")  # the field has no verbose name of its own


@admin.register(ScoreCriterion)
class ScoreCriterionAdmin(admin.ModelAdmin):
    """The bureau's default scorecard (no call) and each call's copy. A call's criteria are edited on the call
    page; here, once its scorecard is locked, what makes scores comparable can no longer change or go."""

    form = ScoreCriterionForm
    list_display = ("name", "call_display", "weight", "max_score", "position", "is_active")
    list_editable = ("weight", "max_score", "position", "is_active")
    list_filter = ("is_active", ("call", CallFilter))
    list_select_related = ("call",)
    LOCKED_FIELDS = ("call", "weight", "max_score", "is_active")

    @admin.display(description=_("call for applications"), ordering="call")
    def call_display(self, obj):
        return obj.call or "—"

    def _is_locked(self, obj) -> bool:
        return obj is not None and bool(locked_scorecard_calls([obj.call_id]))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, *self.LOCKED_FIELDS) if self._is_locked(obj) else readonly

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_locked(obj)

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        locked_fields = self.LOCKED_FIELDS

        class LockedRowsFormSet(formset):
            """The list's editable columns, disabled on the rows of locked calls (posted values are ignored)."""

            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                if form.instance.call_id in self.locked_calls:
                    for name in locked_fields:
                        if name in form.fields:
                            form.fields[name].disabled = True
                return form

            @cached_property
            def locked_calls(self) -> set[int]:
                return locked_scorecard_calls({criterion.call_id for criterion in self.get_queryset()})

        return LockedRowsFormSet


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


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(ReadOnlyAdmin):
    """Issued documents are never edited here: a correction is a reissue (``reviews.documents``)."""

    list_display = ("number", "kind", "alliance", "status", "issued_at", "rendered_at", "sha256")
    list_filter = ("kind", "status")
    search_fields = ("number", "alliance__name", "sha256")
    exclude = ("file",)  # served by the portal's views after their access checks, never from the admin
