"""Tracking assessment and dynamic management (跟踪考核与动态管理) of designated alliances.

Every two years after designation, and whenever the bureau asks, an assessment round opens: the
alliance files a self-assessment, experts score it on the scorecard, the bureau decides the outcome
(demonstration status, pilot kept, or rectification followed by a re-assessment). The alliance's
workflow state itself lives on ``alliances.Alliance`` and changes only through
``alliances.transitions.transition``; these models hold the assessment's own records.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.core.evidence import EvidenceFile
from alliance_portal.core.records import TransitionRecord
from alliances.models import MONEY
from alliances.workflow import State

from .workflow import RoundStatus

COUNT = {"validators": [MinValueValidator(0)], "null": True, "blank": True}


class AssessmentRules(models.Model):
    """Grades, cycle and lead times of the assessment, configured by the bureau (one row)."""

    excellent_threshold = models.DecimalField(
        _("excellent from (points)"), max_digits=5, decimal_places=2, default=Decimal("85"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A total score at or above this on the 100-point scale is excellent (优秀)."),
    )
    pass_threshold = models.DecimalField(
        _("pass from (points)"), max_digits=5, decimal_places=2, default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A total score at or above this is a pass (合格); below it the alliance fails (不合格)."),
    )
    cycle_years = models.PositiveSmallIntegerField(
        _("assessment cycle (years)"), default=2, validators=[MinValueValidator(1)],
        help_text=_("An assessment falls due this many years after designation or the previous assessment."),
    )
    min_operation_days = models.PositiveSmallIntegerField(
        _("operation needed for demonstration status (days)"), default=365,
        help_text=_("An excellent alliance becomes a demonstration unit only after operating this long since "
                    "its designation."),
    )
    self_assessment_days = models.PositiveSmallIntegerField(
        _("time to file the self-assessment (days)"), default=30, validators=[MinValueValidator(1)],
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("default rectification period (days)"), default=90, validators=[MinValueValidator(1)],
    )
    min_experts = models.PositiveSmallIntegerField(
        _("minimum expert scorecards"), default=3, validators=[MinValueValidator(1)],
        help_text=_("The bureau may decide the outcome only once at least this many experts have scored."),
    )

    class Meta:
        verbose_name = _("assessment rules")
        verbose_name_plural = _("assessment rules")

    def __str__(self):
        return str(_("Assessment rules"))

    @classmethod
    def current(cls) -> "AssessmentRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class Grade(models.TextChoices):
    EXCELLENT = "excellent", pgettext_lazy("grade", "Excellent")
    PASS = "pass", pgettext_lazy("grade", "Pass")
    FAIL = "fail", pgettext_lazy("grade", "Fail")


GRADE_BADGE = {Grade.EXCELLENT: "success", Grade.PASS: "primary", Grade.FAIL: "danger"}


class AssessmentCriterion(models.Model):
    """One line of the assessment scorecard (考核评分表); by default the six health dimensions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.TextField(_("what experts look at"), blank=True)
    weight = models.DecimalField(
        _("weight (points of 100)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The share of the 100-point total this criterion carries; weights are scaled to add up to 100."),
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=5, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Experts score this criterion from 0 up to this value."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The English name on English pages when there is one; the Chinese name otherwise."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class AssessmentRound(models.Model):
    """One assessment of one alliance (考核评估): biennial, on the bureau's demand, or a re-assessment."""

    class Kind(models.TextChoices):
        BIENNIAL = "biennial", pgettext_lazy("assessment kind", "Biennial assessment")
        ON_DEMAND = "on_demand", pgettext_lazy("assessment kind", "Assessment on demand")
        REASSESSMENT = "reassessment", pgettext_lazy("assessment kind", "Re-assessment")

    Status = RoundStatus  # its table: assessments/workflow.py

    class Outcome(models.TextChoices):
        DEMONSTRATION = "demonstration", pgettext_lazy("assessment outcome", "Demonstration status granted")
        DEMONSTRATION_KEPT = "demonstration_kept", pgettext_lazy("assessment outcome", "Demonstration status kept")
        PILOT_KEPT = "pilot_kept", pgettext_lazy("assessment outcome", "Pilot status kept")
        RECTIFICATION = "rectification", pgettext_lazy("assessment outcome", "Rectification ordered")
        PILOT_RESTORED = "pilot_restored", pgettext_lazy("assessment outcome", "Pilot status restored")
        REVOKED = "revoked", pgettext_lazy("assessment outcome", "Title revoked")

    OPEN = frozenset({Status.SELF_ASSESSMENT, Status.EXPERT_SCORING})

    alliance = models.ForeignKey("alliances.Alliance", verbose_name=_("alliance"), on_delete=models.CASCADE,
                                 related_name="assessment_rounds")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    opened_from = models.CharField(_("status when opened"), max_length=20, choices=State.choices,
                                   help_text=_("Pilot or demonstration unit: what the alliance was when assessed."))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("bureau's comment"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "self_assessment_due"]),
            models.Index(fields=["alliance", "-opened_at"]),
        ]
        constraints = [
            # One open round per alliance at a time (a second click or a second officer gets the first).
            models.UniqueConstraint(fields=["alliance"],
                                    condition=models.Q(status__in=["self_assessment", "expert_scoring"]),
                                    name="assessment_one_open_round_per_alliance"),
        ]

    def __str__(self):
        return f"{self.alliance} · {self.get_kind_display()} {self.opened_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_reassessment(self) -> bool:
        return self.kind == self.Kind.REASSESSMENT

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.status == self.Status.SELF_ASSESSMENT and self.self_assessment_due is not None
                and self.self_assessment_due < today)


