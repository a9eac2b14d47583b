"""Read-side queries of assessments, used by views, to-do lists and the Celery sweep."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from alliances.models import Alliance, Membership
from alliances.rules import sees_all_alliances
from alliances.workflow import DESIGNATED, State
from projects.models import Activity
from projects.selectors import alliance_indicators
from projects.workflow import ProjectState
from reviews.models import Designation, ExpertProfile

from .models import (
    AssessmentExpertAssignment,
    AssessmentRound,
    AssessmentRules,
    AssessmentScore,
    LifecycleStage,
    Rectification,
)

ASSESSABLE = (State.PILOT, State.DEMONSTRATION)
DUE_SOON_DAYS = 7


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (or earlier); 29 February falls back to the 28th (a period
    counted in years ends on the last day of its month when that month has no such day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def due_date(clock_from: date, years: int) -> date:
    """The day a cycle of ``years`` started on ``clock_from`` falls due: the one anniversary every page,
    list and reminder shows and counts from."""
    return add_years(clock_from, years)


def clock_cutoff(target: date, years: int) -> datetime:
    """The start of the first day whose cycle falls due after ``target``: the clocks that started before it
    are exactly those with ``due_date(clock, years) <= target`` (a clock started on 29 February is due
    on 28 February of a common year, not a day later)."""
    first_later = add_years(target, -years) + timedelta(days=1)
    while due_date(first_later, years) <= target:  # 29 Feb, whose anniversary falls back onto ``target``
        first_later += timedelta(days=1)
    return start_of_day(first_later)


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Which alliances are due -------------------------------------------------------------------------


def with_assessment_clock(alliances):
    """Annotate ``designated_at`` (first standing designation), ``last_assessed_at`` (latest round
    opened) and ``clock_from`` (the later of the latest designation and the latest round): the
    assessment cycle runs from ``clock_from``."""
    standing = Designation.objects.filter(alliance=OuterRef("pk"), revoked_at__isnull=True)
    first = Subquery(standing.order_by("designated_at").values("designated_at")[:1])
    latest = Subquery(standing.order_by("-designated_at").values("designated_at")[:1])
    last_round = Subquery(AssessmentRound.objects.filter(alliance=OuterRef("pk")).order_by("-opened_at")
                          .values("opened_at")[:1])
    return alliances.annotate(designated_at=first, latest_designation_at=latest, last_assessed_at=last_round).annotate(
        # Greatest() is NULL on SQLite when either side is NULL: coalesce each side with the other.
        clock_from=Greatest(Coalesce("last_assessed_at", "latest_designation_at", output_field=DateTimeField()),
                            Coalesce("latest_designation_at", "last_assessed_at", output_field=DateTimeField())),
    )


def due_for_assessment(today: date | None = None, *, within_days: int = 0):
    """Designated alliances whose assessment cycle has run out by ``today`` (+ ``within_days``) and
    that are not under assessment now. The Celery sweep opens these; the officer's list shows them."""
    today = today or timezone.localdate()
    rules = AssessmentRules.current()
    cutoff = clock_cutoff(today + timedelta(days=within_days), rules.cycle_years)
    return (
        with_assessment_clock(Alliance.objects.filter(state__in=ASSESSABLE))
        .filter(clock_from__lt=cutoff)
        .select_related("sector", "chairman")
        .order_by("clock_from", "pk")
    )


def next_due_date(clock_from: datetime | None) -> date | None:
    if clock_from is None:
        return None
    return due_date(timezone.localdate(clock_from), AssessmentRules.current().cycle_years)


def designated_on(alliance) -> date | None:
    """The date of the alliance's first standing designation: its operation is counted from there."""
    first = (Designation.objects.filter(alliance=alliance, revoked_at__isnull=True)
             .order_by("designated_at").values_list("designated_at", flat=True).first())
    return timezone.localdate(first) if first else None


# --- What the portal already knows (prefilled into the self-assessment) ----------------------------


def portal_figures(alliance, *, since: date, until: date) -> dict:
    """Figures the portal has recorded itself, as JSON-safe values (decimals as text).

    Projects, investment and outputs come from ``projects.selectors.alliance_indicators`` (cumulative over
    the alliance's approved projects); activities and member units are counted within the period.
    Members joined: memberships confirmed during the period (the chairman unit excluded); members left:
    memberships ended during the period.
    """

    start, end = start_of_day(since), start_of_day(until + timedelta(days=1))
    counts = Membership.objects.filter(alliance=alliance).aggregate(
        joined=Count("pk", filter=Q(responded_at__gte=start, responded_at__lt=end)
                     & Q(status__in=[Membership.Status.CONFIRMED, Membership.Status.LEFT])
                     & ~Q(role=Membership.Role.CHAIRMAN)),
        left=Count("pk", filter=Q(status=Membership.Status.LEFT, left_at__gte=start, left_at__lt=end)),
    )
    indicators = alliance_indicators(alliance, today=until)
    outputs = {row["name"]: row["achieved"] for row in indicators["outputs"]}
    by_state = {row["state"]: row["count"] for row in indicators["projects_by_state"]}

    def text(value):
        return None if value is None else str(value)

    return {
        "projects_started": indicators["started_projects"],
        "projects_completed": by_state.get(ProjectState.PASSED, 0),
        "investment_completed": text(indicators["completed_investment"]),
        "patents_applied": outputs.get("patents_applied", 0),
        "patents_granted": outputs.get("patents_granted", 0),
        "standards": outputs.get("standards", 0),
        "new_products": outputs.get("new_products", 0),
        "activities_held": Activity.objects.filter(alliance=alliance, date__gte=since, date__lte=until).count(),
        "members_joined": counts["joined"],
        "members_left": counts["left"],
        # Context for the bureau, not fields of the form:
        "projects_total": indicators["projects_total"],
        "approved_projects": indicators["approved_projects"],
        "start_rate": text(indicators["start_rate"]),
        "total_investment": text(indicators["total_investment"]),
        "investment_completion_ratio": text(indicators["investment_completion_ratio"]),
    }


