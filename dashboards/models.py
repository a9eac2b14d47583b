"""API access for dashboard clients: the scope of each knox token (read-only or read-write)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenScope(models.Model):
    """What an API token (接口令牌) may do. Knox stores only the token's digest; this row adds a name
    for people and the scope. A token without this row is treated as read-only."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, related_name="scope",
                                 verbose_name=_("token"))
    label = models.CharField(_("label"), max_length=100,
                             help_text=_("Who uses the token and for what, e.g. “dispatch screen in room 301”."))
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return self.label

    @property
    def is_read_only(self) -> bool:
        return self.scope != self.Scope.WRITE
