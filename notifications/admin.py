from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "title")
    list_select_related = ("recipient",)
