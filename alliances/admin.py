from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "kind", "district", "verification", "is_high_tech", "created_at")
    list_filter = ("kind", "verification", "district", "is_high_tech")
    search_fields = ("name", "credit_code", "contact_person", "email")
    list_select_related = ("district",)
    inlines = [RDPlatformInline]
    readonly_fields = ("verified_at", "verified_by")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)
    readonly_fields = ("invited_at", "responded_at")
    fields = ("organisation", "role", "is_core", "status", "invited_at", "responded_at")


class GovernanceInline(admin.TabularInline):
    model = GovernanceMember
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sector", "chairman", "state", "current_version", "created_at")
    list_filter = ("state", "sector")
    search_fields = ("name", "chairman__name", "chairman__credit_code")
    list_select_related = ("sector", "chairman")
    autocomplete_fields = ("chairman",)
    # The state changes only through reviews.services: never edited here.
    readonly_fields = ("state", "state_changed_at", "current_version")
    inlines = [MembershipInline, GovernanceInline]


class YearlyTargetInline(admin.TabularInline):
    model = YearlyTarget
    extra = 0


class PlannedInvestmentInline(admin.TabularInline):
    model = PlannedInvestment
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ("alliance",)
    search_fields = ("alliance__name",)
    inlines = [YearlyTargetInline, PlannedInvestmentInline]


@admin.register(AllianceAgreement)
class AllianceAgreementAdmin(admin.ModelAdmin):
    list_display = ("alliance", "original_name", "size", "pages", "uploaded_by", "uploaded_at")
    search_fields = ("alliance__name", "original_name")
    list_select_related = ("alliance", "uploaded_by")


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    list_display = ("alliance", "number", "submitted_by", "submitted_at")
    search_fields = ("alliance__name",)
    list_select_related = ("alliance", "submitted_by")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EligibilityRules)
class EligibilityRulesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "min_core_enterprises", "min_rd_organisations", "require_agreement",
                    "require_governance", "require_work_plan")

    def has_add_permission(self, request):
        return not EligibilityRules.objects.exists()


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("alliance", "organisation", "role", "is_core", "status", "invited_at")
    list_filter = ("role", "status", "is_core")
    search_fields = ("alliance__name", "organisation__name", "organisation__credit_code")
    list_select_related = ("alliance", "organisation")
