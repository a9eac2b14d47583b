from django.contrib import admin

from .models import StateTransition


@admin.register(StateTransition)
class StateTransitionAdmin(admin.ModelAdmin):
    list_display = ("alliance", "action", "source", "target", "actor", "at")
    list_filter = ("action", "target")
    search_fields = ("alliance__name", "comment")
    list_select_related = ("alliance", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
