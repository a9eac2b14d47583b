"""Records of the review workflow. The states themselves are declared in ``alliances.workflow``.

Screening (形式审查), the expert pool and expert scoring (专家评审), joint review by departments (会审),
public notice (公示) with objections, designation (认定) with certificate numbers, and the liaison officer
and responsible department that follow a designated alliance.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class _Bilingual:
    """Reference data is entered in Chinese with an optional English name; show the one that fits."""

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


# --- Configuration (one row each, edited in admin; defaults come from a data migration) ---------------


class ReviewSettings(models.Model):
    """How the bureau runs reviews: expert count, disagreement threshold, joint-review rule, notice period."""

    class OutcomeRule(models.TextChoices):
        ALL_AGREE = "all_agree", _("Every participating department agrees")
        MAJORITY = "majority", _("More than half of the participating departments agree")

    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    assignment_days = models.PositiveSmallIntegerField(
        _("days experts have to score"), default=14, validators=[MinValueValidator(1)])
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (points of 100)"), max_digits=5, decimal_places=2, default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Experts disagree strongly when their weighted totals (of 100) lie this many points apart or "
                    "further."),
    )
    criterion_disagreement_share = models.DecimalField(
        _("criterion spread threshold (% of the criterion's maximum)"), max_digits=5, decimal_places=2,
        default=Decimal("30"), validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A criterion is marked when the experts' scores on it lie this share of its maximum apart or "
                    "further (30 %: 3 points on a 10-point criterion). Shown beside the criterion; it does not raise "
                    "the disagreement flag of the totals."),
    )
    joint_review_rule = models.CharField(_("joint review outcome rule"), max_length=20, choices=OutcomeRule.choices,
                                         default=OutcomeRule.ALL_AGREE)
    notice_days = models.PositiveSmallIntegerField(_("public notice period (days)"), default=7,
                                                   validators=[MinValueValidator(1)])
    notice_working_days = models.BooleanField(
        _("count working days only"), default=True,
        help_text=_("Count working days as public offices do: weekends and public holidays left out, make-up working "
                    "days (调休) counted (admin → Working-day calendar for years not yet known)."))
    objections_per_hour = models.PositiveSmallIntegerField(
        _("objections accepted per address and hour"), default=5, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self):
        return str(_("Review settings"))

    @classmethod
    def current(cls) -> "ReviewSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class ScreeningCheckItem(models.Model):
    """One line of the completeness checklist used in screening (形式审查)."""

    text = models.CharField(_("check"), max_length=200)
    text_en = models.CharField(_("check (English)"), max_length=200, blank=True)
    section = models.CharField(_("application section"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checklist")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def label(self) -> str:
        return self.text_en if self.text_en and (get_language() or "").startswith("en") else self.text


class ScoreCriterion(_Bilingual, models.Model):
    """A weighted criterion of the expert scorecard (评分指标)."""

    name = models.CharField(_("criterion"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    guidance = models.TextField(_("guidance for experts"), blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    call = models.ForeignKey(
        "calls.Call", null=True, blank=True, on_delete=models.CASCADE, related_name="criteria",
        help_text=_("The call whose scorecard this is (copied from the bureau's default); empty: the default."),
    )

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Department(_Bilingual, models.Model):
    """A government department (部门) that takes part in joint review or follows alliances (责任单位)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    joins_joint_review = models.BooleanField(_("takes part in joint review"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]

    def __str__(self):
        return self.label


class DepartmentMembership(models.Model):
    """Links a department reviewer's account to the department whose opinion they record."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="department_membership")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="memberships")

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")

    def __str__(self):
        return f"{self.user} – {self.department}"


# --- Expert pool -------------------------------------------------------------------------------------


class ExpertProfile(models.Model):
    """An expert of the bureau's pool (专家库): fields, affiliation, title, contact and declared conflicts."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="expert_profile")
    affiliation = models.ForeignKey("alliances.Organisation", verbose_name=_("affiliation"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="experts",
                                    help_text=_("The organisation the expert works for, if it is registered."))
    affiliation_name = models.CharField(_("affiliation (as written)"), max_length=200, blank=True,
                                        help_text=_("For an affiliation that is not a registered organisation."))
    sectors = models.ManyToManyField("alliances.Sector", verbose_name=_("fields"), related_name="experts")
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    is_active = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["user__full_name", "pk"]

    def __str__(self):
        return str(self.user)

    @property
    def affiliation_display(self) -> str:
        return str(self.affiliation) if self.affiliation_id else self.affiliation_name


class DeclaredConflict(models.Model):
    """A conflict of interest the expert declared: with an organisation or with one alliance."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="declared_conflicts")
    organisation = models.ForeignKey("alliances.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    alliance = models.ForeignKey("alliances.Alliance", verbose_name=_("alliance"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False, alliance__isnull=True)
                           | Q(organisation__isnull=True, alliance__isnull=False)),
                name="conflict_names_organisation_or_alliance",
            ),
        ]

    def __str__(self):
        return f"{self.expert}: {self.organisation or self.alliance}"


class ExpertAssignment(models.Model):
    """An expert asked to score one version of an application (专家评审任务)."""

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("assignment", "Awaiting reply")
        ACCEPTED = "accepted", pgettext_lazy("assignment", "Accepted")
        DECLINED = "declined", pgettext_lazy("assignment", "Declined")
        SUBMITTED = "submitted", pgettext_lazy("assignment", "Scored")
        WITHDRAWN = "withdrawn", pgettext_lazy("assignment", "Withdrawn by the bureau")

    OPEN = (Status.INVITED, Status.ACCEPTED)
    COUNTING = (Status.INVITED, Status.ACCEPTED, Status.SUBMITTED)

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="expert_assignments")
    expert = models.ForeignKey(ExpertProfile, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="assignments")
    version = models.PositiveIntegerField(_("application version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED,
                              db_index=True)
    due_date = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    responded_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaced_by")

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "expert", "version"], name="expert_once_per_version"),
        ]
        indexes = [models.Index(fields=["alliance", "version", "status"]), models.Index(fields=["expert", "status"])]

    def __str__(self):
        return f"{self.expert} – {self.alliance} v{self.version}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class Scorecard(models.Model):
    """An expert's scores, comments and recommendation. Final once ``submitted_at`` is set."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("recommendation", "Approve")
        REVISE = "revise", pgettext_lazy("recommendation", "Revise")
        REJECT = "reject", pgettext_lazy("recommendation", "Reject")

    assignment = models.OneToOneField(ExpertAssignment, on_delete=models.CASCADE, related_name="scorecard")
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices,
                                      blank=True)
    comments = models.TextField(_("comments"), blank=True)
    weighted_total = models.DecimalField(_("weighted total (of 100)"), max_digits=6, decimal_places=2, null=True,
                                         blank=True)
    updated_at = models.DateTimeField(_("saved at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_final(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    """One criterion's score on a scorecard; weight and maximum are copied so later edits don't rewrite it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoreCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    comment = models.CharField(_("remark"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=models.F("max_score")),
                                   name="score_within_maximum"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}/{self.max_score}"


# --- Screening ---------------------------------------------------------------------------------------


class ScreeningCheck(models.Model):
    """The officer's tick against one checklist line for one version of an application."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="screening_checks")
    version = models.PositiveIntegerField(_("application version"))
    item = models.ForeignKey(ScreeningCheckItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("complete"), default=False)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checks")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "version", "item"], name="screening_check_once"),
        ]

    def __str__(self):
        return f"{self.alliance_id} v{self.version}: {self.item_id} {self.passed}"


class Section(models.TextChoices):
    """Sections of the application form (the applicant's steps), to which guidance refers."""

    BASIC = "basic", pgettext_lazy("section", "Basic information")
    MEMBERS = "members", pgettext_lazy("section", "Member units")
    GOVERNANCE = "governance", pgettext_lazy("section", "Governance")
    AGREEMENT = "agreement", pgettext_lazy("section", "Alliance agreement")
    WORK_PLAN = "work_plan", pgettext_lazy("section", "Work plan")


class RevisionGuidance(models.Model):
    """Written guidance for one section when an application is returned for revision (修改意见)."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="revision_guidance")
    version = models.PositiveIntegerField(_("returned version"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text = models.TextField(_("guidance"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    addressed_in_version = models.PositiveIntegerField(_("addressed in version"), null=True, blank=True)

    class Meta:
        verbose_name = _("revision guidance")
        verbose_name_plural = _("revision guidance")
        ordering = ["version", "pk"]
        indexes = [models.Index(fields=["alliance", "addressed_in_version"])]

    def __str__(self):
        return f"{self.alliance_id} v{self.version} {self.section}"


class SeenVersion(models.Model):
    """The last application version a reviewer opened, so they can see what changed since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "alliance"], name="seen_version_once")]

    def __str__(self):
        return f"{self.user_id} saw {self.alliance_id} v{self.version}"


# --- Joint review ------------------------------------------------------------------------------------


class JointReviewOpinion(models.Model):
    """A participating department's opinion in joint review (会审意见)."""

    class Opinion(models.TextChoices):
        AGREE = "agree", pgettext_lazy("opinion", "Agree")
        DISAGREE = "disagree", pgettext_lazy("opinion", "Disagree")

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="joint_opinions")
    version = models.PositiveIntegerField(_("application version"))
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="opinions")
    opinion = models.CharField(_("opinion"), max_length=10, choices=Opinion.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("joint review opinion")
        verbose_name_plural = _("joint review opinions")
        ordering = ["department__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "version", "department"], name="opinion_once_per_department"),
        ]

    def __str__(self):
        return f"{self.department}: {self.get_opinion_display()}"


# --- Public notice and objections --------------------------------------------------------------------


class PublicNotice(models.Model):
    """The public notice (公示) of an application proposed for designation."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="public_notices")
    version = models.PositiveIntegerField(_("application version"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["closed_at", "ends_on"])]

    def __str__(self):
        return f"{self.alliance} {self.starts_on}–{self.ends_on}"

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.closed_at is None and self.starts_on <= today <= self.ends_on

    def has_ended(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.ends_on


class Objection(models.Model):
    """An objection (异议) submitted by anyone during a public notice, resolved by an officer."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("objection", "Open")
        UPHELD = "upheld", pgettext_lazy("objection", "Upheld")
        DISMISSED = "dismissed", pgettext_lazy("objection", "Dismissed")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("your name"), max_length=50)
    organisation_name = models.CharField(_("your organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=30)
    email = models.EmailField(_("email"), blank=True)
    text = models.TextField(_("objection"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.notice.alliance_id}: {self.name}"


# --- Designation -------------------------------------------------------------------------------------


class Designation(models.Model):
    """A designation (认定) as pilot (试点) or demonstration (示范) alliance, with its certificate number."""

    class Level(models.TextChoices):
        PILOT = "pilot", pgettext_lazy("designation", "Pilot unit")
        DEMONSTRATION = "demonstration", pgettext_lazy("designation", "Demonstration unit")

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.PROTECT, related_name="designations")
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    certificate_number = models.CharField(_("certificate number"), max_length=20, unique=True)
    designated_at = models.DateTimeField(_("designated at"), default=timezone.now)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    batch = models.ForeignKey("BatchDecision", verbose_name=_("designated in batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="designations")

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        ordering = ["-designated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="designation_sequence_unique_per_year"),
            models.UniqueConstraint(fields=["alliance", "level"], condition=Q(revoked_at__isnull=True),
                                    name="one_standing_designation_per_level"),
        ]
        indexes = [models.Index(fields=["revoked_at", "-designated_at"]), models.Index(fields=["alliance", "revoked_at"])]

    def __str__(self):
        return f"{self.certificate_number} {self.alliance}"

    @property
    def is_standing(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return f"〔{year}〕{sequence:03d}"


class CertificateCounter(models.Model):
    """The last certificate number given in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self):
        return f"{self.year}: {self.last_sequence}"


class Supervision(models.Model):
    """Who follows a designated alliance: a liaison officer (科技联络员) and a responsible department (责任单位)."""

    alliance = models.OneToOneField("alliances.Alliance", on_delete=models.CASCADE, related_name="supervision")
    liaison_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("liaison officer"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="liaison_for")
    responsible_department = models.ForeignKey(Department, verbose_name=_("responsible department"), null=True,
                                               blank=True, on_delete=models.SET_NULL, related_name="supervised")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("liaison and responsible department")
        verbose_name_plural = _("liaison officers and responsible departments")

    def __str__(self):
        return str(self.alliance)


# --- Decisions in batch (a call's 拟认定 → 公示 → 认定文件) -------------------------------------------


class BatchDecision(models.Model):
    """The decision on a call's applications as one batch (第N批): its release and its designation document.

    The row is locked by every step of the batch (staging, release, designation), so that they happen
    one after the other. Released: the proposed list is public and the applicants know their outcomes.
    Designated: the designation document (认定文件) with its number names the batch.
    """

    call = models.OneToOneField("calls.Call", verbose_name=_("call for applications"), on_delete=models.PROTECT,
                                related_name="batch_decision")
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    designated_at = models.DateTimeField(_("designated at"), null=True, blank=True)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    document_year = models.PositiveSmallIntegerField(_("document year"), null=True, blank=True)
    document_sequence = models.PositiveIntegerField(_("document number in the year"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("batch decision")
        verbose_name_plural = _("batch decisions")
        constraints = [
            models.UniqueConstraint(fields=["document_year", "document_sequence"],
                                    condition=Q(document_sequence__isnull=False), name="batch_document_number_unique"),
        ]

    def __str__(self):
        return f"{self.call}: {self.document_number or '-'}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def is_designated(self) -> bool:
        return self.designated_at is not None

    @staticmethod
    def format_document_number(year: int, sequence: int) -> str:
        """The bureau's document number, 淄科字〔2026〕1号: the issuing office's configured prefix first."""
        return f"{settings.PORTAL['DOCUMENT_NUMBER_PREFIX']}〔{year}〕{sequence}号"


class DesignationDocumentCounter(models.Model):
    """The last designation-document number given in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("designation document counter")
        verbose_name_plural = _("designation document counters")

    def __str__(self):
        return f"{self.year}: {self.last_sequence}"


class StagedOutcome(models.Model):
    """The officer's proposed outcome (拟认定意见) for one application of a call, kept inside the bureau
    until the batch is released; revisable until then (each revision in the audit trail)."""

    class Outcome(models.TextChoices):
        PROPOSED_PILOT = "proposed_pilot", pgettext_lazy("outcome", "Proposed pilot")
        NOT_THIS_TIME = "not_this_time", pgettext_lazy("outcome", "Not this time")

    alliance = models.OneToOneField("alliances.Alliance", on_delete=models.CASCADE, related_name="staged_outcome")
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="staged_outcomes")
    outcome = models.CharField(_("proposed outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    position = models.PositiveIntegerField(_("position in the batch"), default=0)
    staged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    staged_at = models.DateTimeField(_("staged at"), default=timezone.now)

    class Meta:
        verbose_name = _("staged outcome")
        verbose_name_plural = _("staged outcomes")
        ordering = ["position", "alliance__name", "alliance_id"]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome="not_this_time") | ~Q(reason=""),
                                   name="staged_not_this_time_has_reason"),
        ]
        indexes = [models.Index(fields=["call", "outcome"])]

    def __str__(self):
        return f"{self.alliance_id}: {self.outcome}"


# --- Official documents as issued (证书, 认定文件) ----------------------------------------------------


def _verification_token() -> str:
    return secrets.token_urlsafe(18)


class OfficialDocument(models.Model):
    """An official document as issued: a designation's certificate (证书) or a batch's designation document
    (认定文件). Rendered to PDF once after it is issued, stored with its SHA-256 and served as stored. A
    reissue (a correction, a demonstration upgrade) supersedes it and a revocation revokes it; neither
    deletes it, so that a printed copy can always be checked against the register (``token`` is the key of
    its public verification page, printed as the certificate's QR code)."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", pgettext_lazy("document", "Certificate")
        DESIGNATION_DOCUMENT = "designation_document", pgettext_lazy("document", "Designation document")

    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("document", "Valid")
        SUPERSEDED = "superseded", pgettext_lazy("document", "Superseded")
        REVOKED = "revoked", pgettext_lazy("document", "Revoked")

    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    alliance = models.ForeignKey("alliances.Alliance", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="official_documents")
    designation = models.ForeignKey(Designation, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="documents")
    batch = models.ForeignKey(BatchDecision, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="documents")
    number = models.CharField(_("number"), max_length=60)
    token = models.CharField(_("verification key"), max_length=40, unique=True, default=_verification_token,
                             editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reason = models.CharField(_("reason for issue"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="official", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="certificate", designation__isnull=False, alliance__isnull=False,
                             batch__isnull=True)
                           | Q(kind="designation_document", batch__isnull=False, designation__isnull=True)),
                name="official_document_belongs_to_its_kind"),
            # One valid certificate per alliance (a demonstration certificate supersedes the pilot's) and
            # one valid designation document per batch.
            models.UniqueConstraint(fields=["alliance"], condition=Q(kind="certificate", status="valid"),
                                    name="one_valid_certificate_per_alliance"),
            models.UniqueConstraint(fields=["batch"], condition=Q(kind="designation_document", status="valid"),
                                    name="one_valid_designation_document_per_batch"),
        ]
        indexes = [models.Index(fields=["designation", "-issued_at"]), models.Index(fields=["number"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None
