"""Site visits (实地考察) of shortlisted applications: the team, what was verified against the application,
the conclusion and the photos or documents taken."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteVisit(models.Model):
    """A site visit (实地考察) of one submitted version of an application. Only services write it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("site visit", "Scheduled")
        CONCLUDED = "concluded", pgettext_lazy("site visit", "Findings recorded")

    class Conclusion(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("site visit", "Confirmed")
        DISCREPANCIES = "discrepancies_found", pgettext_lazy("site visit", "Discrepancies found")

    alliance = models.ForeignKey("alliances.Alliance", verbose_name=_("application"), on_delete=models.CASCADE,
                                 related_name="site_visits")
    version = models.PositiveIntegerField(_("version"))
    scheduled_on = models.DateField(_("date of the visit"))
    place = models.CharField(_("place"), max_length=255)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="site_visits")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices, blank=True)
    summary = models.TextField(_("summary of the findings"), blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scheduled_at = models.DateTimeField(_("scheduled at"), default=timezone.now)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    concluded_at = models.DateTimeField(_("findings recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["-scheduled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "version"], name="site_visit_once_per_version"),
            models.CheckConstraint(
                condition=Q(status="scheduled", conclusion="") | (Q(status="concluded") & ~Q(conclusion="")),
                name="site_visit_concluded_iff_conclusion",
            ),
        ]
        indexes = [models.Index(fields=["status", "scheduled_on"])]

    def __str__(self):
        return f"{self.alliance} · {self.scheduled_on}"

    @property
    def is_concluded(self) -> bool:
        return self.status == self.Status.CONCLUDED

    @property
    def found_discrepancies(self) -> bool:
        return self.conclusion == self.Conclusion.DISCREPANCIES


class SiteVisitCheck(models.Model):
    """One thing verified on site against the application (facilities, staff, investment, agreement originals)."""

    class Item(models.TextChoices):
        FACILITIES = "facilities", _("R&D facilities and platforms")
        STAFF = "staff", _("R&D staff")
        INVESTMENT = "investment", _("Investment and funds")
        AGREEMENT = "agreement_originals", _("Originals of the signed agreement")

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("what was verified"), max_length=20, choices=Item.choices)
    verified = models.BooleanField(_("matches the application"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("site visit check")
        verbose_name_plural = _("site visit checks")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="site_visit_check_once_per_item")]

    def __str__(self):
        return f"{self.get_item_display()}: {self.verified}"


def attachment_upload_path(instance, filename):
    return (f"site-visits/{instance.visit_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:12]}"
            f".{instance.extension}")


class SiteVisitAttachment(models.Model):
    """A photo (JPEG, PNG) or document (PDF) taken on the visit; stored privately, served through a view."""

    KINDS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("site visit attachment")
        verbose_name_plural = _("site visit attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.KINDS.get(self.content_type, "bin")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