class AssessmentTransition(TransitionRecord):
    """Append-only record of one step of an assessment round (``assessments.workflow``): who, when, from, to."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="transitions",
                              verbose_name=_("assessment round"))
    source = models.CharField(_("from"), max_length=20, choices=RoundStatus.choices)
    target = models.CharField(_("to"), max_length=20, choices=RoundStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("assessment round transition")
        verbose_name_plural = _("assessment round transitions")
        indexes = [models.Index(fields=["round", "at"])]

    def __str__(self):
        return f"{self.round_id}: {self.source} → {self.target}"


class SelfAssessment(models.Model):
    """The alliance's self-assessment report (自评报告): figures of the period and narrative.

    ``portal_figures`` keeps what the portal itself knew when the round opened (projects, members,
    reports), so that the bureau can compare the declared figures with the recorded ones.
    """

    round = models.OneToOneField(AssessmentRound, on_delete=models.CASCADE, related_name="self_assessment")
    goals_summary = models.TextField(_("goals achieved against the work plan"), blank=True)
    projects_started = models.PositiveIntegerField(_("projects started"), **COUNT)
    projects_completed = models.PositiveIntegerField(_("projects completed"), **COUNT)
    investment_completed = models.DecimalField(_("investment completed (10k CNY)"), null=True, blank=True, **MONEY)
    patents_applied = models.PositiveIntegerField(_("patents applied for"), **COUNT)
    patents_granted = models.PositiveIntegerField(_("patents granted"), **COUNT)
    standards = models.PositiveIntegerField(_("standards drafted"), **COUNT)
    new_products = models.PositiveIntegerField(_("new products"), **COUNT)
    activities_held = models.PositiveIntegerField(_("activities held"), **COUNT)
    members_joined = models.PositiveIntegerField(_("member units joined"), **COUNT)
    members_left = models.PositiveIntegerField(_("member units left"), **COUNT)
    revenue = models.DecimalField(_("sales revenue of the members (10k CNY)"), null=True, blank=True, **MONEY)
    achievements = models.TextField(_("main achievements"), blank=True)
    problems = models.TextField(_("problems and shortcomings"), blank=True)
    next_steps = models.TextField(_("plans for the next period"), blank=True)
    portal_figures = models.JSONField(_("figures recorded in the portal"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    FIGURES = (
        "projects_started", "projects_completed", "investment_completed", "patents_applied", "patents_granted",
        "standards", "new_products", "activities_held", "members_joined", "members_left", "revenue",
    )
    NARRATIVE = ("goals_summary", "achievements", "problems", "next_steps")

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self):
        return str(self.round)

    def missing(self) -> list[str]:
        """Labels of required parts still empty: everything must be filled before submission."""
        labels = [self._meta.get_field(name).verbose_name for name in self.FIGURES + self.NARRATIVE
                  if getattr(self, name) in (None, "")]
        return [str(label) for label in labels]


def self_assessment_evidence_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"assessments/{instance.self_assessment.round_id}/{uuid.uuid4().hex}{suffix}"


class SelfAssessmentAttachment(EvidenceFile):
    """A paper filed with the self-assessment: the sealed report, the questionnaire, supporting evidence."""

    class Kind(models.TextChoices):
        SEALED_REPORT = "sealed_report", pgettext_lazy("self-assessment evidence", "Sealed self-assessment report")
        QUESTIONNAIRE = "questionnaire", pgettext_lazy("self-assessment evidence", "Questionnaire")
        SUPPORTING = "supporting", pgettext_lazy("self-assessment evidence", "Supporting evidence")
        OTHER = "other", pgettext_lazy("self-assessment evidence", "Other")

    self_assessment = models.ForeignKey(SelfAssessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE,
                                        related_name="attachments")
    file = models.FileField(_("file"), max_length=200, upload_to=self_assessment_evidence_path)
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=Kind.choices)

    class Meta(EvidenceFile.Meta):
        verbose_name = _("self-assessment evidence")
        verbose_name_plural = _("self-assessment evidence")


class TargetAchievement(models.Model):
    """What the alliance achieved against one yearly target of its work plan."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="target_achievements")
    target = models.ForeignKey("alliances.YearlyTarget", verbose_name=_("target"), on_delete=models.CASCADE,
                               related_name="+")
    achieved_value = models.DecimalField(_("achieved"), max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target achievement")
        verbose_name_plural = _("target achievements")
        ordering = ["target__year", "target__pk"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "target"], name="assessment_achievement_once_per_target"),
        ]

    def __str__(self):
        return f"{self.target}: {self.achieved_value}"

    @property
    def rate(self) -> Decimal | None:
        """Achieved as a percentage of the target (None when either is missing or the target is zero)."""
        if self.achieved_value is None or not self.target.target_value:
            return None
        return (self.achieved_value / self.target.target_value * 100).quantize(Decimal("0.1"))


