"""Read-side queries of the review workflow, used by views, services, tasks and the to-do list."""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import fmean

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from alliances import eligibility
from alliances.models import Alliance, ApplicationVersion, Membership, WorkPlan
from alliances.selectors import possible_duplicates
from alliances.versions import diff
from alliances.workflow import DESIGNATED, State
from calls.models import ApplicationDocument

from .documents import parse_certificate_number
from .models import (
    Department,
    Designation,
    ExpertAssignment,
    ExpertProfile,
    JointReviewOpinion,
    Objection,
    PublicNotice,
    ReviewSettings,
    RevisionGuidance,
    Scorecard,
    ScoreCriterion,
    ScreeningCheck,
    ScreeningCheckItem,
)

# --- People ------------------------------------------------------------------------------------------


def bureau_officers():
    return User.objects.filter(groups__name=Role.OFFICER.value, is_active=True)


def district_reviewers(district_id):
    return User.objects.filter(groups__name=Role.DISTRICT_REVIEWER.value, district_id=district_id, is_active=True)


def applicant_users(alliance):
    return User.objects.filter(organisation_id=alliance.chairman_id, is_active=True)


def joint_reviewers():
    """Active department reviewers of the departments that take part in joint review."""
    return User.objects.filter(
        is_active=True, groups__name=Role.DEPARTMENT_REVIEWER.value,
        department_membership__department__joins_joint_review=True,
        department_membership__department__is_active=True,
    )


def department_of(user) -> Department | None:
    membership = getattr(user, "department_membership", None) if user.is_authenticated else None
    return membership.department if membership is not None else None


# --- Links (notifications and pages point at the page each recipient can open) -----------------------


def review_url(alliance) -> str:
    return reverse("reviews:application", args=[alliance.pk])


def joint_review_url(alliance) -> str:
    return reverse("reviews:opinion", args=[alliance.pk])


def expert_assignments_url() -> str:
    return reverse("reviews:my_assignments")


def applicant_url(alliance) -> str:
    """The application's own page (the alliances app's), which applicants and the bureau can open."""
    return reverse("alliances:detail", args=[alliance.pk])


def version_diff_url(alliance, old: int, new: int) -> str:
    """The alliances app's comparison of two submitted versions."""
    return reverse("alliances:diff", kwargs={"pk": alliance.pk, "old": old, "new": new})


# --- Timeline and queue ------------------------------------------------------------------------------


def _count(queryset, column="pk"):
    return Coalesce(
        Subquery(queryset.order_by().values(column).annotate(n=Count("pk")).values("n")[:1],
                 output_field=IntegerField()),
        0,
    )


def review_queue(*, state: str = "", sector=None, q: str = ""):
    """Applications past the draft stage for the officers' queue, with progress counts, in one query."""
    current = ExpertAssignment.objects.filter(alliance=OuterRef("pk"), version=OuterRef("current_version"))
    queryset = (
        Alliance.objects.exclude(state=State.DRAFT)
        .select_related("sector", "chairman")
        .annotate(
            experts_assigned=_count(current.filter(status__in=ExpertAssignment.COUNTING), "alliance"),
            experts_scored=_count(current.filter(status=ExpertAssignment.Status.SUBMITTED), "alliance"),
            opinions_given=_count(JointReviewOpinion.objects.filter(alliance=OuterRef("pk"),
                                                                    version=OuterRef("current_version")),
                                  "alliance"),
            open_objections=_count(Objection.objects.filter(notice__alliance=OuterRef("pk"),
                                                            status=Objection.Status.OPEN), "notice__alliance"),
        )
        .order_by("state_changed_at", "pk")
    )
    if state == "active":
        queryset = queryset.filter(state__in=ACTIVE_REVIEW)
    elif state:
        queryset = queryset.filter(state=state)
    if sector:
        queryset = queryset.filter(sector=sector)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(chairman__name__icontains=q))
    return queryset


