"""The district's recommendation (区县推荐) of an application: recommended with a signed letter (推荐函), or
declined with a reason; recommended ones are ranked (推荐排序) within their call and district."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def letter_upload_path(instance, filename):
    return f"recommendation-letters/{instance.alliance_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.letter_sha256[:12]}.pdf"


class DistrictRecommendation(models.Model):
    """The district's decision on one submission of an application (区县推荐意见). Only services write it."""

    class Decision(models.TextChoices):
        RECOMMENDED = "recommended", pgettext_lazy("district decision", "Recommended")
        DECLINED = "declined", pgettext_lazy("district decision", "Not recommended")

    alliance = models.ForeignKey("alliances.Alliance", verbose_name=_("application"), on_delete=models.CASCADE,
                                 related_name="district_recommendations")
    version = models.PositiveIntegerField(_("version"))
    call = models.ForeignKey("calls.Call", verbose_name=_("call for applications"), on_delete=models.PROTECT,
                             related_name="district_recommendations")
    district = models.ForeignKey("alliances.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="recommendations")
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, help_text=_("The district's order of its recommendations (推荐排序), 1 first."))
    letter = models.FileField(_("recommendation letter"), upload_to=letter_upload_path, blank=True)
    letter_name = models.CharField(_("file name"), max_length=255, blank=True)
    letter_size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    letter_pages = models.PositiveIntegerField(_("pages"), default=0)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("district recommendation")
        verbose_name_plural = _("district recommendations")
        ordering = ["call", "district", "rank", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "version"], name="recommendation_once_per_submission"),
            models.CheckConstraint(
                condition=Q(decision="declined", rank__isnull=True) | Q(decision="recommended", rank__isnull=False),
                name="recommendation_ranked_iff_recommended",
            ),
            models.CheckConstraint(condition=Q(decision="recommended") | ~Q(reason=""),
                                   name="recommendation_declined_with_reason"),
        ]
        indexes = [models.Index(fields=["call", "district", "decision"])]

    def __str__(self):
        return f"{self.alliance} · {self.get_decision_display()}"

    @property
    def is_recommended(self) -> bool:
        return self.decision == self.Decision.RECOMMENDED
