from django.contrib import admin

from alliance_portal.core.admin import ReadOnlyAdmin

from .models import DistrictRecommendation


@admin.register(DistrictRecommendation)
class DistrictRecommendationAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "call", "district", "decision", "rank", "decided_by", "decided_at"]
    list_filter = ["decision", "call", "district"]
    search_fields = ["alliance__name"]
    list_select_related = ["alliance", "call", "district", "decided_by"]