ACTIVE_REVIEW = (State.SUBMITTED, State.SCREENING, State.RESUBMITTED, State.EXPERT_REVIEW, State.JOINT_REVIEW,
                 State.PUBLIC_NOTICE)


def state_counts() -> dict[str, int]:
    rows = Alliance.objects.exclude(state=State.DRAFT).values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


# --- Screening ---------------------------------------------------------------------------------------


def checklist(alliance) -> list[tuple[ScreeningCheckItem, bool]]:
    """Each active checklist line with whether it was ticked for the current version."""
    ticked = set(
        ScreeningCheck.objects.filter(alliance=alliance, version=alliance.current_version, passed=True)
        .values_list("item_id", flat=True)
    )
    return [(item, item.pk in ticked) for item in ScreeningCheckItem.objects.filter(is_active=True)]


def proposed_checklist(alliance) -> tuple[list[int], bool]:
    """The lines to show ticked on the screening form, and whether they come from the automatic checks.

    Once the officer has saved the checklist for this version, their ticks. Before that, every line whose
    application section passes the automatic eligibility checks the submission ran (checked again now, on
    the submitted version); a line without a section is left for the officer. The officer confirms or
    overrides: nothing counts as screened until the checklist is saved."""
    saved = ScreeningCheck.objects.filter(alliance=alliance, version=alliance.current_version)
    items = list(ScreeningCheckItem.objects.filter(is_active=True))
    if saved.exists():
        ticked = set(saved.filter(passed=True).values_list("item_id", flat=True))
        return [item.pk for item in items if item.pk in ticked], False
    failing = {problem.section for problem in eligibility.check(alliance)}
    return [item.pk for item in items if item.section and item.section not in failing], True


def missing_checks(alliance) -> list[ScreeningCheckItem]:
    return [item for item, passed in checklist(alliance) if not passed]


def open_guidance(alliance):
    """Guidance the applicant still has to address (written when the application was last returned)."""
    return RevisionGuidance.objects.filter(alliance=alliance, addressed_in_version__isnull=True)


def guidance_by_section(alliance) -> dict[str, list[RevisionGuidance]]:
    """Open guidance per section; cached on the alliance so each section's tag costs no query."""
    cached = getattr(alliance, "_open_guidance_by_section", None)
    if cached is None:
        cached = {}
        for row in open_guidance(alliance).select_related("written_by"):
            cached.setdefault(row.section, []).append(row)
        alliance._open_guidance_by_section = cached
    return cached


def guidance_history(alliance):
    return alliance.revision_guidance.select_related("written_by").order_by("-version", "section", "pk")


# --- Experts -----------------------------------------------------------------------------------------


def current_assignments(alliance):
    return (ExpertAssignment.objects.filter(alliance=alliance, version=alliance.current_version)
            .select_related("expert__user", "expert__affiliation", "scorecard")
            .order_by("assigned_at", "pk"))


def assignments_of(user):
    """The expert's own assignments, newest first: nobody else's are ever in this queryset."""
    return (ExpertAssignment.objects.filter(expert__user=user)
            .select_related("alliance__sector", "alliance__chairman", "scorecard")
            .order_by("-assigned_at", "-pk"))


def expert_pool():
    return (ExpertProfile.objects.filter(is_active=True, user__is_active=True)
            .select_related("user", "affiliation").prefetch_related("sectors"))


@dataclass
class Candidate:
    expert: ExpertProfile
    matches_sector: bool
    open_assignments: int
    conflict: str | None
    already_assigned: bool


