"""Read-side queries of projects: lists with their monitoring figures, the alliance's indicators.

Everything is computed in the database (annotations and aggregates) with a fixed number of queries,
whatever the number of rows.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from alliances.models import Alliance, Membership, Organisation

from . import formatting, periods
from .models import (
    OUTPUTS,
    REPORTED,
    Activity,
    ChangeRequest,
    DevelopmentPlan,
    FundingSource,
    Milestone,
    Project,
)
from .workflow import APPROVED_STATES, RUNNING, ProjectState

ZERO = Decimal("0")
STARTED_STATES = frozenset({ProjectState.IN_PROGRESS, ProjectState.ACCEPTANCE, ProjectState.PASSED,
                            ProjectState.FAILED})


def stall_days() -> int:
    """A running project that has not started this many days after its planned start is stalled."""
    return getattr(settings, "PROJECT_STALL_DAYS", 90)


# --- people to notify --------------------------------------------------------------------------


def bureau_officers():
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True)


def alliance_lead_users(alliance):
    """Users of the alliance's chairman unit and secretariat."""
    lead_orgs = Membership.objects.filter(
        alliance=alliance, status=Membership.Status.CONFIRMED,
        role__in=[Membership.Role.CHAIRMAN, Membership.Role.SECRETARIAT],
    ).values("organisation_id")
    return User.objects.filter(Q(organisation_id=alliance.chairman_id) | Q(organisation_id__in=lead_orgs),
                               is_active=True)


def applicant_users(project):
    """Who hears about the project's decisions: the lead unit, the alliance's secretariat, the filer."""
    users = list(alliance_lead_users(project.alliance))
    users += list(User.objects.filter(Q(organisation_id=project.lead_unit_id) | Q(pk=project.created_by_id),
                                      is_active=True))
    return users


# --- monitoring figures per project -------------------------------------------------------------


