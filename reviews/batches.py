"""Decisions in batch (第N批) on the applications of a call: 拟认定 → 公示 → 认定文件.

The officer stages a proposed outcome per application in joint review (``stage_outcome``), seen inside
the bureau and by the joint review only; one action releases the batch (``release_batch``): every
proposed application goes to public notice with the same dates and every other one is rejected with
its reason, and the applicants are told at once; after the notice and its objections, one action
designates the batch (``designate_batch``): consecutive certificate numbers in the batch's order and
one designation document. Every step locks the call's ``BatchDecision`` row, so they happen one after
the other; the application's state still changes only through ``alliances.transitions.transition``.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Count, DecimalField, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent
from accounts.rules import require
from alliance_portal.core.errors import IllegalTransition, WorkflowError
from alliances.models import Alliance
from alliances.selectors import possible_duplicates
from alliances.transitions import transition
from alliances.workflow import DESIGNATED, UNDER_REVIEW, State

from . import documents, selectors, services
from .models import (
    BatchDecision,
    Designation,
    DesignationDocumentCounter,
    JointReviewOpinion,
    Objection,
    PublicNotice,
    ReviewSettings,
    Scorecard,
    StagedOutcome,
)

Outcome = StagedOutcome.Outcome




def _lock_decision(call) -> BatchDecision:
    """The call's decision row, created if missing, locked until the end of the transaction."""
    BatchDecision.objects.bulk_create([BatchDecision(call=call)], ignore_conflicts=True)
    return BatchDecision.objects.select_for_update(of=("self",)).select_related("call").get(call=call)


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _datetime(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _names(alliances) -> str:
    return "、".join(a.name for a in alliances)


# --- Staged outcomes --------------------------------------------------------------------------------


def stage_outcome(alliance: Alliance, *, outcome: str, reason: str = "", position: int | None = None,
                  by) -> StagedOutcome:
    """Record or revise the proposed outcome of an application of a call in joint review, until release.

    A proposed pilot needs the departments' agreement; "not this time" needs a reason (the applicant
    reads it at release). Each change is an audit event (from → to, reason); the same values again are
    a repeat click and change nothing.
    """
    require(by, "reviews.review_application", system_may=True)
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise WorkflowError(_("Choose “proposed pilot” or “not this time”."))
    if outcome == Outcome.NOT_THIS_TIME and not reason:
        raise WorkflowError(_("Write down the reason for “not this time”: the applicant reads it when the batch "
                              "is released."))
    if alliance.call_id is None:
        raise WorkflowError(_("This application belongs to no call: it is decided on its own page."))
    outcome = Outcome(outcome).value
    try:
        with transaction.atomic():
            decision = _lock_decision(alliance.call)
            if decision.is_released:
                raise IllegalTransition(
                    _("The batch of “%(call)s” was released on %(date)s; its outcomes can no longer be changed.")
                    % {"call": decision.call.title, "date": _datetime(decision.released_at)})
            locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
            if locked.state != State.JOINT_REVIEW:
                raise IllegalTransition(
                    _("Outcomes are staged for applications in joint review; this one is “%(state)s”.")
                    % {"state": locked.get_state_display()})
            if outcome == Outcome.PROPOSED_PILOT:
                joint = selectors.joint_review_outcome(locked)
                if not joint.agreed:
                    raise WorkflowError(_("It cannot be proposed as a pilot: %(why)s") % {"why": joint.explanation})
                duplicates = possible_duplicates(locked)
                if duplicates and not reason:
                    raise WorkflowError(
                        _("This application may duplicate %(names)s (重复建设): write down why it is proposed all the "
                          "same.") % {"names": "、".join(d.alliance.name for d in duplicates)})
            current = StagedOutcome.objects.filter(alliance=locked).first()
            if current is not None and (current.outcome, current.reason) == (outcome, reason) and (
                    position is None or position == current.position):
                return current
            if position is None:
                position = current.position if current is not None else _next_position(locked.call_id)
            row, _created = StagedOutcome.objects.update_or_create(
                alliance=locked,
                defaults={"call_id": locked.call_id, "outcome": outcome, "reason": reason, "position": position,
                          "staged_by": by, "staged_at": timezone.now()},
            )
            audit.record("stage_outcome", user=by, obj=locked, call=locked.call_id,
                         source=current.outcome if current else "", target=outcome,
                         previous_reason=current.reason if current else "", reason=reason, position=position)
    except WorkflowError as refusal:
        audit.record("stage_outcome", user=by, obj=alliance, outcome=AuditEvent.Outcome.REFUSED, reason=refusal.message)
        raise
    return row


def _next_position(call_id) -> int:
    last = StagedOutcome.objects.filter(call_id=call_id).order_by("-position").values_list("position", flat=True)
    return (last.first() or 0) + 1


# --- Release ----------------------------------------------------------------------------------------


def release_blockers(call) -> list[str]:
    """Why the batch of ``call`` cannot be released now, in plain words (empty when it can). Five queries."""
    rows = list(Alliance.objects.filter(call=call, state__in=UNDER_REVIEW | {State.RETURNED})
                .select_related("staged_outcome").order_by("name", "pk"))
    returned = [a for a in rows if a.state == State.RETURNED]
    rows = [a for a in rows if a.state != State.RETURNED]
    early = [a for a in rows if a.state != State.JOINT_REVIEW]
    in_joint = [a for a in rows if a.state == State.JOINT_REVIEW]
    unstaged = [a for a in in_joint if _staged(a) is None]
    problems = []
    if call.is_open():
        problems.append(_("The call accepts applications until %(closes)s; release its batch after the window closes.")
                        % {"closes": _datetime(call.closes_at)})
    if returned:
        problems.append(_("Returned for revision and not resubmitted: %(names)s (wait for them or reject them).")
                        % {"names": _names(returned)})
    if early:
        problems.append(_("Not in joint review yet: %(names)s.") % {
            "names": "、".join(f"{a.name}（{a.get_state_display()}）" for a in early)})
    if unstaged:
        problems.append(_("No staged outcome yet: %(names)s.") % {"names": _names(unstaged)})
    proposed = [a for a in in_joint if (_staged(a) and _staged(a).outcome == Outcome.PROPOSED_PILOT)]
    outcomes = selectors.joint_review_outcomes(proposed)
    for alliance in proposed:
        if not outcomes[alliance.pk].agreed:
            problems.append(_("%(name)s is proposed, but %(why)s") % {
                "name": alliance.name, "why": outcomes[alliance.pk].explanation})
    if not in_joint and not early:
        problems.append(_("No application of this call is in joint review."))
    return problems


def _staged(alliance) -> StagedOutcome | None:
    try:
        return alliance.staged_outcome
    except StagedOutcome.DoesNotExist:
        return None


def release_batch(call, *, by) -> BatchDecision:
    """Release the batch: proposed applications to public notice (same dates), the others rejected.

    Precondition: every application of the call still under review is in joint review with a staged
    outcome. Each applicant is notified after commit with their own outcome and reason (through
    ``transition``). A second release returns the released decision unchanged.
    """
    require(by, "reviews.review_application", system_may=True)
    try:
        with transaction.atomic():
            decision = _lock_decision(call)
            if decision.is_released:
                return decision
            problems = release_blockers(call)
            if problems:
                raise WorkflowError(_("The batch cannot be released yet. %(problems)s")
                                    % {"problems": " ".join(problems)})
            config = ReviewSettings.current()
            now = timezone.now()
            starts_on = timezone.localdate(now) + timedelta(days=1)
            ends_on = services.notice_end(starts_on, config.notice_days, working_days=config.notice_working_days)
            decision.released_at, decision.released_by = now, by
            decision.notice_starts_on, decision.notice_ends_on = starts_on, ends_on
            decision.save(update_fields=["released_at", "released_by", "notice_starts_on", "notice_ends_on"])
            staged = list(StagedOutcome.objects.filter(call=call, alliance__state=State.JOINT_REVIEW)
                          .select_related("alliance").order_by("position", "alliance__name", "alliance_id"))
            batch_fact = services.decided_with_batch(call)
            dates = {"call": call.title, "starts": _date(starts_on),
                     "ends": _date(ends_on)}
            for row in staged:
                if row.outcome == Outcome.PROPOSED_PILOT:
                    comment = _("Proposed for designation as a pilot unit in “%(call)s”. Public notice from "
                                "%(starts)s to %(ends)s.") % dates
                    if row.reason:
                        comment = f"{comment}\n{row.reason}"
                    transition(row.alliance, action="start_public_notice", by=by, comment=comment,
                                        facts={batch_fact})
                else:
                    comment = _("Not designated in “%(call)s”: %(reason)s") % {"call": call.title,
                                                                                "reason": row.reason}
                    transition(row.alliance, action="reject", by=by, comment=comment, facts={batch_fact})
            proposed = [row.alliance_id for row in staged if row.outcome == Outcome.PROPOSED_PILOT]
            # One notice period for the whole batch, whatever the moment each notice was opened.
            PublicNotice.objects.filter(alliance__in=proposed, closed_at__isnull=True).update(
                starts_on=starts_on, ends_on=ends_on)
            audit.record("release_batch", user=by, obj=decision, call=call.pk, proposed=proposed,
                         not_this_time=[row.alliance_id for row in staged if row.outcome == Outcome.NOT_THIS_TIME],
                         notice=[starts_on.isoformat(), ends_on.isoformat()])
    except WorkflowError as refusal:
        audit.record("release_batch", user=by, obj=call, outcome=AuditEvent.Outcome.REFUSED, reason=refusal.message)
        raise
    return decision


# --- Designation ------------------------------------------------------------------------------------


def designation_order(call):
    """The released proposals of ``call`` still in public notice, in the batch's order (position, name, id)."""
    return (Alliance.objects.filter(call=call, state=State.PUBLIC_NOTICE,
                                    staged_outcome__outcome=Outcome.PROPOSED_PILOT)
            .select_related("sector", "chairman")
            .order_by("staged_outcome__position", "name", "pk"))


def designate_blockers(call, decision: BatchDecision | None = None, today=None) -> list[str]:
    """Why the batch of ``call`` cannot be designated now (empty when it can). Three queries."""
    today = today or timezone.localdate()
    if decision is None:
        decision = BatchDecision.objects.filter(call=call).first()
    if decision is None or not decision.is_released:
        return [_("The batch has not been released to public notice yet.")]
    if decision.is_designated:
        return [_("The batch was designated on %(date)s.") % {"date": _date(
            timezone.localdate(decision.designated_at))}]
    problems = []
    if today <= decision.notice_ends_on:
        problems.append(_("The public notice runs until %(date)s; designation is possible the day after.")
                        % {"date": _date(decision.notice_ends_on)})
    waiting = (Alliance.objects.filter(call=call, state=State.PUBLIC_NOTICE,
                                       public_notices__objections__status=Objection.Status.OPEN)
               .annotate(open_objections=Count("public_notices__objections")).order_by("name", "pk"))
    waiting = list(waiting)
    if waiting:
        problems.append(_("Objections not resolved yet: %(names)s.") % {
            "names": "、".join(f"{a.name}（{a.open_objections}）" for a in waiting)})
    if not designation_order(call).exists():
        problems.append(_("No proposed application of this batch is still in public notice."))
    return problems


def designate_batch(call, *, by) -> BatchDecision:
    """Designate the released batch: consecutive certificate numbers in the batch's order, one document.

    Precondition: the notice period is over and every objection resolved. A second call (a repeat click,
    a concurrent request) waits for the first and returns the same decision and document.
    """
    require(by, "reviews.review_application", system_may=True)
    try:
        with transaction.atomic():
            decision = _lock_decision(call)
            if decision.is_designated:
                return decision
            problems = designate_blockers(call, decision)
            if problems:
                raise WorkflowError(_("The batch cannot be designated yet. %(problems)s")
                                    % {"problems": " ".join(problems)})
            # Alliance rows first (in id order), then the certificate counter, as ``services.designate`` does;
            # the order is read again once they are locked (an applicant may have withdrawn meanwhile).
            list(Alliance.objects.select_for_update().filter(pk__in=designation_order(call).values("pk"))
                 .order_by("pk").values_list("pk", flat=True))
            order = list(designation_order(call))
            batch_fact = services.decided_with_batch(call)
            for alliance in order:
                transition(alliance, action="grant_pilot", by=by, facts={batch_fact})
            now = timezone.now()
            year = timezone.localtime(now).year
            DesignationDocumentCounter.objects.bulk_create([DesignationDocumentCounter(year=year)],
                                                           ignore_conflicts=True)
            counter = DesignationDocumentCounter.objects.select_for_update().get(year=year)
            counter.last_sequence += 1
            counter.save(update_fields=["last_sequence"])
            decision.designated_at, decision.designated_by = now, by
            decision.document_year, decision.document_sequence = year, counter.last_sequence
            decision.document_number = BatchDecision.format_document_number(year, counter.last_sequence)
            decision.save(update_fields=["designated_at", "designated_by", "document_year", "document_sequence",
                                         "document_number"])
            Designation.objects.filter(alliance__in=[a.pk for a in order], level=Designation.Level.PILOT,
                                       revoked_at__isnull=True).update(batch=decision)
            audit.record("designate_batch", user=by, obj=decision, call=call.pk, document=decision.document_number,
                         certificates=list(decision.designations.order_by("sequence")
                                           .values_list("certificate_number", flat=True)))
            documents.issue_designation_document(decision, by=by)  # rendered after commit
    except WorkflowError as refusal:
        audit.record("designate_batch", user=by, obj=call, outcome=AuditEvent.Outcome.REFUSED,
                     reason=refusal.message)
        raise
    return decision


# --- Read side: the batch page, the joint review's list, the public notice and the document ----------


@dataclass
class BatchView:
    call: object
    decision: BatchDecision | None
    rows: list
    release_blockers: list[str]
    designate_blockers: list[str]
    # Decided application by application, without a batch decision (calls decided before batches existed,
    # or imported): every application has its final outcome, nothing is left to release or designate.
    decided_one_by_one: bool = False

    @property
    def released(self) -> bool:
        return bool(self.decision and self.decision.is_released)

    @property
    def designated(self) -> bool:
        return bool(self.decision and self.decision.is_designated)


def _count(queryset, column):
    return Coalesce(Subquery(queryset.order_by().values(column).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


def slate(call):
    """The call's applications past the draft, each with its state, scores, opinions, staged outcome,
    notice and certificate, in the batch's order (staged first). One query."""
    cards = Scorecard.objects.filter(assignment__alliance=OuterRef("pk"), assignment__version=OuterRef("current_version"),
                                     submitted_at__isnull=False)
    opinions = JointReviewOpinion.objects.filter(alliance=OuterRef("pk"), version=OuterRef("current_version"))
    notice = PublicNotice.objects.filter(alliance=OuterRef("pk")).order_by("-published_at", "-pk")
    standing = Designation.objects.filter(alliance=OuterRef("pk"), level=Designation.Level.PILOT,
                                          revoked_at__isnull=True)
    return (
        Alliance.objects.filter(call=call).exclude(state=State.DRAFT)
        .select_related("sector", "chairman", "staged_outcome", "staged_outcome__staged_by")
        .annotate(
            scored=_count(cards, "assignment__alliance"),
            mean_total=Subquery(cards.order_by().values("assignment__alliance").annotate(m=Avg("weighted_total"))
                                .values("m")[:1], output_field=DecimalField(max_digits=6, decimal_places=2)),
            agreed=_count(opinions.filter(opinion=JointReviewOpinion.Opinion.AGREE), "alliance"),
            disagreed=_count(opinions.filter(opinion=JointReviewOpinion.Opinion.DISAGREE), "alliance"),
            notice_id=Subquery(notice.values("pk")[:1]),
            open_objections=_count(Objection.objects.filter(notice__alliance=OuterRef("pk"),
                                                            status=Objection.Status.OPEN), "notice__alliance"),
            designation_id=Subquery(standing.values("pk")[:1]),
            certificate_number=Subquery(standing.values("certificate_number")[:1]),
        )
        .order_by(F("staged_outcome__position").asc(nulls_last=True), "name", "pk")
    )


def batch_view(call) -> BatchView:
    """Everything the officer's batch page shows, in a fixed number of queries."""
    decision = BatchDecision.objects.select_related("released_by", "designated_by").filter(call=call).first()
    rows = list(slate(call))
    released = bool(decision and decision.is_released)
    one_by_one = decision is None and bool(rows) and not call.is_open() and not any(
        row.state in UNDER_REVIEW | {State.RETURNED} for row in rows)
    if one_by_one:
        return BatchView(call=call, decision=None, rows=rows, release_blockers=[], designate_blockers=[],
                         decided_one_by_one=True)
    return BatchView(call=call, decision=decision, rows=rows,
                     release_blockers=[] if released else release_blockers(call),
                     designate_blockers=designate_blockers(call, decision) if released else [])


def public_batch(call):
    """The released batch's proposed alliances (for the public notice page), or None before release."""
    decision = BatchDecision.objects.filter(call=call, released_at__isnull=False).first()
    if decision is None:
        return None
    notice = PublicNotice.objects.filter(alliance=OuterRef("pk")).order_by("-published_at", "-pk")
    alliances = (Alliance.objects.filter(call=call, staged_outcome__outcome=Outcome.PROPOSED_PILOT)
                 .filter(state__in={State.PUBLIC_NOTICE, *DESIGNATED})
                 .select_related("sector", "chairman")
                 .annotate(notice_id=Subquery(notice.values("pk")[:1]))
                 .order_by("staged_outcome__position", "name", "pk"))
    return decision, alliances


def designated_batch(call) -> BatchDecision | None:
    return (BatchDecision.objects.filter(call=call, designated_at__isnull=False)
            .select_related("call", "designated_by").first())


def document_entries(decision: BatchDecision):
    """The designations named by the document, in certificate-number order."""
    return decision.designations.select_related("alliance__sector", "alliance__chairman").order_by("sequence")
