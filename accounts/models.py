from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A person who signs in: staff of a member unit, the bureau, an expert or a department."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "alliances.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    district = models.ForeignKey(
        "alliances.District", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviewers", help_text=_("For district reviewers: the district (区县) whose applications they see."),
    )
    is_org_admin = models.BooleanField(
        _("organisation administrator"),
        default=False,
        help_text=_("May add colleagues to the organisation and edit its profile."),
    )
    large_print = models.BooleanField(
        _("ageing-friendly mode"),
        default=False,
        help_text=_("Larger text and controls, stronger contrast (长者模式): the switch in the page header."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Password resets and notices go to one person: one account per address, whatever its case.
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this email address exists already."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def has_role(self, role: Role) -> bool:
        """True when the user is in the role's group (cached per instance: templates ask often)."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role.value in self._role_names or (role == Role.ADMIN and self.is_superuser)

    @property
    def role_names(self) -> set[str]:
        self.has_role(Role.MEMBER)
        return self._role_names


class AuditEvent(models.Model):
    """Append-only security and workflow log: logins, refusals and state changes.

    Kept at least 180 days (``PORTAL["AUDIT_RETENTION_DAYS"]``, default 400).
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")
        REFUSED = "refused", _("refused")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.outcome}"
