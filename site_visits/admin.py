from django.contrib import admin

from alliance_portal.core.admin import ReadOnlyAdmin

from .models import SiteVisit


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "version", "scheduled_on", "place", "status", "conclusion"]
    list_filter = ["status", "conclusion"]
    search_fields = ["alliance__name", "place"]
    list_select_related = ["alliance"]
