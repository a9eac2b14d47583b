"""Every state change of an assessment.

The alliance's own state moves only through ``alliances.transitions.transition`` (open_assessment,
grant_demonstration, keep_pilot, order_rectification, open_reassessment, restore_pilot, revoke). The
services here gather their inputs, check permission and the current state, lock the rows (the round
or the rectification first, then the alliance inside ``transition``), return early when the thing is
already done, save with ``update_fields``, write an audit event and notify after commit. A refusal
raises a ``WorkflowError`` (``assessments.errors``) and is audited after the rollback.
"""

import functools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent
from accounts.rules import SYSTEM, is_member_user, require
from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from alliance_portal.core.workflow import Machine, apply_transition
from alliances.models import Alliance, YearlyTarget
from alliances.rules import is_chairman_user
from alliances.transitions import transition
from alliances.workflow import State
from notifications.services import notify
from projects.uploads import store_evidence
from reviews import services as review_services
from reviews.models import Designation, ExpertProfile

from . import selectors, workflow
from .errors import ConflictOfInterest, Incomplete, InvalidInput
from .models import (
    AssessmentCriterion,
    AssessmentExpertAssignment,
    AssessmentRound,
    AssessmentRules,
    AssessmentScore,
    AssessmentTransition,
    Grade,
    HealthDimension,
    HealthRating,
    HealthScore,
    LifecycleStage,
    Rectification,
    SelfAssessment,
    SelfAssessmentAttachment,
    TargetAchievement,
)

Status = AssessmentRound.Status
Kind = AssessmentRound.Kind
Outcome = AssessmentRound.Outcome


def _check_round_actor(step, assessment: AssessmentRound, by) -> None:
    # The services check who acts on the round before they move it (the chairman unit, the bureau); the
    # engine checks the role the table names.
    if by is not SYSTEM and not any(by.has_role(role) for role in step.roles):
        raise NotPermitted(_("Your role may not “%(action)s” this assessment.") % {"action": step.label})


# The round's own state machine (assessments/workflow.py) on the core engine: an AssessmentTransition and an
# "assessment_transition" audit event for each step, beside the services' own events.
ROUND = Machine(
    name="assessment_transition",
    model=AssessmentRound,
    record=AssessmentTransition,
    subject="round",
    table=workflow.TRANSITIONS,
    state_field="status",
    changed_at_field=None,
    history=False,
    lock=lambda pk: AssessmentRound.objects.select_for_update().select_related("alliance").get(pk=pk),
    check_actor=_check_round_actor,
    audit=audit.record,
    illegal=lambda assessment, label: (
        _("This assessment is “%(status)s”; “%(action)s” is not possible now. "
          "Someone else may have acted on it already: reload the page.")
        % {"status": assessment.get_status_display(), "action": label}),
    save_fields=("status",),
    refresh_fields=("status", "total_score", "grade", "outcome", "outcome_reason", "comment", "decided_at",
                    "decided_by"),
)


