"""Annual calls for applications (申报通知 / 申报批次): the window, the stages and the documents of one batch."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import in_reader_language
from alliances.workflow import Stage


class CallQuerySet(models.QuerySet):
    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(is_published=True, opens_at__lte=moment, closes_at__gt=moment)

    def published(self):
        return self.filter(is_published=True)


class Call(models.Model):
    """A call for applications (申报通知), decided and designated as one batch (第N批试点联盟)."""

    year = models.PositiveSmallIntegerField(_("year"))
    batch_number = models.PositiveSmallIntegerField(_("batch number"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    guide = models.TextField(
        _("application guide"), blank=True,
        help_text=_("The guide (申报指南) shown on the public call page. Markdown: headings, lists, links, bold."),
    )
    sectors = models.ManyToManyField("alliances.Sector", verbose_name=_("sectors covered"), blank=True,
                                     related_name="calls", help_text=_("Leave empty for all sectors."))
    opens_at = models.DateTimeField(_("window opens"))
    closes_at = models.DateTimeField(_("window closes"))
    requires_district_recommendation = models.BooleanField(
        _("district recommendation required"), default=True,
        help_text=_("Submitted applications go first to the chairman unit's district (区县推荐)."),
    )
    district_quota = models.PositiveSmallIntegerField(
        _("recommendations per district"), null=True, blank=True,
        help_text=_("The most applications each district may recommend; empty for no limit."),
    )
    uses_site_visits = models.BooleanField(_("site visits used"), default=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-year", "-batch_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "batch_number"], name="call_batch_unique_per_year"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_window_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["is_published", "closes_at"])]

    def __str__(self):
        return in_reader_language(self.title, self.title_en)

    @property
    def stages(self) -> frozenset[Stage]:
        """The optional workflow stages this call uses (``alliances.workflow.Stage``)."""
        stages = set()
        if self.requires_district_recommendation:
            stages.add(Stage.DISTRICT)
        if self.uses_site_visits:
            stages.add(Stage.SITE_VISIT)
        return frozenset(stages)

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at


class RequiredDocument(models.Model):
    """A document the call asks applicants to upload (recommendation letter, business licences …)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="required_documents")
    name = models.CharField(_("document"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class WindowExtension(models.Model):
    """A recorded extension of a call's window, with the reason (append-only)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions")
    previous_closes_at = models.DateTimeField(_("closed at before"))
    closes_at = models.DateTimeField(_("now closes at"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    extended_at = models.DateTimeField(_("extended at"), default=timezone.now)

    class Meta:
        verbose_name = _("window extension")
        verbose_name_plural = _("window extensions")
        ordering = ["extended_at", "pk"]

    def __str__(self):
        return f"{self.call}: {self.previous_closes_at} → {self.closes_at}"


def document_upload_path(instance, filename):
    return (f"call-documents/{instance.alliance_id}/{instance.required_document_id}/"
            f"{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:12]}.pdf")


class ApplicationDocument(models.Model):
    """A scan (PDF) an applicant uploaded for one of its call's required documents. The newest counts."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="call_documents")
    required_document = models.ForeignKey(RequiredDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                          related_name="uploads")
    file = models.FileField(_("file"), upload_to=document_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "required_document"])]

    def __str__(self):
        return self.original_name