def _milestone_count(**filters):
    rows = (Milestone.objects.filter(project=OuterRef("pk"), **filters).order_by().values("project")
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def started() -> Q:
    """Work has started: a running or later state, or the latest report says so (kept on the project)."""
    return Q(state__in=STARTED_STATES) | Q(reported_started=True)


def flags(today: date | None = None) -> dict[str, Q]:
    """The conditions officers watch, as filters on Project: late, stalled, over budget. They read the latest
    report's figures kept on the project (``Project.take_latest_report``), so they need no join."""
    today = today or periods.local_today()
    running = Q(state__in=RUNNING)
    return {
        # a report is overdue, or the planned end has passed without completion
        "late": running & (Q(next_report_due__lt=today) | Q(end_date__lt=today)),
        # not started long after the planned start, or the last period brought no new investment
        "stalled": running & (
            Q(reported_started=False, start_date__lte=today - timedelta(days=stall_days()))
            | Q(reported_started=True, reported_increase__lte=0)
        ),
        # more invested than planned, or more government money used than granted
        "over_budget": Q(state__in=APPROVED_STATES) & (
            Q(reported_investment__gt=F("total_investment"))
            | Q(reported_government_used__gt=Coalesce(F("granted_funding"), Value(ZERO)))
        ),
    }


def monitoring_columns(today: date | None = None) -> dict:
    """Milestone counts, the year the project belongs to, and the three flags, as expressions."""
    return {
        "milestones_total": _milestone_count(),
        "milestones_reached": _milestone_count(reached_on__isnull=False),
        "project_year": ExtractYear(Coalesce("approved_at", "submitted_at", "created_at")),
        # Case rather than a bare condition: a NULL from the report join must read as False
        **{f"is_{name}": Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
           for name, condition in flags(today).items()},
    }


def with_monitoring(queryset, today: date | None = None):
    """Annotate each project with ``monitoring_columns`` and join what the lists show."""
    return queryset.select_related("alliance", "sector", "lead_unit", "latest_report").annotate(
        **monitoring_columns(today))


def project_rows(user):
    """The projects the user may see, with the year they belong to as an alias (the year filter and sort use
    it): the lean rows a list is filtered, sorted and paged on (``alliance_portal.core.pagination``). No join: the
    flags join the latest report, which kept the database from counting a list off an index alone; their
    filters use ``flags()`` where asked."""
    return Project.objects.visible_to(user).alias(project_year=ExtractYear(Coalesce("approved_at", "submitted_at",
                                                                                   "created_at")))


def project_list(user, today: date | None = None):
    """The projects the user may see, with their monitoring figures (one query however many rows)."""
    return with_monitoring(Project.objects.visible_to(user), today)


def investment_ratio(project) -> Decimal | None:
    """Completed investment / total investment, in per cent (None when nothing is planned)."""
    if not project.total_investment:
        return None
    completed = project.latest_report.completed_investment if project.latest_report_id else ZERO
    return (Decimal(completed) * 100 / project.total_investment).quantize(Decimal("0.1"))


def outputs_against_plan(project) -> list[dict]:
    """Each output: achieved so far (latest report) against planned."""
    report = project.latest_report if project.latest_report_id else None
    return [
        {"name": name, "label": label, "planned": getattr(project, f"planned_{name}"),
         "achieved": getattr(report, name) if report else 0}
        for name, label in OUTPUTS
    ]


def timeline(project):
    """Every transition of the project in order, with the actor, in one query."""
    return project.transitions.select_related("actor").order_by("at", "pk")


def change_history(project) -> list[dict]:
    """The project's recorded versions, newest first, each with the fields that changed (values before/after)."""
    records = list(project.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    watched = [f.name for f in Project._meta.fields if f.name not in
               {"id", "updated_at", "latest_report", "next_report_due", "state_changed_at", "created_at",
                "created_by", "submitted_at", "approved_at", "lead_district", *REPORTED}]
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            changes = []
        else:
            delta = newer.diff_against(older, included_fields=watched)
            changes = [
                {"field": Project._meta.get_field(change.field).verbose_name, "old": _display(change.field, change.old),
                 "new": _display(change.field, change.new)}
                for change in delta.changes
            ]
        if older is not None and not changes:
            continue
        entries.append({"at": newer.history_date, "user": newer.history_user, "reason": newer.history_change_reason,
                        "changes": changes, "created": older is None})
    return entries


def _display(field_name, value):
    field = Project._meta.get_field(field_name)
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, Decimal):
        return formatting.wan(value)
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        return field.related_model._default_manager.filter(pk=value).first() or value
    return value


# --- the alliance's indicators -----------------------------------------------------------------


def alliance_indicators(alliance: Alliance, today: date | None = None) -> dict:
    """The alliance's indicators, computed with aggregates in the database (four queries).

    projects by state; start rate (approved projects that started / approved projects); investment
    completion ratio (latest cumulative completed / planned total, approved projects); outputs
    achieved against plan; activities this year and whether two high-level events were held.
    """
    today = today or periods.local_today()
    projects = Project.objects.filter(alliance=alliance)

    counts = dict(projects.order_by().values_list("state").annotate(n=Count("pk")))
    by_state = [{"state": state, "label": state.label, "count": counts.get(state.value, 0)}
                for state in ProjectState]

    approved = Q(state__in=APPROVED_STATES)
    approved_and_started = approved & started()
    money = DecimalField(max_digits=20, decimal_places=4)
    sums = projects.aggregate(
        approved=Count("pk", filter=approved),
        started=Count("pk", filter=approved_and_started),
        total_investment=Coalesce(Sum("total_investment", filter=approved), Value(ZERO), output_field=money),
        completed_investment=Coalesce(Sum("latest_report__completed_investment", filter=approved), Value(ZERO),
                                      output_field=money),
        granted_funding=Coalesce(Sum("granted_funding", filter=approved), Value(ZERO), output_field=money),
        government_funds_used=Coalesce(Sum("latest_report__government_funds_used", filter=approved), Value(ZERO),
                                       output_field=money),
        **{f"planned_{name}": Coalesce(Sum(f"planned_{name}", filter=approved), Value(0)) for name, _label in OUTPUTS},
        **{f"achieved_{name}": Coalesce(Sum(f"latest_report__{name}", filter=approved), Value(0))
           for name, _label in OUTPUTS},
    )

    activities = Activity.objects.filter(alliance=alliance, date__year=today.year).aggregate(
        total=Count("pk"),
        high_level=Count("pk", filter=Q(kind__in=Activity.HIGH_LEVEL)),
        technology_exchange=Count("pk", filter=Q(kind=Activity.Kind.TECHNOLOGY_EXCHANGE)),
        business_model=Count("pk", filter=Q(kind=Activity.Kind.BUSINESS_MODEL)),
        internal=Count("pk", filter=Q(kind=Activity.Kind.INTERNAL)),
    )
    annual_plan = (DevelopmentPlan.objects.filter(alliance=alliance, kind=DevelopmentPlan.Kind.ANNUAL,
                                                  year=today.year).values("status").first())

    total = Decimal(sums["total_investment"])
    completed = Decimal(sums["completed_investment"])
    return {
        "year": today.year,
        "projects_total": sum(counts.values()),
        "projects_by_state": by_state,
        "approved_projects": sums["approved"],
        "started_projects": sums["started"],
        "start_rate": _percent(sums["started"], sums["approved"]),
        "total_investment": total,
        "completed_investment": completed,
        "investment_completion_ratio": _percent(completed, total),
        "granted_funding": Decimal(sums["granted_funding"]),
        "government_funds_used": Decimal(sums["government_funds_used"]),
        "outputs": [
            {"name": name, "label": label, "planned": sums[f"planned_{name}"], "achieved": sums[f"achieved_{name}"]}
            for name, label in OUTPUTS
        ],
        "activities_this_year": activities["total"],
        "activities_by_kind": {key: activities[key] for key in ("technology_exchange", "business_model", "internal")},
        "high_level_events_this_year": activities["high_level"],
        "high_level_target_met": activities["high_level"] >= 2,
        "annual_plan_status": annual_plan["status"] if annual_plan else None,
    }


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def alliances_user_may_file_for(user):
    """Alliances where the user's unit is a confirmed member (or the chairman): where it may file projects."""
    if not user.is_authenticated or not user.organisation_id or not user.has_role(Role.MEMBER):
        return Alliance.objects.none()
    return Alliance.objects.filter(
        Q(chairman_id=user.organisation_id)
        | Q(pk__in=Membership.objects.filter(organisation_id=user.organisation_id,
                                             status=Membership.Status.CONFIRMED).values("alliance_id"))
    ).order_by("name")


def member_organisations(alliance):
    """The alliance's confirmed member units: the choices for lead and participating units."""

    return Organisation.objects.filter(
        Q(pk=alliance.chairman_id)
        | Q(pk__in=alliance.memberships.filter(status=Membership.Status.CONFIRMED).values("organisation_id"))
    ).order_by("name")


def change_rows(change) -> list[dict]:
    """What a change request changes, as rows of (label, before, after) for its page.

    Before is the project's current value while the request is pending, and the recorded previous
    value once it was approved.
    """

    project, proposed = change.project, change.proposed
    decided = change.status == ChangeRequest.Status.APPROVED
    previous = change.previous if decided else None
    kind = ChangeRequest.Kind

    def budget_lines(rows):
        labels = dict(FundingSource.choices)
        return [f"{row['year']}: " + "，".join(f"{labels[s]} {Decimal(row[s]):,.4f}" for s in FundingSource.values)
                for row in rows]

    def participant_lines(rows):
        return [row["name"] + (f" ({row['credit_code']})" if row.get("credit_code") else "")
                + (f" — {row['task']}" if row.get("task") else "") for row in rows]

    if change.kind == kind.EXTENSION:
        before = date.fromisoformat(previous["end_date"]) if previous else project.end_date
        return [{"label": Project._meta.get_field("end_date").verbose_name, "before": [date_format(before)],
                 "after": [date_format(date.fromisoformat(proposed["end_date"]))]}]
    if change.kind == kind.OBJECTIVES:
        return [{"label": Project._meta.get_field(name).verbose_name,
                 "before": [previous[name] if previous else getattr(project, name)], "after": [proposed[name]]}
                for name in ("objectives", "key_indicators")]
    if change.kind == kind.BUDGET:
        before_total = previous["total_investment"] if previous else str(project.total_investment)
        before_rows = previous["budget"] if previous else budget_rows_of(project)
        return [
            {"label": Project._meta.get_field("total_investment").verbose_name,
             "before": [f"{Decimal(before_total):,.4f}"], "after": [f"{Decimal(proposed['total_investment']):,.4f}"]},
            {"label": _("investment by year and source"), "before": budget_lines(before_rows),
             "after": budget_lines(proposed["budget"])},
        ]
    before_rows = previous["participants"] if previous else participant_rows_of(project)
    return [{"label": _("participating units"), "before": participant_lines(before_rows),
             "after": participant_lines(proposed["participants"])}]


def participant_rows_of(project) -> list[dict]:
    """The project's participating units as plain values (kept with change requests)."""
    return [{"organisation": p.organisation_id, "name": p.name, "credit_code": p.credit_code, "task": p.task}
            for p in project.participants.all()]


def budget_rows_of(project) -> list[dict]:
    """The project's investment plan as plain values, amounts as exact strings (kept with change requests)."""

    return [{"year": b.year, **{source: str(getattr(b, source).quantize(Decimal("0.0001")))
                                for source in FundingSource.values}}
            for b in project.budget_years.all()]
