from django.contrib import admin

from .models import ApplicationDocument, Call, RequiredDocument, WindowExtension


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class WindowExtensionInline(admin.TabularInline):
    """Extensions are written by ``services.extend_window`` only (with the audit record)."""

    model = WindowExtension
    extra = 0
    can_delete = False
    readonly_fields = ["previous_closes_at", "closes_at", "reason", "extended_by", "extended_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "batch_number", "opens_at", "closes_at", "is_published"]
    list_filter = ["year", "is_published"]
    search_fields = ["title"]
    inlines = [RequiredDocumentInline, WindowExtensionInline]
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A published window is extended through the call page (recorded with its reason), not edited here.
        return [*self.readonly_fields, "closes_at"] if obj is not None and obj.is_published else self.readonly_fields


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(admin.ModelAdmin):
    list_display = ["alliance", "required_document", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = [field.name for field in ApplicationDocument._meta.fields]

    def has_add_permission(self, request):
        return False
