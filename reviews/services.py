"""Every state change of the review workflow.

``alliances.transitions.transition`` is the one path for an alliance's state (the core engine over the
table ``alliances.workflow``); ``register`` adds what this app owns to it: the guards (what must be true
besides the table: checklist, guidance, experts' scores, departments' agreement, the notice, the batch) and
the effects (records that follow from an action in the same transaction: notices, designations,
certificates, withdrawn assignments, and the notifications after commit). The named functions below
(``return_for_revision``, ``grant_pilot`` …) gather their inputs and call it; the other services change
the review records (assignments, scorecards, opinions, objections) with the same discipline.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.roles import Role
from accounts.rules import SYSTEM, require
from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from alliance_portal.workdays import calendar as workdays
from alliances import workflow
from alliances.models import Alliance, Membership, StateTransition
from alliances.transitions import APPLICATION, transition
from alliances.workflow import State
from calls.models import Call
from notifications.services import notify

from . import documents, selectors
from .models import (
    CertificateCounter,
    CriterionScore,
    DeclaredConflict,
    Department,
    DepartmentMembership,
    Designation,
    ExpertAssignment,
    ExpertProfile,
    JointReviewOpinion,
    Objection,
    PublicNotice,
    ReviewSettings,
    RevisionGuidance,
    Scorecard,
    ScreeningCheck,
    ScreeningCheckItem,
    Section,
    Supervision,
)

# --- The application's state machine: what reviews adds to it --------------------------------------
# The table and the engine are alliances.transitions (APPLICATION); ``register`` adds the guards and the
# effects this app owns, called once by ReviewsConfig.ready.

DECIDED_WITH_BATCH = "decided_with_batch"


def decided_with_batch(call) -> tuple[str, int]:
    """The fact with which the batch service proposes or designates an application of ``call``
    (``transition(..., facts={decided_with_batch(call)})``)."""
    return (DECIDED_WITH_BATCH, call.pk)


def _notify(record: StateTransition) -> None:
    alliance = record.alliance
    state = workflow.State(record.target).label
    title = _("%(alliance)s: %(state)s") % {"alliance": alliance.name, "state": state}
    if record.target in (State.SUBMITTED, State.RESUBMITTED):
        notify(selectors.bureau_officers(), kind="application_submitted", title=title, body=record.comment,
               url=selectors.review_url(alliance))
    else:
        notify(selectors.applicant_users(alliance), kind=f"application_{record.target}", title=title,
               body=record.comment, url=selectors.applicant_url(alliance))
    if record.target == State.JOINT_REVIEW:
        notify(selectors.joint_reviewers(), kind="joint_review_opened", title=title,
               url=selectors.joint_review_url(alliance))
    if record.target == State.DISTRICT_REVIEW:
        from django.urls import reverse

        notify(selectors.district_reviewers(alliance.chairman.district_id), kind="recommendation_requested",
               title=title, url=reverse("recommendations:application", args=[alliance.pk]))


# Guards: what must hold, besides the table, before an action may happen. They raise WorkflowError.

def _guard_checklist_complete(alliance: Alliance, attempt=None) -> None:
    missing = selectors.missing_checks(alliance)
    if missing:
        raise WorkflowError(
            _("The completeness checklist is not complete: %(items)s.") % {"items": "；".join(m.label for m in missing)}
        )


def _guard_guidance_written(alliance: Alliance, attempt=None) -> None:
    if not selectors.open_guidance(alliance).exists():
        raise WorkflowError(_("Write guidance for at least one section before returning the application."))


def experts_done(alliance: Alliance, attempt=None) -> None:
    """The guard that every expert has scored (or was withdrawn); site_visits runs it before its own."""
    assignments = list(selectors.current_assignments(alliance))
    if not any(a.status == ExpertAssignment.Status.SUBMITTED for a in assignments):
        raise WorkflowError(_("No expert has submitted scores yet."))
    waiting = [a for a in assignments if a.is_open]
    if waiting:
        raise WorkflowError(
            _("Waiting for the scores of %(experts)s: withdraw or replace them first.")
            % {"experts": "、".join(str(a.expert) for a in waiting)}
        )


def _guard_departments_agree(alliance: Alliance, attempt=None) -> None:
    outcome = selectors.joint_review_outcome(alliance)
    if not outcome.agreed:
        raise WorkflowError(outcome.explanation)


def _guard_notice_over(alliance: Alliance, attempt=None) -> None:
    notice = selectors.current_notice(alliance)
    if notice is None:
        raise WorkflowError(_("There is no public notice for this application."))
    if not notice.has_ended():
        raise WorkflowError(
            _("The public notice runs until %(date)s; designation is possible the day after.")
            % {"date": _format_date(notice.ends_on)}
        )
    open_count = notice.objections.filter(status=Objection.Status.OPEN).count()
    if open_count:
        raise WorkflowError(
            _("%(count)d objection(s) to this application are not resolved yet.") % {"count": open_count}
        )


def _guard_decided_with_batch(alliance: Alliance, attempt) -> None:
    # An application of a call is proposed and designated with its call's batch (reviews.batches), never alone:
    # the batch service says so with the fact ``decided_with_batch(call)``.
    if alliance.call_id is not None and (DECIDED_WITH_BATCH, alliance.call_id) not in attempt.facts:
        raise WorkflowError(
            _("This application belongs to “%(call)s”: it is decided with its call's batch, on the call's batch page.")
            % {"call": alliance.call.title}
        )


# Effects: records that follow from an action, written in the same transaction as the state change.

def _effect_guidance_addressed(alliance: Alliance, record: StateTransition) -> None:
    RevisionGuidance.objects.filter(alliance=alliance, addressed_in_version__isnull=True).update(
        addressed_in_version=alliance.current_version or None
    )


def _effect_withdraw_open_assignments(alliance: Alliance, record: StateTransition) -> None:
    ExpertAssignment.objects.filter(alliance=alliance, status__in=ExpertAssignment.OPEN).update(
        status=ExpertAssignment.Status.WITHDRAWN, responded_at=record.at
    )


def _effect_open_notice(alliance: Alliance, record: StateTransition) -> None:
    config = ReviewSettings.current()
    starts_on = timezone.localdate(record.at) + timedelta(days=1)
    PublicNotice.objects.create(
        alliance=alliance, version=alliance.current_version, starts_on=starts_on,
        ends_on=notice_end(starts_on, config.notice_days, working_days=config.notice_working_days),
        published_by=record.actor, published_at=record.at,
    )


def _effect_designate(level):
    def effect(alliance: Alliance, record: StateTransition) -> None:
        designate(alliance, level=level, by=record.actor)

    return effect


def _effect_revoke_designations(alliance: Alliance, record: StateTransition) -> None:
    standing = list(Designation.objects.filter(alliance=alliance, revoked_at__isnull=True).values_list("pk", flat=True))
    Designation.objects.filter(pk__in=standing).update(revoked_at=record.at, revoke_reason=record.comment)
    documents.revoke_certificates(standing, at=record.at, reason=record.comment, by=record.actor)


def _effect_withdraw_demonstration(alliance: Alliance, record: StateTransition) -> None:
    # A demonstration unit that failed its assessment and was restored after rectification is a pilot
    # again: its demonstration title no longer stands (the pilot designation does).
    # Its certificate is revoked and the pilot designation gets a certificate again (its earlier one was
    # superseded by the demonstration certificate).
    demonstration = list(Designation.objects.filter(
        alliance=alliance, level=Designation.Level.DEMONSTRATION, revoked_at__isnull=True
    ).values_list("pk", flat=True))
    reason = record.comment or str(workflow.State.PILOT.label)
    Designation.objects.filter(pk__in=demonstration).update(revoked_at=record.at, revoke_reason=reason)
    documents.revoke_certificates(demonstration, at=record.at, reason=reason, by=record.actor)
    pilot = Designation.objects.filter(alliance=alliance, level=Designation.Level.PILOT, revoked_at__isnull=True).first()
    if demonstration and pilot is not None:
        documents.issue_certificate(pilot, by=record.actor, reason=reason)


def _after_return_or_close(alliance: Alliance, record: StateTransition) -> None:
    _effect_withdraw_open_assignments(alliance, record)


def _close_notice_on_leaving(alliance: Alliance, record: StateTransition) -> None:
    if record.source == State.PUBLIC_NOTICE:
        PublicNotice.objects.filter(alliance=alliance, closed_at__isnull=True).update(closed_at=record.at)


def _notify_after_commit(alliance: Alliance, record: StateTransition) -> None:
    transaction.on_commit(lambda: _notify(record))


def register(machine) -> None:
    """Add this app's guards and effects to the application's state machine (from ReviewsConfig.ready)."""
    machine.guard("send_to_experts")(_guard_checklist_complete)
    machine.guard("return_for_revision")(_guard_guidance_written)
    # start_site_visit is guarded by site_visits (this check first, then the visit's own)
    machine.guard("send_to_joint_review")(experts_done)
    machine.guard("start_public_notice", "grant_pilot")(_guard_decided_with_batch)
    machine.guard("start_public_notice")(_guard_departments_agree)
    machine.guard("grant_pilot")(_guard_notice_over)
    machine.effect("resubmit")(_effect_guidance_addressed)
    machine.effect("return_for_revision", "reject", "withdraw")(_after_return_or_close)
    machine.effect("start_public_notice")(_effect_open_notice)
    machine.effect("grant_pilot")(_effect_designate(Designation.Level.PILOT))
    machine.effect("grant_demonstration")(_effect_designate(Designation.Level.DEMONSTRATION))
    machine.effect("revoke")(_effect_revoke_designations)
    machine.effect("restore_pilot")(_effect_withdraw_demonstration)
    machine.effect()(_close_notice_on_leaving)  # every transition, after the action's own effects
    machine.effect()(_notify_after_commit)


def blockers(alliance: Alliance) -> dict[str, str]:
    """Why each guarded action open from the current state cannot happen yet (the guards, run dry).
    Returning writes its guidance in the same step, so it is never "waiting"."""
    return APPLICATION.blockers(alliance, skip={"return_for_revision"})


def notice_end(starts_on: date, days: int, *, working_days: bool) -> date:
    """The last day of a notice of ``days`` days beginning ``starts_on``: calendar days, or working days as a
    public office counts them (public holidays left out, make-up working days counted; ``workdays.calendar``).

    Refused (WorkflowError) when the period runs into a year whose holidays nobody has entered yet."""
    if not working_days:
        return starts_on + timedelta(days=days - 1)
    try:
        return workdays.nth_working_day(starts_on, days)
    except workdays.UnknownCalendarYear as unknown:
        raise WorkflowError(str(unknown)) from None


def _format_date(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _require(predicate: bool, message) -> None:
    if not predicate:
        raise NotPermitted(message)






# --- Screening -------------------------------------------------------------------------------------


def record_screening(alliance: Alliance, *, passed_item_ids, by) -> list[ScreeningCheck]:
    """Save the officer's checklist for the application's current version (screening only)."""
    require(by, "reviews.review_application", system_may=True)
    passed = {int(pk) for pk in passed_item_ids}
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        if locked.state != State.SCREENING:
            raise IllegalTransition(_("The checklist can only be changed while the application is in screening."))
        now = timezone.now()
        checks = []
        for item in ScreeningCheckItem.objects.filter(is_active=True):
            check, _created = ScreeningCheck.objects.update_or_create(
                alliance=locked, version=locked.current_version, item=item,
                defaults={"passed": item.pk in passed, "checked_by": by, "checked_at": now},
            )
            checks.append(check)
        audit.record("screening_checklist", user=by, obj=locked, version=locked.current_version,
                     passed=sorted(passed))
    return checks


def return_for_revision(alliance: Alliance, *, guidance: dict[str, str], comment: str = "", by):
    """Return an application for revision with written guidance per section (``{section: text}``)."""
    texts = {Section(section): text.strip() for section, text in guidance.items() if text and text.strip()}

    def write_guidance(locked):
        RevisionGuidance.objects.bulk_create(
            RevisionGuidance(alliance=locked, version=locked.current_version, section=section, text=text,
                             written_by=by)
            for section, text in texts.items()
        )

    return transition(alliance, action="return_for_revision", by=by, comment=comment, before_save=write_guidance)


# --- Expert pool, conflicts of interest, assignments ------------------------------------------------


def conflicts_of_interest(experts, alliance: Alliance) -> dict[int, str]:
    """Reasons, keyed by expert profile id, why each conflicted expert may not review ``alliance``.

    An expert is conflicted when the organisation they work for (their affiliation or their account's
    organisation) is a member unit of the alliance, or when they declared a conflict with the alliance
    or with one of its member units. Three queries whatever the number of experts.
    """
    experts = list(experts)
    if not experts:
        return {}
    units = dict(
        Membership.objects.filter(alliance=alliance).exclude(status=Membership.Status.DECLINED)
        .values_list("organisation_id", "organisation__name")
    )
    if alliance.chairman_id not in units:  # the chairman unit is a member even without a membership row
        units[alliance.chairman_id] = alliance.chairman.name
    reasons: dict[int, str] = {}
    for expert in experts:
        for org_id in (expert.affiliation_id, getattr(expert.user, "organisation_id", None)):
            if org_id in units:
                reasons[expert.pk] = _(
                    "The expert's organisation “%(organisation)s” is a member unit of this alliance."
                ) % {"organisation": units[org_id]}
                break
    declared = (
        DeclaredConflict.objects
        .filter(expert__in=[e.pk for e in experts if e.pk not in reasons])
        .filter(Q(alliance=alliance) | Q(organisation_id__in=list(units)))
        .order_by("pk")
    )
    for conflict in declared:
        if conflict.expert_id in reasons:
            continue
        if conflict.alliance_id == alliance.pk:
            reason = _("The expert declared a conflict of interest with this alliance.")
        else:
            reason = _("The expert declared a conflict of interest with “%(organisation)s”, a member unit of "
                       "this alliance.") % {"organisation": units[conflict.organisation_id]}
        if conflict.reason:
            reason = f"{reason} ({conflict.reason})"
        reasons[conflict.expert_id] = reason
    return reasons


def conflict_of_interest(expert_profile: ExpertProfile, alliance: Alliance) -> str | None:
    """Why ``expert_profile`` may not review ``alliance``, in plain words, or None when they may."""
    return conflicts_of_interest([expert_profile], alliance).get(expert_profile.pk)


def assign_experts(alliance: Alliance, *, experts, due_date: date, by) -> list[ExpertAssignment]:
    """Ask ``experts`` to score the application's current version by ``due_date`` (expert review only).

    Refuses the whole request, naming the reason, when any expert is conflicted, inactive or already
    assigned to this version; an expert who declined is not asked twice.
    """
    require(by, "reviews.review_application", system_may=True)
    experts = list(experts)
    if not experts:
        raise WorkflowError(_("Choose at least one expert."))
    if due_date <= timezone.localdate():
        raise WorkflowError(_("The due date must be in the future."))
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().select_related("chairman").get(pk=alliance.pk)
        if locked.state != State.EXPERT_REVIEW:
            raise IllegalTransition(_("Experts can only be assigned while the application is in expert review."))
        _check_assignable(locked, experts)
        created = ExpertAssignment.objects.bulk_create(
            ExpertAssignment(alliance=locked, expert=expert, version=locked.current_version, due_date=due_date,
                             assigned_by=by)
            for expert in experts
        )
        audit.record("assign_experts", user=by, obj=locked, version=locked.current_version,
                     experts=[e.pk for e in experts], due_date=due_date.isoformat())
        transaction.on_commit(lambda: _notify_experts(locked, experts))
    return created


def _check_assignable(alliance: Alliance, experts) -> None:
    problems = []
    for expert, reason in conflicts_of_interest(experts, alliance).items():
        name = next(str(e) for e in experts if e.pk == expert)
        problems.append(f"{name}: {reason}")
    taken = set(
        ExpertAssignment.objects.filter(alliance=alliance, version=alliance.current_version,
                                        expert__in=experts).values_list("expert_id", flat=True)
    )
    for expert in experts:
        if not expert.is_active or not expert.user.is_active:
            problems.append(_("%(expert)s is not available.") % {"expert": expert})
        elif expert.pk in taken:
            problems.append(_("%(expert)s has already been asked to review this version.") % {"expert": expert})
    if problems:
        raise WorkflowError(" ".join(problems))


def _notify_experts(alliance: Alliance, experts) -> None:
    notify([e.user for e in experts], kind="expert_assignment",
           title=_("Please review: %(alliance)s") % {"alliance": alliance.name},
           url=selectors.expert_assignments_url())


def _lock_assignment(assignment: ExpertAssignment) -> ExpertAssignment:
    return (ExpertAssignment.objects.select_for_update(of=("self",))
            .select_related("expert__user", "alliance").get(pk=assignment.pk))


def respond_to_assignment(assignment: ExpertAssignment, *, accept: bool, reason: str = "", by) -> ExpertAssignment:
    """The assigned expert accepts or declines (with a reason). Precondition: the invitation is unanswered."""
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require(by is not None and locked.expert.user_id == by.pk, _("This is not your assignment."))
        target = ExpertAssignment.Status.ACCEPTED if accept else ExpertAssignment.Status.DECLINED
        if locked.status == target:
            return locked
        if locked.status != ExpertAssignment.Status.INVITED or locked.alliance.state != State.EXPERT_REVIEW:
            raise IllegalTransition(_("This assignment is “%(status)s”; it can no longer be answered.")
                                    % {"status": locked.get_status_display()})
        if not accept and not reason.strip():
            raise WorkflowError(_("Please give a reason for declining."))
        locked.status = target
        locked.responded_at = timezone.now()
        locked.decline_reason = "" if accept else reason.strip()
        locked.save(update_fields=["status", "responded_at", "decline_reason"])
        audit.record("expert_" + target, user=by, obj=locked, alliance=locked.alliance_id, reason=locked.decline_reason)
        if not accept:
            transaction.on_commit(lambda: _notify_officers_declined(locked))
    return locked


def _notify_officers_declined(assignment: ExpertAssignment) -> None:
    notify(selectors.bureau_officers(), kind="expert_declined",
           title=_("%(expert)s declined to review %(alliance)s")
           % {"expert": assignment.expert, "alliance": assignment.alliance.name},
           body=assignment.decline_reason, url=selectors.review_url(assignment.alliance))


def withdraw_assignment(assignment: ExpertAssignment, *, by) -> ExpertAssignment:
    """The bureau withdraws an assignment that is still unanswered or unscored."""
    require(by, "reviews.review_application", system_may=True)
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        if locked.status == ExpertAssignment.Status.WITHDRAWN:
            return locked
        if locked.status not in ExpertAssignment.OPEN:
            raise IllegalTransition(_("A %(status)s assignment cannot be withdrawn.")
                                    % {"status": locked.get_status_display()})
        locked.status = ExpertAssignment.Status.WITHDRAWN
        locked.save(update_fields=["status"])
        audit.record("withdraw_assignment", user=by, obj=locked, alliance=locked.alliance_id)
    return locked


def replace_assignment(assignment: ExpertAssignment, *, expert: ExpertProfile, due_date: date,
                       by) -> ExpertAssignment:
    """Replace a declined or overdue assignment with another expert (the old one is withdrawn if open)."""
    require(by, "reviews.review_application", system_may=True)
    with transaction.atomic():
        old = _lock_assignment(assignment)
        if hasattr(old, "replaced_by"):
            raise IllegalTransition(_("This assignment has already been replaced by %(expert)s.")
                                    % {"expert": old.replaced_by.expert})
        if not (old.status == ExpertAssignment.Status.DECLINED or old.is_overdue()
                or old.status == ExpertAssignment.Status.WITHDRAWN):
            raise WorkflowError(_("Only a declined, withdrawn or overdue assignment can be replaced."))
        if old.is_open:
            old.status = ExpertAssignment.Status.WITHDRAWN
            old.save(update_fields=["status"])
        [new] = assign_experts(old.alliance, experts=[expert], due_date=due_date, by=by)
        new.replaces = old
        new.save(update_fields=["replaces"])
        audit.record("replace_assignment", user=by, obj=new, replaces=old.pk)
    return new


# --- Scorecards -------------------------------------------------------------------------------------


def _lock_call_of(assignment: ExpertAssignment) -> None:
    """Lock the row of the call of the assignment's application, if it has one.

    The first submitted score locks the call's scorecard (``calls.selectors.scorecard_locked``), and
    ``calls.services.update_criteria`` checks that on the locked call row: holding the same row lock here
    makes a scorecard edit and a first score wait for each other instead of both succeeding. The call is
    locked first, before the assignment, as ``recommendations.services.recommend`` locks it before the
    alliance: no path locks a call while holding an alliance, assignment or scorecard row.
    """
    list(Call.objects.select_for_update(of=("self",)).filter(applications=assignment.alliance_id)
         .values_list("pk", flat=True))


def save_scorecard(assignment: ExpertAssignment, *, scores: dict[int, tuple[Decimal, str]], comments: str,
                   recommendation: str, submit: bool, by) -> Scorecard:
    """Save (and, with ``submit``, finalise) the expert's scorecard. Precondition: the expert accepted.

    ``scores`` maps criterion id to (score, remark); a submitted scorecard needs every active
    criterion, a recommendation and comments, and can never change again.
    """
    with transaction.atomic():
        if submit:
            _lock_call_of(assignment)
        locked = _lock_assignment(assignment)
        _require(by is not None and locked.expert.user_id == by.pk, _("This is not your assignment."))
        card = Scorecard.objects.select_for_update().filter(assignment=locked).first()
        if locked.status == ExpertAssignment.Status.SUBMITTED or (card and card.is_final):
            raise IllegalTransition(_("Your scores were submitted and are final."))
        if locked.status != ExpertAssignment.Status.ACCEPTED:
            raise IllegalTransition(_("Accept the assignment before scoring."))
        if locked.alliance.state != State.EXPERT_REVIEW:
            raise IllegalTransition(_("The application is no longer in expert review."))
        criteria = {c.pk: c for c in selectors.criteria_for(locked.alliance)}
        problems = []
        for pk, (score, _remark) in scores.items():
            criterion = criteria.get(int(pk))
            if criterion is None:
                problems.append(_("Unknown criterion."))
            elif score is not None and not (0 <= score <= criterion.max_score):
                problems.append(_("“%(criterion)s” is scored from 0 to %(max)d.")
                                % {"criterion": criterion.label, "max": criterion.max_score})
        if submit:
            missing = [c.label for pk, c in criteria.items() if scores.get(pk, (None, ""))[0] is None]
            if missing:
                problems.append(_("Score every criterion before submitting: %(criteria)s.")
                                % {"criteria": "、".join(missing)})
            if recommendation not in Scorecard.Recommendation.values:
                problems.append(_("Choose a recommendation before submitting."))
            if not comments.strip():
                problems.append(_("Write your comments before submitting."))
        if problems:
            raise WorkflowError(" ".join(problems))
        now = timezone.now()
        card = card or Scorecard(assignment=locked)
        card.comments = comments.strip()
        card.recommendation = recommendation if recommendation in Scorecard.Recommendation.values else ""
        card.updated_at = now
        card.save()
        CriterionScore.objects.filter(scorecard=card).delete()
        CriterionScore.objects.bulk_create(
            CriterionScore(scorecard=card, criterion=criteria[int(pk)], score=score, comment=(remark or "").strip(),
                           weight=criteria[int(pk)].weight, max_score=criteria[int(pk)].max_score)
            for pk, (score, remark) in scores.items() if score is not None
        )
        if submit:
            card.weighted_total = weighted_total(card.scores.all())
            card.submitted_at = now
            card.save(update_fields=["weighted_total", "submitted_at"])
            locked.status = ExpertAssignment.Status.SUBMITTED
            locked.save(update_fields=["status"])
            audit.record("scorecard_submitted", user=by, obj=locked, alliance=locked.alliance_id,
                         total=str(card.weighted_total), recommendation=card.recommendation)
    return card


def weighted_total(scores) -> Decimal:
    """Σ score / maximum × weight, scaled so that full marks on every criterion make 100."""
    scores = list(scores)
    weights = sum((s.weight for s in scores), Decimal(0))
    if not weights:
        return Decimal("0.00")
    total = sum((s.score / s.max_score * s.weight for s in scores), Decimal(0)) * 100 / weights
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Joint review -----------------------------------------------------------------------------------


def record_opinion(alliance: Alliance, *, opinion: str, remarks: str = "", by) -> JointReviewOpinion:
    """A department reviewer records (or revises, until the notice starts) their department's opinion.

    When the opinions meet the configured outcome rule, the application goes to public notice at once.
    """
    membership = (DepartmentMembership.objects.select_related("department").filter(user=by).first()
                  if by is not None else None)
    _require(by is not None and by.has_role(Role.DEPARTMENT_REVIEWER) and membership is not None,
             _("Only a department reviewer linked to a department may give an opinion."))
    department = membership.department
    _require(department.joins_joint_review and department.is_active,
             _("%(department)s does not take part in joint review.") % {"department": department.label})
    if opinion not in JointReviewOpinion.Opinion.values:
        raise WorkflowError(_("Choose agree or disagree."))
    if opinion == JointReviewOpinion.Opinion.DISAGREE and not remarks.strip():
        raise WorkflowError(_("Please explain why your department disagrees."))
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        if locked.state != State.JOINT_REVIEW:
            raise IllegalTransition(_("Opinions can only be given while the application is in joint review."))
        row, created = JointReviewOpinion.objects.update_or_create(
            alliance=locked, version=locked.current_version, department=department,
            defaults={"opinion": opinion, "remarks": remarks.strip(), "given_by": by, "given_at": timezone.now()},
        )
        audit.record("joint_review_opinion", user=by, obj=locked, department=department.code, opinion=opinion,
                     revised=not created)
        if locked.call_id is None and selectors.joint_review_outcome(locked).agreed:
            # Agreement under the configured rule moves the application to public notice by itself; an
            # application of a call waits for its call's batch (reviews.batches).
            transition(locked, action="start_public_notice", by=SYSTEM,
                       comment=_("The departments agreed in joint review."))
    alliance.state = locked.state
    return row


# --- Public notice and objections -------------------------------------------------------------------


def submit_objection(notice: PublicNotice, *, name: str, phone: str, text: str, organisation_name: str = "",
                     email: str = "", ip_address: str | None = None) -> Objection:
    """Anyone may object while the notice runs; the objection waits for an officer."""
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().select_related("alliance").get(pk=notice.pk)
        if not locked.is_running():
            raise WorkflowError(_("This public notice is closed; objections are no longer accepted."))
        objection = Objection.objects.create(
            notice=locked, name=name.strip(), phone=phone.strip(), text=text.strip(),
            organisation_name=organisation_name.strip(), email=email.strip(), ip_address=ip_address,
        )
        audit.record("objection_submitted", obj=objection, ip_address=ip_address, alliance=locked.alliance_id)
        transaction.on_commit(lambda: _notify_objection(objection))
    return objection


def _notify_objection(objection: Objection) -> None:
    alliance = objection.notice.alliance
    notify(selectors.bureau_officers(), kind="objection", url=selectors.review_url(alliance) + "#objections",
           title=_("Objection to the public notice of %(alliance)s") % {"alliance": alliance.name})


def resolve_objection(objection: Objection, *, status: str, resolution: str, by) -> Objection:
    """An officer upholds or dismisses an objection, in writing."""
    require(by, "reviews.review_application", system_may=True)
    if status not in (Objection.Status.UPHELD, Objection.Status.DISMISSED):
        raise WorkflowError(_("Choose whether the objection is upheld or dismissed."))
    if not resolution.strip():
        raise WorkflowError(_("Write down how the objection was resolved."))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != Objection.Status.OPEN:
            if locked.status == status:
                return locked
            raise IllegalTransition(_("This objection was already resolved."))
        locked.status = status
        locked.resolution = resolution.strip()
        locked.resolved_by = by
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit.record("objection_resolved", user=by, obj=locked, status=status)
    return locked


# --- Designation ------------------------------------------------------------------------------------


def grant_pilot(alliance: Alliance, *, by, comment: str = "") -> Designation:
    """Designate the alliance a pilot unit once the public notice is over and every objection resolved."""
    transition(alliance, action="grant_pilot", by=by, comment=comment)
    return Designation.objects.get(alliance=alliance, level=Designation.Level.PILOT, revoked_at__isnull=True)


def designate(alliance: Alliance, *, level: str, by) -> Designation:
    """Give the alliance a designation of ``level`` with the next certificate number of the year.

    Returns the standing designation of that level if there already is one. Numbers are consecutive
    per year without gaps or duplicates under concurrency: the year's counter row is locked while the
    number is taken (after the alliance row, always in that order), and ``(year, sequence)`` and the
    certificate number are unique in the database.
    """
    require(by, "reviews.review_application", system_may=True)
    level = Designation.Level(level)
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        existing = Designation.objects.filter(alliance=locked, level=level, revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        now = timezone.now()
        year = timezone.localtime(now).year
        CertificateCounter.objects.bulk_create([CertificateCounter(year=year)], ignore_conflicts=True)
        counter = CertificateCounter.objects.select_for_update().get(year=year)
        counter.last_sequence += 1
        counter.save(update_fields=["last_sequence"])
        try:
            with transaction.atomic():
                designation = Designation.objects.create(
                    alliance=locked, level=level, year=year, sequence=counter.last_sequence,
                    certificate_number=Designation.format_number(year, counter.last_sequence),
                    designated_at=now, designated_by=by,
                )
        except IntegrityError as clash:  # only a hand-edited counter can get here
            raise WorkflowError(_("The certificate number could not be allocated; please try again.")) from clash
        audit.record("designate", user=by, obj=locked, level=level, certificate=designation.certificate_number)
        documents.issue_certificate(designation, by=by)  # rendered after commit
    return designation


def revoke_designations(alliance: Alliance, *, reason: str, by) -> int:
    """Mark the alliance's standing designations revoked (the ``revoke`` transition does this itself)."""
    require(by, "reviews.review_application", system_may=True)
    with transaction.atomic():
        now = timezone.now()
        standing = list(Designation.objects.filter(alliance=alliance, revoked_at__isnull=True)
                        .values_list("pk", flat=True))
        count = Designation.objects.filter(pk__in=standing).update(revoked_at=now, revoke_reason=reason)
        documents.revoke_certificates(standing, at=now, reason=reason, by=by)
        audit.record("revoke_designations", user=by, obj=alliance, count=count, reason=reason)
    return count


def assign_supervision(alliance: Alliance, *, liaison_officer, department: Department | None, by) -> Supervision:
    """Name the liaison officer (科技联络员) and responsible department (责任单位) of an alliance."""
    require(by, "reviews.review_application", system_may=True)
    if liaison_officer is not None and not liaison_officer.has_role(Role.LIAISON):
        raise WorkflowError(_("%(user)s is not a liaison officer.") % {"user": liaison_officer})
    with transaction.atomic():
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        row, _created = Supervision.objects.update_or_create(
            alliance=locked,
            defaults={"liaison_officer": liaison_officer, "responsible_department": department, "assigned_by": by,
                      "assigned_at": timezone.now()},
        )
        audit.record("assign_supervision", user=by, obj=locked,
                     liaison=liaison_officer.pk if liaison_officer else None,
                     department=department.code if department else None)
        if liaison_officer is not None:
            transaction.on_commit(lambda: _notify_liaison(locked, liaison_officer))
    return row


def _notify_liaison(alliance: Alliance, user) -> None:
    notify([user], kind="liaison_assigned", url=selectors.review_url(alliance),
           title=_("You are the liaison officer of %(alliance)s") % {"alliance": alliance.name})

