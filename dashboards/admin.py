"""API tokens are created here, by administrators, for dashboard clients.

The plain token is shown once, right after it is created; knox stores only its digest. Knox's own
token admin is replaced by this one so that every token gets a label, a scope and an expiry.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from accounts import audit
from accounts.models import User
from alliance_portal.core.auth import delete_expired_tokens

from .models import ApiTokenScope

admin.site.unregister(AuthToken)

MAX_TOKEN_DAYS = 366


class ApiTokenCreateForm(forms.ModelForm):
    user = forms.ModelChoiceField(queryset=None, label=_("user"),
                                  help_text=_("The token acts as this user, with this user's roles and organisation."))
    valid_days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=MAX_TOKEN_DAYS, initial=90)

    class Meta:
        model = ApiTokenScope
        fields = ["label", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")


@admin.register(ApiTokenScope)
class ApiTokenScopeAdmin(admin.ModelAdmin):
    list_display = ("label", "user", "scope", "created_at", "expiry", "token_key")
    list_filter = ("scope",)
    search_fields = ("label", "token__user__username", "token__token_key")
    list_select_related = ("token__user",)
    readonly_fields = ("user", "token_key", "expiry", "created_by", "created_at")
    fields = ("label", "scope", "user", "token_key", "expiry", "created_by", "created_at")

    @admin.display(description=_("user"))
    def user(self, obj):
        return obj.token.user

    @admin.display(description=_("token prefix"))
    def token_key(self, obj):
        return obj.token.token_key

    @admin.display(description=_("expires at"))
    def expiry(self, obj):
        return obj.token.expiry

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("label", "scope", "user", "valid_days") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            delete_expired_tokens(form.cleaned_data["user"])
            token, plain = AuthToken.objects.create(
                user=form.cleaned_data["user"], expiry=timedelta(days=form.cleaned_data["valid_days"])
            )
            obj.token = token
            obj.created_by = request.user
            obj.created_at = timezone.now()
            obj.save()
            audit.record("api_token_created", user=request.user, obj=obj, scope=obj.scope,
                         token_user=token.user.get_username(), expiry=token.expiry.isoformat())
        messages.warning(
            request,
            _("The new token is %(token)s — copy it now: it is stored only as a digest and cannot be shown again.")
            % {"token": plain},
        )

    def delete_model(self, request, obj):
        audit.record("api_token_revoked", user=request.user, obj=obj)
        obj.token.delete()  # cascades to the scope row

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("token"):
            self.delete_model(request, obj)