def expert_candidates(alliance) -> list[Candidate]:
    """The whole pool for an application: sector matches first, then the least busy; conflicts named."""
    from .services import conflicts_of_interest  # services.py imports this module

    experts = list(
        expert_pool().annotate(
            open_count=Count("assignments", filter=Q(assignments__status__in=ExpertAssignment.OPEN)),
            matches=Exists(ExpertProfile.sectors.through.objects.filter(expertprofile_id=OuterRef("pk"),
                                                                        sector_id=alliance.sector_id)),
        )
    )
    conflicts = conflicts_of_interest(experts, alliance)
    taken = set(ExpertAssignment.objects.filter(alliance=alliance, version=alliance.current_version)
                .values_list("expert_id", flat=True))
    candidates = [Candidate(e, e.matches, e.open_count, conflicts.get(e.pk), e.pk in taken) for e in experts]
    candidates.sort(key=lambda c: (c.conflict is not None, c.already_assigned, not c.matches_sector,
                                   c.open_assignments, str(c.expert)))
    return candidates


def suggested_experts(alliance, count: int | None = None) -> list[ExpertProfile]:
    """Up to ``count`` (default: the configured number) assignable experts whose fields match the sector."""
    count = count or ReviewSettings.current().experts_per_application
    return [c.expert for c in expert_candidates(alliance)
            if c.matches_sector and not c.conflict and not c.already_assigned][:count]


# --- Scores ------------------------------------------------------------------------------------------


def criteria_for(alliance):
    """The scorecard an application is scored on: its call's criteria (the default if the call has none of
    its own), or the bureau's default outside a call."""
    criteria = ScoreCriterion.objects.filter(is_active=True)
    if alliance.call_id is None:
        return criteria.filter(call=None)
    own = Exists(ScoreCriterion.objects.filter(call_id=alliance.call_id, is_active=True))
    return criteria.filter(Q(call_id=alliance.call_id) | (Q(call=None) & ~own))


@dataclass
class CriterionRow:
    criterion: ScoreCriterion
    scores: list  # one Decimal or None per expert, in the order of ScoreSummary.cards
    mean: Decimal | None = None
    spread: Decimal | None = None
    disagree: bool = False