class AssessmentExpertAssignment(models.Model):
    """An expert of the bureau's pool asked to score one assessment (专家评分)."""

    round = models.ForeignKey(AssessmentRound, verbose_name=_("assessment"), on_delete=models.CASCADE,
                              related_name="assignments")
    expert = models.ForeignKey("reviews.ExpertProfile", verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="assessment_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    opinion = models.TextField(_("overall opinion"), blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("assessment expert assignment")
        verbose_name_plural = _("assessment expert assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="assessment_expert_once_per_round")]

    def __str__(self):
        return f"{self.round} · {self.expert}"

    def get_absolute_url(self):
        return reverse("assessments:scorecard", args=[self.pk])


class AssessmentScore(models.Model):
    """One expert's score on one criterion. Weight and maximum are copied so later edits of the
    scorecard do not change past results."""

    assignment = models.ForeignKey(AssessmentExpertAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AssessmentCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["criterion__position", "criterion__pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="assessment_score_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.score}/{self.max_score}"


class Rectification(models.Model):
    """Rectification ordered after a failed assessment (整顿): deadline, required actions, the report."""

    round = models.OneToOneField(AssessmentRound, verbose_name=_("failed assessment"), on_delete=models.CASCADE,
                                 related_name="rectification")
    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="rectifications")
    required_actions = models.TextField(_("required actions"))
    deadline = models.DateField(_("deadline"))
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    report = models.TextField(_("rectification report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reassessment = models.OneToOneField(AssessmentRound, verbose_name=_("re-assessment"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="rectification_reassessed")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-ordered_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "deadline"])]

    def __str__(self):
        return f"{self.alliance} · {self.deadline:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("assessments:rectification", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.reported_at is None and self.deadline < today


class LifecycleStage(models.Model):
    """The stage of the alliance's life cycle the bureau sees (生命周期阶段); the latest row is current."""

    class Stage(models.TextChoices):
        FORMATION = "formation", pgettext_lazy("life-cycle stage", "Formation")
        GROWTH = "growth", pgettext_lazy("life-cycle stage", "Growth")
        MATURITY = "maturity", pgettext_lazy("life-cycle stage", "Maturity")
        DECLINE = "decline", pgettext_lazy("life-cycle stage", "Decline")
        REGENERATION = "regeneration", pgettext_lazy("life-cycle stage", "Regeneration")

    BADGE = {
        Stage.FORMATION: "info", Stage.GROWTH: "primary", Stage.MATURITY: "success", Stage.DECLINE: "danger",
        Stage.REGENERATION: "warning",
    }

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="lifecycle_stages")
    stage = models.CharField(_("life-cycle stage"), max_length=20, choices=Stage.choices)
    round = models.ForeignKey(AssessmentRound, verbose_name=_("assessment"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="lifecycle_stages")
    # Before the six health dimensions were scored the stage carried only this free-text reason; now it is
    # an optional overall remark beside the scores.
    reason = models.TextField(_("overall remark"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("life-cycle stage")
        verbose_name_plural = _("life-cycle stages")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "-set_at"])]

    def __str__(self):
        return f"{self.alliance}: {self.get_stage_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Life-cycle history is append-only.")
        super().save(*args, **kwargs)

    @property
    def health(self) -> list["HealthScore"]:
        """The six dimension scores in the source's order (empty for a stage recorded before they were scored)."""
        order = {value: index for index, value in enumerate(HealthDimension.values)}
        return sorted(self.health_scores.all(), key=lambda row: order[row.dimension])


class HealthDimension(models.TextChoices):
    """The six dimensions of an alliance's health (联盟健康度) in the life-cycle management source."""

    TECHNOLOGY_DEVELOPMENT = "technology_development", pgettext_lazy("health dimension", "Technology development")
    ECONOMIC_CONDITION = "economic_condition", pgettext_lazy("health dimension", "Economic condition")
    INDUSTRY_POSITION = "industry_position", pgettext_lazy("health dimension", "Industry position")
    STRUCTURAL_STABILITY = "structural_stability", pgettext_lazy("health dimension", "Structural stability")
    MANAGEMENT_MECHANISMS = "management_mechanisms", pgettext_lazy(
        "health dimension", "Soundness of management mechanisms")
    INNOVATION_GOALS = "innovation_goals", pgettext_lazy("health dimension", "Clarity of innovation goals")


class HealthRating(models.IntegerChoices):
    """A five-step rating (好 / 较好 / 一般 / 较差 / 差): the source analyses health qualitatively, dimension by
    dimension, so the officer rates each on the scale bureau forms use rather than inventing points."""

    GOOD = 5, pgettext_lazy("health rating", "Good")
    FAIRLY_GOOD = 4, pgettext_lazy("health rating", "Fairly good")
    AVERAGE = 3, pgettext_lazy("health rating", "Average")
    FAIRLY_POOR = 2, pgettext_lazy("health rating", "Fairly poor")
    POOR = 1, pgettext_lazy("health rating", "Poor")


HEALTH_BADGE = {5: "success", 4: "primary", 3: "secondary", 2: "warning", 1: "danger"}


class HealthScore(models.Model):
    """One of the six health dimensions rated with the life-cycle stage it supports, with a short comment."""

    stage = models.ForeignKey(LifecycleStage, on_delete=models.CASCADE, related_name="health_scores")
    dimension = models.CharField(_("health dimension"), max_length=30, choices=HealthDimension.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=HealthRating.choices)
    comment = models.CharField(_("comment"), max_length=200)

    class Meta:
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        constraints = [
            models.UniqueConstraint(fields=["stage", "dimension"], name="health_score_once_per_dimension"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="health_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.rating}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Life-cycle history is append-only.")
        super().save(*args, **kwargs)

    @property
    def badge(self) -> str:
        return HEALTH_BADGE[self.rating]
