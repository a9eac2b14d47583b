import json
from contextlib import contextmanager

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.admin import PortalHistoryAdmin, ReadOnlyAdmin

from . import tally as member_tally
from .models import (
    Alliance,
    AllianceAgreement,
    ApplicationVersion,
    District,
    EligibilityRules,
    GovernanceMember,
    Membership,
    Organisation,
    PlannedInvestment,
    RDPlatform,
    Sector,
    StateTransition,
    WorkPlan,
    YearlyTarget,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "is_active", "position")
    list_editable = ("is_active", "position")
    search_fields = ("name", "name_en", "code")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("name", "code")


class RDPlatformInline(admin.TabularInline):
    model = RDPlatform
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(PortalHistoryAdmin):
    list_display = ("name", "credit_code", "kind", "district", "verification", "is_high_tech", "created_at")
    list_filter = ("kind", "verification", "district", "is_high_tech")
    search_fields = ("name", "credit_code", "contact_person", "email")
    list_select_related = ("district",)
    inlines = [RDPlatformInline]
    readonly_fields = ("verified_at", "verified_by")

    def save_model(self, request, obj, form, change):
        # the dashboard counts member units by district and kind, projects by their lead unit's district
        with member_tally.organisations_kept(Organisation.objects.filter(pk=obj.pk)):
            super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)
    # Consent is given by the member itself (alliances.services.respond_to_invitation), never set here.
    readonly_fields = ("status", "invited_at", "responded_by", "responded_at")
    fields = ("organisation", "role", "is_core", "status", "invited_at", "responded_by", "responded_at")


class AgreementInline(admin.TabularInline):
    model = AllianceAgreement
    extra = 0
    fields = ("original_name", "size", "pages", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the PDF checks of alliances.services.upload_agreement


class GovernanceInline(admin.TabularInline):
    model = GovernanceMember
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(PortalHistoryAdmin):
    list_display = ("name", "sector", "chairman", "chairman_district", "state", "current_version", "created_at",
                    "updated_at")
    list_filter = ("state", "sector", ("chairman__district", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("name", "chairman__name", "chairman__credit_code", "secretariat_contact",
                     "memberships__organisation__name", "memberships__organisation__credit_code")
    list_select_related = ("sector", "chairman", "chairman__district")
    autocomplete_fields = ("chairman",)
    date_hierarchy = "created_at"
    # The state changes only through reviews.services: never edited here.
    readonly_fields = ("state", "state_changed_at", "current_version", "created_by", "created_at", "updated_at")
    inlines = [MembershipInline, GovernanceInline, AgreementInline]

    @admin.display(description=_("district of the chairman unit"), ordering="chairman__district__code")
    def chairman_district(self, obj):
        return obj.chairman.district

    def save_model(self, request, obj, form, change):
        # a new sector moves the confirmed members' counts of the dashboard's member-unit tally
        with member_tally.kept(Organisation.objects.filter(memberships__alliance_id=obj.pk)):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        with _members_kept(Membership.objects.filter(alliance_id=form.instance.pk)):
            super().save_related(request, form, formsets, change)


@admin.register(GovernanceMember)
class GovernanceMemberAdmin(admin.ModelAdmin):
    list_display = ("person_name", "body", "position", "title", "organisation_name", "alliance")
    list_filter = ("body",)
    search_fields = ("person_name", "organisation_name", "alliance__name")
    list_select_related = ("alliance",)
    autocomplete_fields = ("alliance",)


class YearlyTargetInline(admin.TabularInline):
    model = YearlyTarget
    extra = 0


class PlannedInvestmentInline(admin.TabularInline):
    model = PlannedInvestment
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(PortalHistoryAdmin):
    list_display = ("alliance", "alliance_state")
    list_filter = ("alliance__state", "alliance__sector")
    search_fields = ("alliance__name", "alliance__chairman__name")
    list_select_related = ("alliance",)
    inlines = [YearlyTargetInline, PlannedInvestmentInline]

    @admin.display(description=_("state"), ordering="alliance__state")
    def alliance_state(self, obj):
        return obj.alliance.get_state_display()


@admin.register(AllianceAgreement)
class AllianceAgreementAdmin(admin.ModelAdmin):
    list_display = ("alliance", "original_name", "size", "pages", "uploaded_by", "uploaded_at")
    list_filter = ("uploaded_at",)
    search_fields = ("alliance__name", "original_name", "sha256")
    list_select_related = ("alliance", "uploaded_by")
    readonly_fields = ("alliance", "file", "original_name", "size", "sha256", "pages", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False  # uploads go through the PDF checks of alliances.services.upload_agreement


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    """Frozen versions are read-only: created by submission only, never changed or deleted."""

    list_display = ("alliance", "number", "submitted_by", "submitted_at")
    list_filter = ("submitted_at",)
    search_fields = ("alliance__name", "alliance__chairman__name")
    list_select_related = ("alliance", "submitted_by")
    fields = ("alliance", "number", "submitted_by", "submitted_at", "snapshot_text")
    readonly_fields = fields

    @admin.display(description=_("snapshot"))
    def snapshot_text(self, obj):
        return format_html("<pre class=\"snapshot\">{}</pre>", json.dumps(obj.snapshot, ensure_ascii=False, indent=2))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityRules)
class EligibilityRulesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "min_core_enterprises", "min_rd_organisations", "require_agreement",
                    "require_governance", "require_work_plan")

    def has_add_permission(self, request):
        return not EligibilityRules.objects.exists()


@contextmanager
def _members_kept(memberships):
    """The member-unit tally around an admin change to ``memberships`` (which may gain or lose rows): the
    units that were members before and the units that are after."""
    before_ids = set(memberships.values_list("organisation_id", flat=True))
    before = member_tally.keys_of(Organisation.objects.filter(pk__in=before_ids))
    yield
    after_ids = before_ids | set(memberships.values_list("organisation_id", flat=True))
    member_tally.recount(keys=before | member_tally.keys_of(Organisation.objects.filter(pk__in=after_ids)))


@admin.register(Membership)
class MembershipAdmin(PortalHistoryAdmin):
    list_display = ("alliance", "organisation", "role", "is_core", "status", "invited_at", "responded_at")
    list_filter = ("role", "status", "is_core", "organisation__kind")
    search_fields = ("alliance__name", "organisation__name", "organisation__credit_code")
    list_select_related = ("alliance", "organisation")
    autocomplete_fields = ("alliance", "organisation")
    # Consent is given by the member itself (alliances.services.respond_to_invitation), never set here.
    readonly_fields = ("status", "invited_by", "invited_at", "responded_by", "responded_at", "left_at")

    def save_model(self, request, obj, form, change):
        with _members_kept(Membership.objects.filter(pk=obj.pk) if obj.pk else Membership.objects.none()), \
                member_tally.kept(Organisation.objects.filter(pk=obj.organisation_id)):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with member_tally.kept(Organisation.objects.filter(pk=obj.organisation_id)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with member_tally.kept(Organisation.objects.filter(memberships__in=queryset)):
            super().delete_queryset(request, queryset)


@admin.register(StateTransition)
class StateTransitionAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "action", "source", "target", "actor", "at")
    list_filter = ("action", "target")
    search_fields = ("alliance__name", "comment")
    list_select_related = ("alliance", "actor")
