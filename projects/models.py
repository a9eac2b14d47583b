"""Alliance projects (联盟创新项目): filings, milestones, budgets, progress reports, change requests,
and the alliance's operation records (development plans, activities).

The workflow states are declared in ``projects.workflow``; every state change goes through
``projects.services``. Money is in 万元 (10,000 CNY) as exact decimals.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from alliance_portal.core.evidence import EvidenceFile
from alliance_portal.core.records import TransitionRecord
from alliance_portal.core.validators import validate_no_invisible_controls
from alliances.models import Alliance, Membership, keeping_units_district
from alliances.rules import sees_all_alliances

from .workflow import ProjectState

MONEY = {"max_digits": 16, "decimal_places": 4, "validators": [MinValueValidator(Decimal("0"))]}
ZERO = Decimal("0")
# Project field: the latest progress report's field it copies (Project.take_latest_report)
REPORTED = {"reported_started": "started", "reported_investment": "completed_investment",
            "reported_increase": "investment_increase", "reported_government_used": "government_funds_used"}


class ProjectKind(models.TextChoices):
    COMMON_RD = "common_rd", _("Common technology R&D")
    KEY_BREAKTHROUGH = "key_breakthrough", _("Key technology breakthrough & results transformation")
    SERVICE_PLATFORM = "service_platform", _("Public technical service platform")
    ALLIANCE_STANDARD = "alliance_standard", _("Alliance standard")


class FundingSource(models.TextChoices):
    """Where investment comes from; the field names of budgets and reports follow these values."""

    SELF_RAISED = "self_raised", _("Self-raised")
    BANK_LOANS = "bank_loans", _("Bank loans")
    GOVERNMENT = "government", _("Government funding")
    OTHER = "other", _("Other")


# The outputs a project plans (``planned_<name>`` on Project) and reports cumulatively (on ProgressReport).
OUTPUTS = (
    ("patents_applied", _("Patents applied for")),
    ("patents_granted", _("Patents granted")),
    ("standards", _("Standards")),
    ("new_products", _("New products")),
    ("technical_secrets", _("Technical secrets")),
)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the user may see: the bureau sees every filed project; a unit sees its alliances' projects."""

        if not user.is_authenticated:
            return self.none()
        if sees_all_alliances(user):
            return self.exclude(state=ProjectState.DRAFT)
        if user.organisation_id is None:
            return self.none()
        alliances = Alliance.objects.visible_to(user).filter(
            Q(chairman_id=user.organisation_id)
            | Q(memberships__organisation_id=user.organisation_id,
                memberships__status=Membership.Status.CONFIRMED)
        )
        return self.filter(alliance__in=alliances.values("pk"))


# The columns the project lists filter on (state, kind, sector, alliance, district, year, started, the monitoring
# flags): held by every index of a sort order (``listed_index``), so that a filtered page is found off one index.
LISTED = ("state", "kind", "sector", "alliance", "lead_district", "approved_at", "submitted_at", "created_at",
          "start_date", "end_date", "next_report_due", "total_investment", "granted_funding", "reported_started",
          "reported_investment", "reported_increase", "reported_government_used")


def listed_index(fields: list[str], name: str) -> models.Index:
    """An index in a list's sort order holding ``LISTED`` (PostgreSQL's ``INCLUDE``; other databases index the
    sort order alone)."""
    keys = {field.lstrip("-") for field in fields}
    return models.Index(fields=fields, include=[column for column in LISTED if column not in keys], name=name)