def _audit_refusals(action: str):
    """Record a refused service call in the audit trail after its transaction has rolled back."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(obj, *args, by=None, **kwargs):
            try:
                return service(obj, *args, by=by, **kwargs)
            except WorkflowError as refusal:
                audit.record(action, user=by, obj=obj, outcome=AuditEvent.Outcome.REFUSED, reason=refusal.message)
                raise

        return wrapper

    return decorate


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise NotPermitted(message)




def _format_date(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _notify(recipients, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    transaction.on_commit(lambda: notify(recipients, kind=kind, title=title, body=body, url=url))


def grade_for(total: Decimal, rules: AssessmentRules) -> str:
    if total >= rules.excellent_threshold:
        return Grade.EXCELLENT
    if total >= rules.pass_threshold:
        return Grade.PASS
    return Grade.FAIL


def mean_total(totals) -> Decimal | None:
    totals = [t for t in totals if t is not None]
    if not totals:
        return None
    return (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Opening -----------------------------------------------------------------------------------------


@_audit_refusals("assessment_open")
def open_assessment(alliance: Alliance, *, by, kind: str = Kind.BIENNIAL, due_date: date | None = None,
                    comment: str = "") -> AssessmentRound:
    """Open an assessment of a pilot or demonstration alliance (biennial, or on the bureau's demand).

    Moves the alliance to "under assessment", creates the round and the self-assessment prefilled with
    what the portal knows, and asks the chairman unit to file it by ``due_date``. Returns the open
    round when the alliance is already under assessment.
    """
    require(by, "assessments.manage_assessments", system_may=True)  # the sweep (SYSTEM) opens assessments
    if kind not in (Kind.BIENNIAL, Kind.ON_DEMAND):
        raise InvalidInput({"kind": _("Choose a biennial assessment or an assessment on demand.")})
    rules = AssessmentRules.current()
    today = timezone.localdate()
    due_date = due_date or today + timedelta(days=rules.self_assessment_days)
    if due_date < today:
        raise InvalidInput({"due_date": _("The self-assessment cannot be due in the past.")})
    seen = {}
    with transaction.atomic():
        record = transition(alliance, action="open_assessment", by=by, comment=comment,
                                            before_save=lambda locked: seen.update(state=locked.state))
        if record is None:
            existing = AssessmentRound.objects.filter(alliance=alliance, status__in=AssessmentRound.OPEN).first()
            if existing is not None:
                return existing
            raise IllegalTransition(_("The alliance is under assessment but has no open assessment round."))
        clock = selectors.with_assessment_clock(Alliance.objects.filter(pk=alliance.pk)).values(
            "clock_from").first()
        since = timezone.localdate(clock["clock_from"]) if clock and clock["clock_from"] else (
            timezone.localdate(alliance.created_at))
        assessment = AssessmentRound.objects.create(
            alliance=alliance, kind=kind, status=Status.SELF_ASSESSMENT, opened_from=seen["state"],
            period_start=since, period_end=today, opened_at=record.at, opened_by=by, self_assessment_due=due_date,
            comment=comment.strip(),
        )
        _create_self_assessment(assessment)
        audit.record("assessment_open", user=by, obj=assessment, alliance=alliance.pk, kind=kind,
                     due=due_date.isoformat())
        _notify(selectors.chairman_users(alliance), kind="assessment_opened",
                title=_("%(alliance)s: please file the self-assessment by %(date)s")
                % {"alliance": alliance.name, "date": _format_date(due_date)},
                body=comment, url=assessment.get_absolute_url())
    return assessment


def _create_self_assessment(assessment: AssessmentRound) -> SelfAssessment:
    figures = selectors.portal_figures(assessment.alliance, since=assessment.period_start,
                                       until=assessment.period_end)
    prefilled = {name: value for name, value in figures.items() if name in SelfAssessment.FIGURES}
    for name in ("investment_completed", "revenue"):
        if prefilled.get(name) is not None:
            prefilled[name] = Decimal(prefilled[name])
    report = SelfAssessment.objects.create(round=assessment, portal_figures=figures, **prefilled)
    targets = YearlyTarget.objects.filter(
        work_plan__alliance=assessment.alliance,
        year__gte=assessment.period_start.year, year__lte=assessment.period_end.year,
    )
    TargetAchievement.objects.bulk_create(TargetAchievement(self_assessment=report, target=t) for t in targets)
    return report


# --- The alliance's self-assessment ------------------------------------------------------------------


def _lock_round(assessment: AssessmentRound) -> AssessmentRound:
    return AssessmentRound.objects.select_for_update().select_related("alliance").get(pk=assessment.pk)


def _check_self_assessment_editable(locked: AssessmentRound, by) -> None:
    _require(by is not None and is_member_user(by) and is_chairman_user(by, locked.alliance),
             _("Only the chairman unit of the alliance may file its self-assessment."))
    if locked.status != Status.SELF_ASSESSMENT:
        raise IllegalTransition(_("The self-assessment was submitted and can no longer be changed."))


@_audit_refusals("self_assessment_save")
def save_self_assessment(report: SelfAssessment, *, by, values: dict, achievements: dict) -> SelfAssessment:
    """Save the self-assessment as a draft. Precondition: the round awaits it and ``by`` is the chairman unit.

    ``values`` holds figures and narrative by field name; ``achievements`` maps a target achievement's
    id to ``(achieved_value, note)``.
    """
    with transaction.atomic():
        locked_round = _lock_round(report.round)
        _check_self_assessment_editable(locked_round, by)
        locked = SelfAssessment.objects.select_for_update().get(pk=report.pk)
        fields = [name for name in SelfAssessment.FIGURES + SelfAssessment.NARRATIVE if name in values]
        for name in fields:
            value = values[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.updated_at = timezone.now()
        locked.updated_by = by
        locked.save(update_fields=[*fields, "updated_at", "updated_by"])
        rows = {row.pk: row for row in locked.target_achievements.all()}
        changed = []
        for pk, (value, note) in achievements.items():
            row = rows.get(int(pk))
            if row is not None:
                row.achieved_value, row.note = value, (note or "").strip()
                changed.append(row)
        TargetAchievement.objects.bulk_update(changed, ["achieved_value", "note"])
        audit.record("self_assessment_save", user=by, obj=locked_round, fields=fields)
    return locked


def self_assessment_problems(report: SelfAssessment) -> list[str]:
    """What is still missing before the self-assessment may be submitted, in plain words."""
    problems = [_("“%(field)s” is empty.") % {"field": label} for label in report.missing()]
    for row in report.target_achievements.select_related("target"):
        if row.achieved_value is None:
            problems.append(_("Achieved value for the target “%(year)s %(indicator)s” is empty.")
                            % {"year": row.target.year, "indicator": row.target.indicator})
    return problems


@_audit_refusals("self_assessment_submit")
def submit_self_assessment(report: SelfAssessment, *, by) -> SelfAssessment:
    """Submit the complete self-assessment; experts may then score it. Idempotent for a second click."""
    with transaction.atomic():
        locked_round = _lock_round(report.round)
        locked = SelfAssessment.objects.select_for_update().get(pk=report.pk)
        if locked.submitted_at is not None:
            return locked
        _check_self_assessment_editable(locked_round, by)
        problems = self_assessment_problems(locked)
        if problems:
            raise Incomplete(_("The self-assessment is not complete yet."), problems)
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.save(update_fields=["submitted_at", "submitted_by"])
        apply_transition(ROUND, locked_round, action="submit_self_assessment", by=by)
        audit.record("self_assessment_submit", user=by, obj=locked_round)
        _notify(selectors.bureau_officers(), kind="self_assessment_submitted",
                title=_("%(alliance)s submitted its self-assessment") % {"alliance": locked_round.alliance.name},
                url=locked_round.get_absolute_url())
    report.round.status = locked_round.status
    report.submitted_at, report.submitted_by = locked.submitted_at, by
    return locked


# --- Experts -----------------------------------------------------------------------------------------


@_audit_refusals("assessment_expert_assign")
def assign_expert(assessment: AssessmentRound, *, expert: ExpertProfile, by) -> AssessmentExpertAssignment:
    """Ask an expert of the pool to score the assessment. Refused, with the reason, on a conflict of interest."""
    require(by, "assessments.manage_assessments", system_may=True)
    with transaction.atomic():
        locked = _lock_round(assessment)
        if not locked.is_open:
            raise IllegalTransition(_("This assessment is decided; experts can no longer be added."))
        existing = AssessmentExpertAssignment.objects.filter(round=locked, expert=expert).first()
        if existing is not None:
            return existing
        if not expert.is_active or not expert.user.is_active:
            raise WorkflowError(_("%(expert)s is not available.") % {"expert": expert})
        reason = review_services.conflict_of_interest(expert, locked.alliance)
        if reason:
            raise ConflictOfInterest(reason)
        assignment = AssessmentExpertAssignment.objects.create(round=locked, expert=expert, assigned_by=by)
        audit.record("assessment_expert_assign", user=by, obj=locked, expert=expert.pk)
        _notify([expert.user], kind="assessment_assigned",
                title=_("Please score the assessment of %(alliance)s") % {"alliance": locked.alliance.name},
                url=assignment.get_absolute_url())
    return assignment


@_audit_refusals("assessment_expert_withdraw")
def withdraw_expert(assignment: AssessmentExpertAssignment, *, by) -> None:
    """Take an expert off an open assessment before they have scored it."""
    require(by, "assessments.manage_assessments", system_may=True)
    with transaction.atomic():
        locked_round = _lock_round(assignment.round)
        locked = AssessmentExpertAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
        if locked is None:
            return
        if locked.submitted_at is not None or not locked_round.is_open:
            raise IllegalTransition(_("A submitted scorecard stays part of the assessment."))
        locked.delete()
        audit.record("assessment_expert_withdraw", user=by, obj=locked_round, expert=assignment.expert_id)


@_audit_refusals("assessment_score_submit")
def submit_score(assignment: AssessmentExpertAssignment, *, by, scores: dict, opinion: str,
                 remarks: dict | None = None) -> AssessmentExpertAssignment:
    """Submit the expert's scorecard, final once submitted. Precondition: the self-assessment is in.

    ``scores`` maps each active criterion's id to a Decimal between 0 and its maximum; ``remarks`` maps
    a criterion's id to an optional remark.
    """
    remarks = remarks or {}
    with transaction.atomic():
        locked_round = _lock_round(assignment.round)
        locked = AssessmentExpertAssignment.objects.select_for_update().select_related("expert").get(
            pk=assignment.pk)
        _require(by is not None and locked.expert.user_id == by.pk, _("This is not your assignment."))
        if locked.submitted_at is not None:
            return locked
        if locked_round.status != Status.EXPERT_SCORING:
            raise IllegalTransition(
                _("The self-assessment has not been submitted yet.") if locked_round.status == Status.SELF_ASSESSMENT
                else _("This assessment is decided; scores can no longer be submitted."))
        criteria = list(AssessmentCriterion.objects.filter(is_active=True))
        errors = {}
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is None:
                errors[f"score_{criterion.pk}"] = _("Score “%(criterion)s”.") % {"criterion": criterion.label}
            elif not Decimal(0) <= score <= criterion.max_score:
                errors[f"score_{criterion.pk}"] = (_("“%(criterion)s” is scored from 0 to %(max)s.")
                                                   % {"criterion": criterion.label, "max": criterion.max_score})
        if not (opinion or "").strip():
            errors["opinion"] = _("Write your overall opinion.")
        if errors:
            raise InvalidInput(errors)
        rows = AssessmentScore.objects.bulk_create(
            AssessmentScore(assignment=locked, criterion=c, score=scores[c.pk], weight=c.weight,
                            max_score=c.max_score, comment=(remarks.get(c.pk) or "").strip()[:500])
            for c in criteria
        )
        locked.total_score = review_services.weighted_total(rows)
        locked.opinion = opinion.strip()
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["total_score", "opinion", "submitted_at"])
        audit.record("assessment_score_submit", user=by, obj=locked_round, assignment=locked.pk,
                     total=str(locked.total_score))
        if not locked_round.assignments.filter(submitted_at__isnull=True).exists():
            _notify(selectors.bureau_officers(), kind="assessment_scored",
                    title=_("Every expert has scored the assessment of %(alliance)s")
                    % {"alliance": locked_round.alliance.name}, url=locked_round.get_absolute_url())
    assignment.submitted_at, assignment.total_score = locked.submitted_at, locked.total_score
    return locked


def _scored_total(locked_round: AssessmentRound, *, required: int) -> Decimal | None:
    assignments = list(locked_round.assignments.all())
    pending = [a for a in assignments if a.submitted_at is None]
    if pending:
        raise Incomplete(_("Not every expert has scored yet."),
                         [_("%(expert)s has not submitted a scorecard.") % {"expert": a.expert} for a in pending])
    if len(assignments) < required:
        raise Incomplete(_("Too few experts have scored."),
                         [_("At least %(count)d expert scorecards are needed; %(have)d submitted.")
                          % {"count": required, "have": len(assignments)}])
    return mean_total(a.total_score for a in assignments)


# --- Outcome -----------------------------------------------------------------------------------------


@_audit_refusals("assessment_decide")
def decide_outcome(assessment: AssessmentRound, *, by, comment: str = "", rectification_deadline: date | None = None,
                   required_actions: str = "") -> AssessmentRound:
    """Decide a biennial or on-demand assessment from the experts' mean total score.

    Excellent after at least a year of operation → demonstration status (and its certificate); excellent
    earlier, or a pass → the alliance keeps its status; a fail → rectification with a deadline and the
    required actions. Returns the round unchanged when it is already decided.
    """
    require(by, "assessments.manage_assessments", system_may=True)
    rules = AssessmentRules.current()
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_round(assessment)
        if locked.status == Status.DECIDED:
            return locked
        if locked.is_reassessment:
            raise IllegalTransition(_("A re-assessment is decided by restoring or revoking the title."))
        if locked.status != Status.EXPERT_SCORING:
            raise IllegalTransition(_("The alliance has not submitted its self-assessment yet."))
        total = _scored_total(locked, required=rules.min_experts)
        grade = grade_for(total, rules)
        reason = ""
        comment = (comment or "").strip()
        if grade == Grade.FAIL:
            errors = {}
            if rectification_deadline is None:
                errors["rectification_deadline"] = _("Set the deadline for the rectification.")
            elif rectification_deadline <= today:
                errors["rectification_deadline"] = _("The deadline must lie in the future.")
            if not (required_actions or "").strip():
                errors["required_actions"] = _("List the actions the alliance must take.")
            if errors:
                raise InvalidInput(errors)
            action, outcome = "order_rectification", Outcome.RECTIFICATION
        elif locked.opened_from == State.DEMONSTRATION:
            action, outcome = "grant_demonstration", Outcome.DEMONSTRATION_KEPT
        elif grade == Grade.EXCELLENT:
            since = selectors.designated_on(locked.alliance)
            days = (today - since).days if since else 0
            if since is not None and days >= rules.min_operation_days:
                action, outcome = "grant_demonstration", Outcome.DEMONSTRATION
            else:
                action, outcome = "keep_pilot", Outcome.PILOT_KEPT
                reason = _("The result is excellent, but demonstration status needs at least %(needed)d days of "
                           "operation since designation; the alliance has operated %(days)d days (designated on "
                           "%(date)s).") % {"needed": rules.min_operation_days, "days": days,
                                            "date": _format_date(since) if since else "—"}
        else:
            action, outcome = "keep_pilot", Outcome.PILOT_KEPT
        summary = _("Assessment result: %(grade)s, %(total)s points. %(outcome)s.") % {
            "grade": Grade(grade).label, "total": total, "outcome": Outcome(outcome).label}
        parts = [summary, reason, comment]
        if grade == Grade.FAIL:
            parts.append(_("Rectify by %(date)s: %(actions)s") % {
                "date": _format_date(rectification_deadline), "actions": required_actions.strip()})
        transition(locked.alliance, action=action, by=by,
                                   comment="\n".join(part for part in parts if part))
        if outcome == Outcome.DEMONSTRATION:
            review_services.designate(locked.alliance, level=Designation.Level.DEMONSTRATION, by=by)
        if grade == Grade.FAIL:
            Rectification.objects.create(round=locked, alliance=locked.alliance, deadline=rectification_deadline,
                                         required_actions=required_actions.strip(), ordered_by=by)
        _close(locked, by=by, total=total, grade=grade, outcome=outcome, reason=reason, comment=comment)
    return locked


def _close(locked: AssessmentRound, *, by, total, grade, outcome, reason, comment) -> None:
    def record_outcome(row: AssessmentRound) -> list[str]:
        row.total_score, row.grade, row.outcome = total, grade, outcome
        row.outcome_reason, row.comment = reason, comment or row.comment
        row.decided_at, row.decided_by = timezone.now(), by
        return ["total_score", "grade", "outcome", "outcome_reason", "comment", "decided_at", "decided_by"]

    apply_transition(ROUND, locked, action="decide", by=by, before_save=record_outcome)
    audit.record("assessment_decide", user=by, obj=locked, result=outcome, grade=grade,
                 total=str(total) if total is not None else "")


# --- Rectification and re-assessment -----------------------------------------------------------------


@_audit_refusals("rectification_report")
def submit_rectification_report(rectification: Rectification, *, by, report: str) -> Rectification:
    """The chairman unit reports what it has rectified. Idempotent once reported."""
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().select_related("alliance").get(pk=rectification.pk)
        if locked.reported_at is not None:
            return locked
        _require(by is not None and by.has_perm("assessments.report_rectification", locked),
                 _("Only the chairman unit may report on the rectification while it is under way."))
        if not (report or "").strip():
            raise InvalidInput({"report": _("Describe what the alliance has done.")})
        locked.report, locked.reported_at, locked.reported_by = report.strip(), timezone.now(), by
        locked.save(update_fields=["report", "reported_at", "reported_by"])
        audit.record("rectification_report", user=by, obj=locked, alliance=locked.alliance_id)
        _notify(selectors.bureau_officers(), kind="rectification_reported",
                title=_("%(alliance)s reported on its rectification") % {"alliance": locked.alliance.name},
                url=locked.get_absolute_url())
    rectification.report, rectification.reported_at = locked.report, locked.reported_at
    return locked


@_audit_refusals("reassessment_open")
def open_reassessment(rectification: Rectification, *, by, comment: str = "") -> AssessmentRound:
    """Re-assess a rectifying alliance once it has reported or its deadline has passed.

    The rectification report stands in for the self-assessment; experts may be asked to score it.
    Returns the existing re-assessment on a second click.
    """
    require(by, "assessments.manage_assessments", system_may=True)
    today = timezone.localdate()
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().select_related("alliance").get(pk=rectification.pk)
        if locked.reassessment_id is not None:
            return locked.reassessment
        if locked.reported_at is None and locked.deadline >= today:
            raise IllegalTransition(_("Wait for the rectification report or for the deadline (%(date)s) to pass.")
                                    % {"date": _format_date(locked.deadline)})
        transition(locked.alliance, action="open_reassessment", by=by, comment=comment)
        reassessment = AssessmentRound.objects.create(
            alliance=locked.alliance, kind=Kind.REASSESSMENT, status=Status.EXPERT_SCORING,
            opened_from=State.RECTIFICATION, period_start=timezone.localdate(locked.ordered_at), period_end=today,
            opened_by=by, comment=(comment or "").strip(),
        )
        locked.reassessment = reassessment
        locked.save(update_fields=["reassessment"])
        audit.record("reassessment_open", user=by, obj=reassessment, rectification=locked.pk)
    rectification.reassessment = reassessment
    return reassessment


@_audit_refusals("reassessment_decide")
def decide_reassessment(assessment: AssessmentRound, *, by, restore: bool, comment: str) -> AssessmentRound:
    """Restore pilot status, or revoke the title: the alliance leaves the public register, its history stays.

    Any experts asked to score the re-assessment must have done so first; the reason is always written down.
    """
    require(by, "assessments.manage_assessments", system_may=True)
    rules = AssessmentRules.current()
    with transaction.atomic():
        locked = _lock_round(assessment)
        if locked.status == Status.DECIDED:
            return locked
        if not locked.is_reassessment:
            raise IllegalTransition(_("Only a re-assessment can restore or revoke the title."))
        comment = (comment or "").strip()
        if not comment:
            raise InvalidInput({"comment": _("Write down the reason for the decision.")})
        total = _scored_total(locked, required=0)
        grade = grade_for(total, rules) if total is not None else ""
        action, outcome = ("restore_pilot", Outcome.PILOT_RESTORED) if restore else ("revoke", Outcome.REVOKED)
        transition(locked.alliance, action=action, by=by, comment=comment)
        # The revoke transition marks every standing designation revoked (reviews.services effects), which
        # takes the alliance off the public register; all of its records stay.
        Rectification.objects.filter(reassessment=locked, closed_at__isnull=True).update(closed_at=timezone.now())
        _close(locked, by=by, total=total, grade=grade, outcome=outcome, reason="", comment=comment)
    return locked


# --- Life cycle ---------------------------------------------------------------------------------------


def _checked_health(health) -> dict[str, tuple[int, str]]:
    """``health`` maps each of the six dimensions to ``(rating, comment)``; every one is rated and explained."""
    errors, checked = {}, {}
    for dimension in HealthDimension:
        rating, comment = (health or {}).get(dimension.value, (None, ""))
        comment = (comment or "").strip()
        if rating not in HealthRating.values:
            errors[f"{dimension.value}_rating"] = _("Rate “%(dimension)s” from 1 (poor) to 5 (good).") % {
                "dimension": dimension.label}
        if not comment:
            errors[f"{dimension.value}_comment"] = _("Say in a few words why “%(dimension)s” is rated so.") % {
                "dimension": dimension.label}
        elif len(comment) > HealthScore._meta.get_field("comment").max_length:
            errors[f"{dimension.value}_comment"] = _("Keep the comment on “%(dimension)s” to 200 characters.") % {
                "dimension": dimension.label}
        checked[dimension.value] = (rating, comment)
    unknown = set(health or {}) - set(HealthDimension.values)
    if unknown:
        errors["stage"] = _("Unknown health dimensions: %(names)s.") % {"names": ", ".join(sorted(unknown))}
    if errors:
        raise InvalidInput(errors)
    return checked


@_audit_refusals("lifecycle_stage_set")
def set_lifecycle_stage(alliance: Alliance, *, by, stage: str, health: dict, reason: str = "",
                        assessment: AssessmentRound | None = None) -> LifecycleStage | None:
    """Record the alliance's life-cycle stage as the bureau sees it, with the six health dimensions rated
    (``health``: dimension -> (rating 1–5, short comment)) and an optional overall remark.

    A new row when the stage or any rating changes; None when the alliance already stands exactly there
    (a second click, or a colleague who just recorded the same)."""
    require(by, "assessments.manage_assessments", system_may=True)
    if stage not in LifecycleStage.Stage.values:
        raise InvalidInput({"stage": _("Choose a life-cycle stage.")})
    checked = _checked_health(health)
    if assessment is not None and assessment.alliance_id != alliance.pk:
        raise InvalidInput({"stage": _("The assessment belongs to another alliance.")})
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        current = locked.lifecycle_stages.prefetch_related("health_scores").first()
        if current is not None and current.stage == stage and {
                row.dimension: row.rating for row in current.health_scores.all()} == {
                dimension: rating for dimension, (rating, _comment) in checked.items()}:
            return None
        row = LifecycleStage.objects.create(alliance=locked, stage=stage, reason=(reason or "").strip(), set_by=by,
                                            round=assessment)
        HealthScore.objects.bulk_create(
            HealthScore(stage=row, dimension=dimension, rating=rating, comment=comment)
            for dimension, (rating, comment) in checked.items())
        audit.record("lifecycle_stage_set", user=by, obj=locked, stage=stage,
                     previous=current.stage if current else "",
                     health={dimension: rating for dimension, (rating, _comment) in checked.items()})
    return row


# --- Evidence filed with the self-assessment ---------------------------------------------------------


@_audit_refusals("self_assessment_evidence_added")
def add_self_assessment_evidence(report: SelfAssessment, *, by, uploads, kind: str,
                                 description: str = "") -> list[SelfAssessmentAttachment]:
    """File checked uploads (``projects.uploads.check_upload``) with the self-assessment while it is being
    filled in, as the chairman unit. Content filed there already is skipped (a second click)."""
    if kind not in SelfAssessmentAttachment.Kind.values:
        raise InvalidInput({"kind": _("Choose what the files are.")})
    with transaction.atomic():
        locked_round = _lock_round(report.round)
        _check_self_assessment_editable(locked_round, by)
        seen = set(SelfAssessmentAttachment.objects.filter(self_assessment=report).values_list("sha256", flat=True))
        rows = store_evidence(SelfAssessmentAttachment, uploads, by=by, seen=seen, self_assessment=report, kind=kind,
                              description=(description or "").strip())
        for row in rows:
            audit.record("self_assessment_evidence_added", user=by, obj=locked_round, attachment=row.pk, kind=kind,
                         file=row.original_name, sha256=row.sha256)
    return rows


@_audit_refusals("self_assessment_evidence_removed")
def remove_self_assessment_evidence(attachment: SelfAssessmentAttachment, *, by) -> None:
    """Remove a file from the self-assessment before it is submitted; the audit trail keeps its name and hash."""
    with transaction.atomic():
        locked_round = _lock_round(attachment.self_assessment.round)
        _check_self_assessment_editable(locked_round, by)
        row = SelfAssessmentAttachment.objects.filter(pk=attachment.pk).first()
        if row is None:
            return
        audit.record("self_assessment_evidence_removed", user=by, obj=locked_round, kind=row.kind,
                     file=row.original_name, sha256=row.sha256)
        name, storage = row.file.name, row.file.storage
        row.delete()
        transaction.on_commit(lambda: storage.delete(name))
