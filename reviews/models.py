"""Records of the review workflow. The states themselves are declared in ``reviews.workflow``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import State


class StateTransition(models.Model):
    """Append-only audit record of one workflow transition: who, when, from, to, comment."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=40)
    source = models.CharField(_("from"), max_length=20, choices=State.choices)
    target = models.CharField(_("to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("application version"), null=True, blank=True)

    class Meta:
        verbose_name = _("state transition")
        verbose_name_plural = _("state transitions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["alliance", "at"])]

    def __str__(self):
        return f"{self.alliance_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Transition records are append-only.")
        super().save(*args, **kwargs)