class Project(models.Model):
    """An innovation project an alliance carries out (联盟创新项目), approved (立项) and followed by the bureau."""

    class ReportPeriod(models.IntegerChoices):
        MONTHLY = 1, _("Monthly")
        QUARTERLY = 3, _("Quarterly")
        HALF_YEARLY = 6, _("Half-yearly")
        YEARLY = 12, _("Yearly")

    alliance = models.ForeignKey("alliances.Alliance", verbose_name=_("alliance"), on_delete=models.PROTECT,
                                 related_name="projects")
    title = models.CharField(_("project title"), max_length=200, validators=[validate_no_invisible_controls])
    kind = models.CharField(_("project kind"), max_length=20, choices=ProjectKind.choices)
    sector = models.ForeignKey("alliances.Sector", verbose_name=_("industry sector"), on_delete=models.PROTECT,
                               related_name="projects")
    lead_unit = models.ForeignKey("alliances.Organisation", verbose_name=_("lead unit"), on_delete=models.PROTECT,
                                  related_name="led_projects")
    # The lead unit's district, kept on the row (``save``; ``projects.tally.lead_units_kept`` when a unit
    # moves): the lists filter 100,000 projects by district off their indexes, without joining the units.
    lead_district = models.ForeignKey("alliances.District", verbose_name=_("district of the lead unit"), null=True,
                                      editable=False, on_delete=models.PROTECT, related_name="+")
    objectives = models.TextField(_("objectives"))
    key_indicators = models.TextField(_("key technical indicators"))
    planned_patents_applied = models.PositiveIntegerField(_("patents to apply for"), default=0)
    planned_patents_granted = models.PositiveIntegerField(_("patents to be granted"), default=0)
    planned_standards = models.PositiveIntegerField(_("standards"), default=0)
    planned_new_products = models.PositiveIntegerField(_("new products"), default=0)
    planned_technical_secrets = models.PositiveIntegerField(_("technical secrets"), default=0)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    total_investment = models.DecimalField(_("total investment (10k CNY)"), **MONEY)
    government_funding_requested = models.DecimalField(
        _("government funding requested (10k CNY)"), default=ZERO, **MONEY,
        help_text=_("The sum of the government column of the budget."),
    )

    state = models.CharField(_("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.DRAFT)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approval_number = models.CharField(_("approval number"), max_length=20, unique=True, null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    granted_funding = models.DecimalField(_("granted funding (10k CNY)"), null=True, blank=True, **MONEY)
    report_period_months = models.PositiveSmallIntegerField(
        _("reporting period"), choices=ReportPeriod.choices, default=ReportPeriod.QUARTERLY
    )
    next_report_due = models.DateField(_("next report due"), null=True, blank=True)
    latest_report = models.ForeignKey("ProgressReport", verbose_name=_("latest progress report"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    # The latest report's figures that the monitoring flags (stalled, over budget, started) read, kept on the
    # row by take_latest_report: the flags filter 100,000 projects without joining their reports.
    reported_started = models.BooleanField(default=False, editable=False)
    reported_investment = models.DecimalField(max_digits=18, decimal_places=4, default=ZERO, editable=False)
    reported_increase = models.DecimalField(max_digits=18, decimal_places=4, default=ZERO, editable=False)
    reported_government_used = models.DecimalField(max_digits=18, decimal_places=4, default=ZERO, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "latest_report", "next_report_due",
                                                 "state_changed_at", "lead_district", *REPORTED])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["alliance", "state"]),
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["sector", "kind"]),
            # One index per sort order the lists offer, ending with the id (the order is total) and holding
            # every column a list filters on (``LISTED``): a page's ids are found by reading the index alone
            # (an index-only scan, no visit to the rows), from either end (alliance_portal.core.pagination).
            # approved_at also serves the dashboard's time series.
            listed_index(["-created_at", "-id"], "project_newest_idx"),
            listed_index(["sector", "-created_at", "-id"], "project_sector_newest_idx"),
            listed_index(["approved_at", "id"], "project_approved_order_idx"),
            listed_index(["start_date", "id"], "project_start_order_idx"),
            listed_index(["end_date", "id"], "project_end_order_idx"),
            listed_index(["total_investment", "id"], "project_investment_order_idx"),
            listed_index(["title", "id"], "project_title_order_idx"),
            listed_index(["next_report_due", "id"], "project_report_due_order_idx"),
            # the page's number and alliance orders: by alliance name, the database walks the alliances in name
            # order and each one's projects in id order off this index (it visited every project's row before)
            listed_index(["approval_number", "id"], "project_number_order_idx"),
            listed_index(["alliance", "id"], "project_alliance_order_idx"),
            # the moment a project's year is taken from (``selectors.project_rows``): the year filter's range, and
            # the statistics the planner needs to know how many rows a year holds (it guessed 200 of 43,000)
            models.Index(Coalesce("approved_at", "submitted_at", "created_at"), name="project_year_moment_idx"),
            # the "late" flag (a report overdue or the end passed) counted off the index alone
            models.Index(fields=["state", "next_report_due", "end_date"], name="project_late_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="project_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Saved with its lead unit's district (``lead_district``) whenever the lead unit may have changed."""
        super().save(*args, **keeping_units_district(self, "lead_unit", "lead_district", kwargs))

    @property
    def planned_outputs(self) -> dict[str, int]:
        return {name: getattr(self, f"planned_{name}") for name, _label in OUTPUTS}

    def take_latest_report(self, report) -> list[str]:
        """Make ``report`` the latest, with the figures the flags read; returns the fields to save."""
        self.latest_report = report
        for field, source in REPORTED.items():
            setattr(self, field, getattr(report, source))
        return ["latest_report", *REPORTED]

    take_latest_report.alters_data = True


class ProjectParticipant(models.Model):
    """A participating unit (参与单位): a member of the alliance, or an outside organisation named by credit code."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("alliances.Organisation", verbose_name=_("member unit"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("organisation name"), max_length=200, validators=[validate_no_invisible_controls])
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    task = models.CharField(_("task in the project"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(organisation__isnull=False) | ~Q(credit_code=""),
                                   name="participant_named_by_membership_or_credit_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_member(self) -> bool:
        return self.organisation_id is not None


class Milestone(models.Model):
    """A dated step of the project plan; a progress report marks it reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("planned date"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    reached_report = models.ForeignKey("ProgressReport", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="milestones_reached")

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title


class BudgetYear(models.Model):
    """Planned investment of one year, by source, in 万元. All years add up to the project's total."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("year"))
    self_raised = models.DecimalField(_("self-raised"), default=ZERO, **MONEY)
    bank_loans = models.DecimalField(_("bank loans"), default=ZERO, **MONEY)
    government = models.DecimalField(_("government funding requested"), default=ZERO, **MONEY)
    other = models.DecimalField(_("other"), default=ZERO, **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="budget_once_per_year")]

    def __str__(self):
        return f"{self.year}: {self.total}"

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, source) or ZERO for source in FundingSource.values), ZERO)


def attachment_upload_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class ProjectAttachment(models.Model):
    """A document filed with the project (feasibility study, agreements, quotations …), stored privately."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ProjectTransition(TransitionRecord):
    """Append-only record of one workflow transition of a project: who, when, from, to, comment."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("from"), max_length=20, choices=ProjectState.choices)
    target = models.CharField(_("to"), max_length=20, choices=ProjectState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")
        indexes = [models.Index(fields=["project", "at"])]

    def __str__(self):
        return f"{self.project_id}: {self.source} → {self.target}"


class ApprovalSequence(models.Model):
    """The last approval number handed out in a year; locked row by row so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("approval number sequence")
        verbose_name_plural = _("approval number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class ProgressReport(models.Model):
    """A periodic progress report (进展报告): cumulative figures at the end of one reporting period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    started = models.BooleanField(_("work has started (开工)"), default=False)
    completed_self_raised = models.DecimalField(_("self-raised"), default=ZERO, **MONEY)
    completed_bank_loans = models.DecimalField(_("bank loans"), default=ZERO, **MONEY)
    completed_government = models.DecimalField(_("government funding"), default=ZERO, **MONEY)
    completed_other = models.DecimalField(_("other"), default=ZERO, **MONEY)
    completed_investment = models.GeneratedField(
        expression=F("completed_self_raised") + F("completed_bank_loans") + F("completed_government")
        + F("completed_other"),
        output_field=models.DecimalField(max_digits=18, decimal_places=4),
        db_persist=True,
        verbose_name=_("completed investment (10k CNY)"),
    )
    government_funds_used = models.DecimalField(_("government funds used (10k CNY)"), default=ZERO, **MONEY)
    patents_applied = models.PositiveIntegerField(_("patents applied for"), default=0)
    patents_granted = models.PositiveIntegerField(_("patents granted"), default=0)
    standards = models.PositiveIntegerField(_("standards"), default=0)
    new_products = models.PositiveIntegerField(_("new products"), default=0)
    technical_secrets = models.PositiveIntegerField(_("technical secrets"), default=0)
    problems = models.TextField(_("problems"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    decrease_explanation = models.TextField(
        _("explanation of lower figures"), blank=True,
        help_text=_("Required when a cumulative figure is lower than in the previous report."),
    )
    investment_increase = models.DecimalField(
        _("new investment in the period (10k CNY)"), max_digits=16, decimal_places=4, default=ZERO
    )
    is_late = models.BooleanField(_("late"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    CUMULATIVE_FIELDS = (
        "completed_self_raised", "completed_bank_loans", "completed_government", "completed_other",
        "government_funds_used", *(name for name, _label in OUTPUTS),
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="one_report_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
        ]
        indexes = [models.Index(fields=["submitted_at"]), models.Index(fields=["period_end"])]

    def __str__(self):
        return f"{self.project} {self.period_start:%Y-%m}"

    @property
    def outputs(self) -> dict[str, int]:
        return {name: getattr(self, name) for name, _label in OUTPUTS}


class ChangeRequest(models.Model):
    """A change requested during implementation (项目变更), decided by a bureau officer.

    ``proposed`` holds the new values and ``previous`` the values they replaced (filled on approval);
    the project's own history keeps every earlier version as well.
    """

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension")
        BUDGET = "budget", _("Budget change")
        PARTICIPANTS = "participants", _("Participant change")
        OBJECTIVES = "objectives", _("Objective change")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("change request", "Pending")
        APPROVED = "approved", pgettext_lazy("change request", "Approved")
        REFUSED = "refused", pgettext_lazy("change request", "Refused")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    justification = models.TextField(_("justification"))
    proposed = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("previous values"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], condition=Q(status="pending"),
                                    name="one_pending_change_per_kind"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display()}"


class DevelopmentPlan(models.Model):
    """An alliance's annual development plan (年度发展计划) or medium/long-term plan (中长期发展规划)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual development plan")
        MEDIUM_LONG = "medium_long", _("Medium/long-term development plan")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("plan", "Submitted")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("plan", "Acknowledged")

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="development_plans")
    kind = models.CharField(_("kind of plan"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The plan's year, or the first year of a medium/long-term plan."),
    )
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True,
                                                validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(pgettext_lazy("plan", "content"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("bureau's note"), blank=True)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind", "year"], name="one_plan_per_alliance_kind_year"),
        ]

    def __str__(self):
        return self.title


class Activity(models.Model):
    """An alliance activity: a major technology exchange, a business-model innovation event or an internal exchange."""

    class Kind(models.TextChoices):
        TECHNOLOGY_EXCHANGE = "technology_exchange", _("Major technology exchange")
        BUSINESS_MODEL = "business_model", _("Business-model innovation event")
        INTERNAL = "internal", _("Internal exchange")

    HIGH_LEVEL = frozenset({Kind.TECHNOLOGY_EXCHANGE, Kind.BUSINESS_MODEL})

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of activity"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    participants = models.TextField(_("participants"), help_text=_("Units and people who took part."))
    participant_count = models.PositiveIntegerField(_("number of participants"), default=0)
    outcome = models.TextField(pgettext_lazy("activity", "outcome"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["alliance", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:activity", args=[self.alliance_id, self.pk])

    @property
    def is_high_level(self) -> bool:
        return self.kind in self.HIGH_LEVEL


def activity_evidence_path(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"activities/{instance.activity.alliance_id}/{instance.activity_id}/{uuid.uuid4().hex}{suffix}"


class ActivityAttachment(EvidenceFile):
    """Evidence that an activity took place (活动佐证材料): photos, the sign-in sheet, the minutes."""

    class Kind(models.TextChoices):
        PHOTO = "photo", pgettext_lazy("activity evidence", "Photo")
        SIGN_IN_SHEET = "sign_in_sheet", pgettext_lazy("activity evidence", "Sign-in sheet")
        MINUTES = "minutes", pgettext_lazy("activity evidence", "Minutes")
        OTHER = "other", pgettext_lazy("activity evidence", "Other")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE,
                                 related_name="attachments")
    file = models.FileField(_("file"), max_length=200, upload_to=activity_evidence_path)
    kind = models.CharField(_("kind of evidence"), max_length=20, choices=Kind.choices)

    class Meta(EvidenceFile.Meta):
        verbose_name = _("activity evidence")
        verbose_name_plural = _("activity evidence")
        indexes = [models.Index(fields=["activity", "kind"])]


class ProjectTally(models.Model):
    """Filed projects counted and summed per key of the bureau dashboard's filters and groups (sector, the lead
    unit's district, the project's year, kind, state): the summary reads these few thousand rows instead of
    100,000 projects joined to their latest reports.

    Kept by ``projects.tally.kept`` in the same transaction as every service that changes what they sum
    (filing, transitions, progress reports, approved changes, a lead unit's district);
    ``manage.py recount_tallies --check`` compares them with the projects."""

    sector = models.ForeignKey("alliances.Sector", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("alliances.District", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()  # of approval, else submission, else filing (Asia/Shanghai)
    kind = models.CharField(max_length=20, choices=ProjectKind.choices)
    state = models.CharField(max_length=20, choices=ProjectState.choices)
    projects = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)  # running or past it, or started by the latest report
    total_investment = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    completed_investment = models.DecimalField(max_digits=20, decimal_places=4, default=0)  # latest reports
    patents_applied = models.PositiveIntegerField(default=0)
    patents_granted = models.PositiveIntegerField(default=0)
    standards = models.PositiveIntegerField(default=0)
    new_products = models.PositiveIntegerField(default=0)
    technical_secrets = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("project tally")
        verbose_name_plural = _("project tallies")
        constraints = [models.UniqueConstraint(fields=["sector", "district", "year", "kind", "state"],
                                               name="project_tally_key")]

    def __str__(self):
        return f"{self.sector_id} {self.district_id} {self.year} {self.kind} {self.state}: {self.projects}"
