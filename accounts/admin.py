from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from alliance_portal.admin import ReadOnlyAdmin

from .models import AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "organisation", "email", "is_org_admin", "is_active", "last_login")
    list_filter = ("groups", "is_org_admin", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "organisation__name", "organisation__credit_code")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("full_name", "phone", "organisation", "is_org_admin")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "ip_address", "action", "outcome", "object_type", "object_id")
    list_filter = ("action", "outcome", "object_type")
    search_fields = ("username", "ip_address", "object_id")
    date_hierarchy = "at"
