"""The one shape of an evidence file: what was uploaded, by whom, when, and the checked facts about it.

An abstract model (the core defines no concrete model): an activity's photos and minutes, a self-assessment's
sealed report and supporting papers each subclass it with the foreign key to what they document and the
kinds they allow. The bytes live in the storage of ``settings.STORAGES`` under a random name; the original
name is kept for the download, and the SHA-256 lets the audit trail say exactly which file it was.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EvidenceFile(models.Model):
    """A checked upload (type by content, size limited) kept privately and downloaded through a permission check."""

    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
