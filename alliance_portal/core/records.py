"""The one transition record base: who, when, from, to, comment and the version it concerned.

An abstract model (the core defines no concrete model): each state machine's record model subclasses it,
adding the foreign key to what moved and the choices of its states. Apart from ``workflow`` because a model
class can only be defined once the apps are loaded, and the state tables must be readable before.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionRecord(models.Model):
    """Append-only record of one transition: who, when, from, to, comment and the version it concerned.

    Each machine's record model subclasses it with the foreign key to what moved (and the choices of its
    states on ``source`` and ``target``)."""

    action = models.CharField(_("action"), max_length=40)
    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Transition records are append-only.")
        super().save(*args, **kwargs)