# --- Lists -------------------------------------------------------------------------------------------


def rounds_visible_to(user):
    """Assessment rounds the user may see: the bureau sees all; a unit those of its own alliances."""
    rounds = AssessmentRound.objects.all()
    if not user.is_authenticated:
        return rounds.none()
    if sees_all_alliances(user):
        return rounds
    if not user.organisation_id:
        return rounds.none()
    member = Membership.objects.filter(alliance=OuterRef("alliance_id"), organisation_id=user.organisation_id,
                                       status=Membership.Status.CONFIRMED)
    return rounds.filter(Q(alliance__chairman_id=user.organisation_id) | Q(Exists(member)))


def assessment_list(user, *, status: str = "", kind: str = "", sector=None, deadline: str = "", outcome: str = "",
                    followed: bool = False, today=None):
    """The rounds the user may see, filtered, with counts of experts in a fixed number of queries.
    ``followed`` keeps the alliances the user follows as their liaison officer."""
    today = today or timezone.localdate()
    rounds = rounds_visible_to(user)
    if followed:
        rounds = rounds.filter(alliance__supervision__liaison_officer=user)
    if status:
        rounds = rounds.filter(status=status)
    if kind:
        rounds = rounds.filter(kind=kind)
    if outcome:
        rounds = rounds.filter(outcome=outcome)
    if sector:
        rounds = rounds.filter(alliance__sector=sector)
    if deadline == "overdue":
        rounds = rounds.filter(status=AssessmentRound.Status.SELF_ASSESSMENT, self_assessment_due__lt=today)
    elif deadline == "due":
        rounds = rounds.filter(status=AssessmentRound.Status.SELF_ASSESSMENT, self_assessment_due__gte=today,
                               self_assessment_due__lte=today + timedelta(days=DUE_SOON_DAYS))
    assignments = AssessmentExpertAssignment.objects.filter(round=OuterRef("pk")).order_by().values("round")
    return (
        rounds.select_related("alliance", "alliance__sector", "alliance__chairman", "self_assessment")
        .annotate(
            experts_assigned=Coalesce(Subquery(assignments.annotate(n=Count("pk")).values("n")), 0),
            experts_scored=Coalesce(Subquery(assignments.filter(submitted_at__isnull=False)
                                             .annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by(F("decided_at").desc(nulls_first=True), "self_assessment_due", "-opened_at", "-pk")
    )


def assignments_of(user):
    """The expert's own assessment assignments, newest first (nobody else's, ever)."""
    return (
        AssessmentExpertAssignment.objects.filter(expert__user=user)
        .select_related("round", "round__alliance", "round__alliance__sector")
        .order_by(F("submitted_at").desc(nulls_first=True), "-assigned_at")
    )


def expert_choices(assessment):
    """Active experts of the pool for the assignment form, those of the alliance's sector first."""

    assigned = assessment.assignments.values("expert_id")
    in_sector = ExpertProfile.objects.filter(pk=OuterRef("pk"), sectors=assessment.alliance.sector_id)
    return (
        ExpertProfile.objects.filter(is_active=True, user__is_active=True).exclude(pk__in=assigned)
        .select_related("user", "affiliation")
        .annotate(in_sector=Exists(in_sector))
        .order_by("-in_sector", "user__full_name", "pk")
    )


# --- One alliance ------------------------------------------------------------------------------------


def current_stage(alliance) -> LifecycleStage | None:
    """The latest stage with its six health ratings (two queries)."""
    return alliance.lifecycle_stages.select_related("set_by").prefetch_related("health_scores").first()


def stage_history(alliance):
    return (alliance.lifecycle_stages.select_related("set_by", "round").prefetch_related("health_scores")
            .order_by("-set_at", "-pk"))


def alliance_summary(alliance) -> dict:
    """Current stage, last assessment and next due date: the alliance page's assessment panel."""
    clocked = with_assessment_clock(Alliance.objects.filter(pk=alliance.pk)).values("clock_from").first() or {}
    last = alliance.assessment_rounds.order_by("-opened_at", "-pk").first()
    rectification = alliance.rectifications.filter(closed_at__isnull=True).first()
    return {
        # Only designated alliances (and those that were) have anything to show.
        "shown": alliance.state in DESIGNATED or alliance.state == State.REVOKED or last is not None,
        "stage": current_stage(alliance),
        "last": last,
        "next_due": next_due_date(clocked.get("clock_from")) if alliance.state in ASSESSABLE else None,
        "rectification": rectification,
    }


def scores_by_criterion(assessment):
    """Per criterion: mean, minimum and maximum of the submitted scores (for the bureau's summary)."""
    from django.db.models import Avg, Max, Min


    return (
        AssessmentScore.objects.filter(assignment__round=assessment, assignment__submitted_at__isnull=False)
        .values("criterion_id", "criterion__name", "criterion__name_en", "max_score")
        .annotate(mean=Avg("score"), low=Min("score"), high=Max("score"), n=Count("pk"))
        .order_by("criterion__position", "criterion_id")
    )


def bureau_officers():
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True)


def chairman_users(alliance):
    return User.objects.filter(organisation_id=alliance.chairman_id, is_active=True, groups__name=Role.MEMBER.value)


def open_rectifications():
    return Rectification.objects.filter(closed_at__isnull=True)