@dataclass
class ScoreSummary:
    cards: list[Scorecard]
    rows: list[CriterionRow]
    threshold: Decimal  # points of 100 between the highest and lowest weighted total
    criterion_share: Decimal  # % of a criterion's maximum between its highest and lowest score
    mean_total: Decimal | None = None
    spread_total: Decimal | None = None
    disagree: bool = False  # on the totals only
    recommendations: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.cards)

    @property
    def criteria_apart(self) -> list[CriterionRow]:
        """The criteria whose scores lie far apart (shown separately from the totals' flag)."""
        return [row for row in self.rows if row.disagree]


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def score_summary(alliance) -> ScoreSummary:
    """Submitted scorecards of the current version side by side: means, spreads, strong disagreement (of the
    weighted totals; criteria whose scores lie far apart are marked on their own)."""
    config = ReviewSettings.current()
    threshold, share = config.disagreement_threshold, config.criterion_disagreement_share
    cards = list(
        Scorecard.objects.filter(assignment__alliance=alliance, assignment__version=alliance.current_version,
                                 submitted_at__isnull=False)
        .select_related("assignment__expert__user").prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    criteria = {}
    for card in cards:
        for score in card.scores.all():
            criteria.setdefault(score.criterion_id, None)
    by_pk = ScoreCriterion.objects.in_bulk(list(criteria)) if criteria else {}
    rows = []
    for criterion in sorted(by_pk.values(), key=lambda c: (c.position, c.pk)):
        values = []
        for card in cards:
            hit = next((s for s in card.scores.all() if s.criterion_id == criterion.pk), None)
            values.append(hit.score if hit else None)
        row = CriterionRow(criterion, values)
        present = [v for v in values if v is not None]
        if present:
            row.mean = _d(fmean(present))
            row.spread = max(present) - min(present)
            row.disagree = len(present) > 1 and row.spread * 100 / criterion.max_score >= share
        rows.append(row)
    summary = ScoreSummary(cards, rows, threshold, share)
    totals = [c.weighted_total for c in cards if c.weighted_total is not None]
    if totals:
        summary.mean_total = _d(fmean(totals))
        summary.spread_total = max(totals) - min(totals)
        summary.disagree = len(totals) > 1 and summary.spread_total >= threshold
    for card in cards:
        summary.recommendations[card.recommendation] = summary.recommendations.get(card.recommendation, 0) + 1
    return summary


# --- Joint review ------------------------------------------------------------------------------------


@dataclass
class JointOutcome:
    agreed: bool
    explanation: str
    rule: str
    departments: list  # (Department, JointReviewOpinion | None)


def participating_departments():
    return Department.objects.filter(joins_joint_review=True, is_active=True)


def joint_review_outcome(alliance) -> JointOutcome:
    """Whether the departments' opinions on the current version meet the configured rule, and why not."""
    rule = ReviewSettings.current().joint_review_rule
    opinions = {o.department_id: o for o in JointReviewOpinion.objects.filter(
        alliance=alliance, version=alliance.current_version).select_related("given_by")}
    return _judge(rule, list(participating_departments()), opinions)


def joint_review_outcomes(alliances) -> dict[int, JointOutcome]:
    """``joint_review_outcome`` of many applications at once (three queries), keyed by alliance id."""
    alliances = list(alliances)
    if not alliances:
        return {}
    rule = ReviewSettings.current().joint_review_rule
    versions = {a.pk: a.current_version for a in alliances}
    opinions: dict[int, dict] = {a.pk: {} for a in alliances}
    for o in JointReviewOpinion.objects.filter(alliance__in=list(versions)).select_related("given_by"):
        if o.version == versions[o.alliance_id]:
            opinions[o.alliance_id][o.department_id] = o
    departments = list(participating_departments())
    return {pk: _judge(rule, departments, mine) for pk, mine in opinions.items()}


def _judge(rule, departments, opinions) -> JointOutcome:
    departments = [(d, opinions.get(d.pk)) for d in departments]
    agree = [d.label for d, o in departments if o and o.opinion == JointReviewOpinion.Opinion.AGREE]
    disagree = [d.label for d, o in departments if o and o.opinion == JointReviewOpinion.Opinion.DISAGREE]
    pending = [d.label for d, o in departments if o is None]
    if not departments:
        return JointOutcome(False, _("No department takes part in joint review: configure the departments."),
                            rule, departments)
    if rule == ReviewSettings.OutcomeRule.MAJORITY:
        agreed = len(agree) * 2 > len(departments)
        explanation = "" if agreed else _(
            "More than half of the departments must agree; %(agree)d of %(total)d have agreed so far."
        ) % {"agree": len(agree), "total": len(departments)}
    else:
        agreed = not disagree and not pending
        if disagree:
            explanation = _("Every department must agree; %(departments)s disagreed.") % {
                "departments": "、".join(disagree)}
        elif pending:
            explanation = _("Every department must agree; waiting for %(departments)s.") % {
                "departments": "、".join(pending)}
        else:
            explanation = ""
    return JointOutcome(agreed, explanation, rule, departments)


def joint_review_queue(user):
    """Applications in joint review with the reviewer's department's opinion (if given), in one query."""
    department = department_of(user)
    mine = JointReviewOpinion.objects.filter(alliance=OuterRef("pk"), version=OuterRef("current_version"),
                                             department=department)
    return (Alliance.objects.filter(state=State.JOINT_REVIEW).select_related("sector", "chairman")
            .annotate(my_opinion=Subquery(mine.values("opinion")[:1]))
            .order_by("state_changed_at", "pk"))


# --- Notices and register ----------------------------------------------------------------------------


def current_notice(alliance) -> PublicNotice | None:
    return alliance.public_notices.order_by("-published_at", "-pk").first()


def running_notices(today=None):
    """Notices open to the public today (the public page)."""
    today = today or timezone.localdate()
    return (PublicNotice.objects.filter(closed_at__isnull=True, starts_on__lte=today, ends_on__gte=today,
                                        alliance__state=State.PUBLIC_NOTICE)
            .select_related("alliance__sector", "alliance__chairman").order_by("ends_on", "pk"))


def objections_to(alliance):
    return (Objection.objects.filter(notice__alliance=alliance).select_related("notice", "resolved_by")
            .order_by("status", "submitted_at", "pk"))


def register(*, sector=None, level: str = "", year=None, q: str = ""):
    """The public register: each designated alliance once, at its highest standing level."""
    higher = Designation.objects.filter(alliance=OuterRef("alliance"), level=Designation.Level.DEMONSTRATION,
                                        revoked_at__isnull=True)
    queryset = (
        Designation.objects.filter(revoked_at__isnull=True, alliance__state__in=DESIGNATED)
        .exclude(Q(level=Designation.Level.PILOT) & Exists(higher))
        .select_related("alliance__sector", "alliance__chairman")
        .order_by("-designated_at", "-pk")
    )
    if sector:
        queryset = queryset.filter(alliance__sector=sector)
    if level:
        queryset = queryset.filter(level=level)
    if year:
        queryset = queryset.filter(year=year)
    if q:
        match = Q(alliance__name__icontains=q) | Q(alliance__chairman__name__icontains=q) | Q(certificate_number__icontains=q)
        if number := parse_certificate_number(q):  # 〔2026〕001 typed as 2026-1, [2026]001, …
            match |= Q(year=number[0], sequence=number[1])
        queryset = queryset.filter(match)
    return queryset


# --- The application as reviewers read it ------------------------------------------------------------


def application_summary(alliance) -> dict:
    """What experts and department reviewers read: members, governance, work plan, agreement (4 queries)."""

    plan = WorkPlan.objects.filter(alliance=alliance).prefetch_related("targets", "investments").first()
    return {
        "members": alliance.memberships.filter(status=Membership.Status.CONFIRMED)
        .select_related("organisation").order_by("role", "pk"),
        "governance": alliance.governance_members.all(),
        "plan": plan,
        "plan_sections": [(plan._meta.get_field(name).verbose_name, getattr(plan, name))
                          for name in WorkPlan.TEXT_FIELDS] if plan else [],
        "agreement": alliance.agreements.order_by("-uploaded_at", "-pk").first(),
        "documents": call_documents(alliance),
        "duplicates": possible_duplicates(alliance),
    }


def call_documents(alliance) -> list:
    """The newest upload for each document the application's call asks for, in the call's order (one query)."""
    newest = {}
    for document in (ApplicationDocument.objects.filter(alliance=alliance).select_related("required_document")
                     .order_by("required_document__position", "required_document_id", "-uploaded_at", "-pk")):
        newest.setdefault(document.required_document_id, document)
    return list(newest.values())


def changes_for_expert(assignment):
    """Sections that changed since the version this expert scored before (for a re-review), or None."""

    earlier = (ExpertAssignment.objects.filter(expert_id=assignment.expert_id, alliance_id=assignment.alliance_id,
                                               version__lt=assignment.version, status=ExpertAssignment.Status.SUBMITTED)
               .order_by("-version").values_list("version", flat=True).first())
    if not earlier:
        return None
    snapshots = dict(ApplicationVersion.objects.filter(alliance_id=assignment.alliance_id,
                                                       number__in=[earlier, assignment.version])
                     .values_list("number", "snapshot"))
    if len(snapshots) != 2:
        return {"version": earlier, "sections": None}
    try:
        sections = [s for s in diff(snapshots[earlier], snapshots[assignment.version]) if s.changed]
    except (KeyError, TypeError):  # a snapshot in an older format: say so rather than fail the page
        sections = None
    return {"version": earlier, "sections": sections}


def public_application(alliance) -> dict:
    """What the public notice shows about an application: its members and goals, nothing internal."""

    return {
        "members": alliance.memberships.filter(status=Membership.Status.CONFIRMED)
        .select_related("organisation").order_by("role", "pk"),
    }
