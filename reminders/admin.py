from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The ledger is written by sweeps and delivery only: read-only here."""

    list_display = ("kind", "subject_type", "subject_id", "due_date", "stage", "recipient", "state", "created_at",
                    "sent_at")
    list_filter = ("kind", "state", "stage")
    search_fields = ("recipient__username", "recipient__full_name")
    date_hierarchy = "due_date"
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "notification")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
