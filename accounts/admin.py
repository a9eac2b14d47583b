from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.admin import ReadOnlyAdmin

from .models import AuditEvent, User
from .roles import Role


class PortalUserChangeForm(UserChangeForm):
    """The admin's user form: a district reviewer (a role, i.e. a group chosen on this form) needs a district,
    or they would see no application at all."""

    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned_data = super().clean()
        groups = cleaned_data.get("groups")
        if (groups is not None and "district" in self.fields and not cleaned_data.get("district")
                and any(group.name == Role.DISTRICT_REVIEWER.value for group in groups)):
            self.add_error("district", _("A district reviewer needs a district: choose the district whose applications "
                                         "they review, or remove the district reviewer group."))
        return cleaned_data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = PortalUserChangeForm
    list_display = ("username", "full_name", "organisation", "district", "email", "is_org_admin", "is_active",
                    "last_login")
    list_filter = ("groups", "district", "is_org_admin", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "organisation__name", "organisation__credit_code")
    list_select_related = ("organisation", "district")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("full_name", "phone", "organisation", "is_org_admin", "district")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "ip_address", "action", "outcome", "object_type", "object_id")
    list_filter = ("action", "outcome", "object_type")
    search_fields = ("username", "ip_address", "object_id")
    date_hierarchy = "at"
