"""Every change to an alliance application goes through these functions.

Each takes keyword arguments and plain objects (never a request), checks permission and state on
the locked row, saves with ``update_fields``, writes an audit event and notifies after commit.
Refusals raise the domain errors of ``alliances.errors``; views show their ``message``.
Submission hands over to ``alliances.transitions.transition``, which owns every state change.
"""

from collections.abc import Iterable
from contextlib import contextmanager

import rules
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from accounts.models import AuditEvent, User
from accounts.roles import Role
from alliance_portal.core.errors import NotEligible, NotPermitted
from alliances.transitions import transition
from alliances.workflow import State
from calls.services import check_call_accepts
from notifications.services import notify

from . import credit_code, eligibility, tally, versions
from .errors import InvitationError, NotEditable
from .models import (
    Alliance,
    AllianceAgreement,
    ApplicationVersion,
    GovernanceMember,
    Membership,
    Organisation,
    PlannedInvestment,
    WorkPlan,
    YearlyTarget,
)
from .uploads import PdfInfo, inspect_pdf

BASIC_FIELDS = (
    "name", "sector", "technical_direction", "output_targets", "secretariat_contact", "secretariat_phone",
    "secretariat_email", "secretariat_address",
)


# --- helpers -------------------------------------------------------------------------------------

@contextmanager
def _refusals_audited(action: str, *, by, obj):
    """Record a refusal in the audit trail after the transaction that refused has rolled back."""
    try:
        yield
    except (NotPermitted, NotEditable) as refusal:
        audit.record(action, user=by, obj=obj, outcome=AuditEvent.Outcome.REFUSED, reason=refusal.message)
        raise


def _lock_for_edit(alliance: Alliance, *, by) -> Alliance:
    """Lock the alliance row and check that ``by`` may edit it now. Call inside ``transaction.atomic``."""
    locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if not (by.has_role(Role.MEMBER) and by.organisation_id and by.organisation_id == locked.chairman_id):
        raise NotPermitted(_("Only users of the chairman unit may change this application."))
    if not rules.has_perm("alliances.edit_application", by, locked):
        raise NotEditable(
            _("This application is “%(state)s”: it can be changed only while it is a draft or after the bureau "
              "returns it for revision.") % {"state": locked.get_state_display()})
    return locked


def _touch(alliance: Alliance) -> None:
    """Mark the application as changed (lists sort by it) without a history row of its own."""
    Alliance.objects.filter(pk=alliance.pk).update(updated_at=timezone.now())


def _users_of(organisation_id) -> Iterable[User]:
    return User.objects.filter(organisation_id=organisation_id, is_active=True)


def _notify_on_commit(organisation_id, *, kind, title, url, body=""):
    def send():
        notify(_users_of(organisation_id), kind=kind, title=title, body=body, url=url)

    transaction.on_commit(send)


# --- creating and basic information -------------------------------------------------------------

def create_alliance(*, by, name: str, sector, call=None, **basic) -> Alliance:
    """Create a draft application chaired by ``by``'s organisation; its chairman membership is confirmed.

    ``call``: the open call (申报批次) it answers, which must cover ``sector``.
    """
    if not (rules.has_perm("alliances.create_alliance", by) and by.organisation_id):
        raise NotPermitted(_("Only users of a registered member unit may create an alliance application."))
    if call is not None:
        check_call_accepts(call, sector)
    unknown = set(basic) - set(BASIC_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    organisation = by.organisation
    now = timezone.now()
    with transaction.atomic():
        alliance = Alliance.objects.create(name=name, sector=sector, chairman=organisation, created_by=by, call=call,
                                           **basic)
        with tally.kept(Organisation.objects.filter(pk=organisation.pk)):
            Membership.objects.create(
                alliance=alliance, organisation=organisation, role=Membership.Role.CHAIRMAN,
                is_core=organisation.kind == Organisation.Kind.ENTERPRISE, status=Membership.Status.CONFIRMED,
                invited_by=by, invited_at=now, responded_by=by, responded_at=now,
            )
        WorkPlan.objects.create(alliance=alliance)
        audit.record("alliance_created", user=by, obj=alliance, name=name)
    return alliance


def update_basic_info(alliance: Alliance, *, by, changes: dict) -> Alliance:
    """Change basic information and secretariat fields (any subset of ``BASIC_FIELDS``)."""
    unknown = set(changes) - set(BASIC_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with _refusals_audited("alliance_updated", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, changes[name])
        # a new sector moves the confirmed members' counts from one sector to another
        with tally.kept(Organisation.objects.filter(memberships__alliance=locked)):
            locked.save(update_fields=[*changed, "updated_at"])
        audit.record("alliance_updated", user=by, obj=locked, section="basic", fields=changed)
    for name in changed:
        setattr(alliance, name, changes[name])
    return locked


# --- member units and consent --------------------------------------------------------------------

def find_organisation(code: str) -> Organisation:
    """The registered organisation with this credit code, or ``InvitationError`` saying why not."""
    code = credit_code.normalise(code)
    found = credit_code.problems(code)
    if found:
        raise InvitationError(" ".join(found))
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        raise InvitationError(
            _("No organisation with the unified social credit code %(code)s is registered in the portal. "
              "Ask it to sign up first; it can be invited once registered.") % {"code": code})
    if organisation.verification == Organisation.Verification.REJECTED:
        raise InvitationError(_("The bureau rejected the registration of “%(name)s”; it cannot be invited.")
                              % {"name": organisation.name})
    return organisation


def _check_role(organisation: Organisation, role: str, is_core: bool) -> None:
    if role == Membership.Role.CHAIRMAN:
        raise InvitationError(_("An alliance has one chairman unit: the organisation that applies."))
    if is_core and organisation.kind != Organisation.Kind.ENTERPRISE:
        raise InvitationError(_("Only enterprises can be core enterprises; “%(name)s” is a %(kind)s.")
                              % {"name": organisation.name, "kind": organisation.get_kind_display()})


def invite_member(alliance: Alliance, *, by, credit_code: str, role: str = Membership.Role.MEMBER,
                  is_core: bool = False) -> Membership:
    """Invite the organisation with ``credit_code``; it becomes a member only when it confirms."""
    organisation = find_organisation(credit_code)
    with _refusals_audited("member_invited", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        if organisation.pk == locked.chairman_id:
            raise InvitationError(_("Your organisation is the chairman unit of this alliance already."))
        _check_role(organisation, role, is_core)
        membership = Membership.objects.select_for_update().filter(alliance=locked, organisation=organisation).first()
        now = timezone.now()
        if membership is None:
            membership = Membership.objects.create(
                alliance=locked, organisation=organisation, role=role, is_core=is_core,
                status=Membership.Status.INVITED, invited_by=by, invited_at=now,
            )
        elif membership.status == Membership.Status.INVITED:
            raise InvitationError(_("“%(name)s” has been invited already and has not answered yet.")
                                  % {"name": organisation.name})
        elif membership.status == Membership.Status.CONFIRMED:
            raise InvitationError(_("“%(name)s” is a confirmed member already.") % {"name": organisation.name})
        else:  # declined or left: ask again, with a fresh consent
            membership.role, membership.is_core, membership.status = role, is_core, Membership.Status.INVITED
            membership.invited_by, membership.invited_at = by, now
            membership.responded_by = membership.responded_at = membership.left_at = None
            membership.save(update_fields=["role", "is_core", "status", "invited_by", "invited_at", "responded_by",
                                           "responded_at", "left_at"])
        _touch(locked)
        audit.record("member_invited", user=by, obj=locked, organisation=organisation.pk, role=role,
                     is_core=is_core)
        _notify_on_commit(
            organisation.pk, kind="alliance_invitation", url=reverse("alliances:invitations"),
            title=_("%(chairman)s invites your organisation to join “%(alliance)s”")
            % {"chairman": locked.chairman.name, "alliance": locked.name},
        )
    return membership


def _lock_membership(locked: Alliance, membership_id) -> Membership:
    membership = (
        Membership.objects.select_for_update().select_related("organisation")
        .filter(alliance=locked, pk=membership_id).first()
    )
    if membership is None:
        raise InvitationError(_("This member unit is no longer part of the application: reload the page."))
    if membership.role == Membership.Role.CHAIRMAN:
        raise InvitationError(_("The chairman unit cannot be removed or changed here."))
    return membership


def update_membership(alliance: Alliance, *, by, membership_id: int, role: str, is_core: bool) -> Membership:
    """Change a member unit's role or core-enterprise flag."""
    with _refusals_audited("member_updated", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        membership = _lock_membership(locked, membership_id)
        _check_role(membership.organisation, role, is_core)
        if (membership.role, membership.is_core) == (role, is_core):
            return membership
        membership.role, membership.is_core = role, is_core
        with tally.kept(Organisation.objects.filter(pk=membership.organisation_id)):
            membership.save(update_fields=["role", "is_core"])
        _touch(locked)
        audit.record("member_updated", user=by, obj=locked, organisation=membership.organisation_id, role=role,
                     is_core=is_core)
    return membership


def withdraw_invitation(alliance: Alliance, *, by, membership_id: int) -> None:
    """Withdraw an unanswered (or declined) invitation; a confirmed member is removed instead."""
    with _refusals_audited("invitation_withdrawn", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        membership = _lock_membership(locked, membership_id)
        if membership.status == Membership.Status.CONFIRMED:
            raise InvitationError(_("“%(name)s” has confirmed its membership; remove it instead.")
                                  % {"name": membership.organisation.name})
        if membership.status == Membership.Status.LEFT:
            return
        organisation_id = membership.organisation_id
        membership.delete()
        _touch(locked)
        audit.record("invitation_withdrawn", user=by, obj=locked, organisation=organisation_id)


def remove_member(alliance: Alliance, *, by, membership_id: int) -> Membership | None:
    """Take a member unit off the application: invitations are withdrawn, confirmed members leave."""
    with _refusals_audited("member_removed", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        membership = _lock_membership(locked, membership_id)
        if membership.status in (Membership.Status.INVITED, Membership.Status.DECLINED):
            withdraw_invitation(locked, by=by, membership_id=membership_id)
            return None
        if membership.status == Membership.Status.LEFT:
            return membership
        membership.status, membership.left_at = Membership.Status.LEFT, timezone.now()
        with tally.kept(Organisation.objects.filter(pk=membership.organisation_id)):
            membership.save(update_fields=["status", "left_at"])
        _touch(locked)
        audit.record("member_removed", user=by, obj=locked, organisation=membership.organisation_id)
        _notify_on_commit(
            membership.organisation_id, kind="alliance_membership_ended", url=reverse("alliances:invitations"),
            title=_("“%(alliance)s” no longer lists your organisation as a member unit") % {"alliance": locked.name},
        )
    return membership


def respond_to_invitation(membership: Membership, *, by, accept: bool) -> Membership:
    """The invited organisation confirms or declines. Only its own users may answer; a repeat is a no-op."""
    target = Membership.Status.CONFIRMED if accept else Membership.Status.DECLINED
    action = "invitation_confirmed" if accept else "invitation_declined"
    with _refusals_audited(action, by=by, obj=membership.alliance), transaction.atomic():
        # Lock order alliance → membership, the same as submission, so a submission sees a settled answer.
        locked_alliance = Alliance.objects.select_for_update().filter(pk=membership.alliance_id).first()
        locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if locked_alliance is None or locked is None:
            raise InvitationError(_("This invitation has been withdrawn."))
        if not (by.has_role(Role.MEMBER) and by.organisation_id == locked.organisation_id):
            raise NotPermitted(_("Only users of the invited organisation may answer this invitation."))
        if locked.status == target:
            return locked
        if locked.status != Membership.Status.INVITED:
            raise InvitationError(_("This invitation was answered already (%(status)s).")
                                  % {"status": locked.get_status_display()})
        locked.status, locked.responded_by, locked.responded_at = target, by, timezone.now()
        with tally.kept(Organisation.objects.filter(pk=locked.organisation_id)):
            locked.save(update_fields=["status", "responded_by", "responded_at"])
        audit.record(action, user=by, obj=locked_alliance, organisation=locked.organisation_id)
        organisation_name = by.organisation.name
        title = (_("%(organisation)s confirmed its membership of “%(alliance)s”") if accept
                 else _("%(organisation)s declined to join “%(alliance)s”"))
        _notify_on_commit(
            locked_alliance.chairman_id, kind=action,
            url=reverse("alliances:step", args=[locked_alliance.pk, 2]),
            title=title % {"organisation": organisation_name, "alliance": locked_alliance.name},
        )
    membership.status, membership.responded_by, membership.responded_at = (
        locked.status, locked.responded_by, locked.responded_at)
    return locked


# --- governance, agreement, work plan ------------------------------------------------------------

GOVERNANCE_FIELDS = ("body", "person_name", "position", "title", "organisation_name")


def update_governance(alliance: Alliance, *, by, standing_body: str | None = None,
                      members: list[dict] | None = None) -> None:
    """Set the standing body and, when ``members`` is given, replace the council and expert committee."""
    with _refusals_audited("governance_updated", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        if standing_body is not None and locked.standing_body != standing_body:
            locked.standing_body = standing_body
            locked.save(update_fields=["standing_body", "updated_at"])
        if members is not None:
            GovernanceMember.objects.filter(alliance=locked).delete()
            GovernanceMember.objects.bulk_create(
                GovernanceMember(alliance=locked, **{name: row.get(name, "") for name in GOVERNANCE_FIELDS})
                for row in members
            )
        _touch(locked)
        audit.record("governance_updated", user=by, obj=locked, standing_body=standing_body is not None,
                     members=None if members is None else len(members))
    if standing_body is not None:
        alliance.standing_body = standing_body


def upload_agreement(alliance: Alliance, *, by, file, info: PdfInfo | None = None) -> AllianceAgreement:
    """Store a new signed agreement (PDF, checked by content). Earlier uploads stay for the versions."""
    info = info or inspect_pdf(file)  # raises ValidationError with the reason
    stored = None
    try:
        with _refusals_audited("agreement_uploaded", by=by, obj=alliance), transaction.atomic():
            locked = _lock_for_edit(alliance, by=by)
            agreement = AllianceAgreement(
                alliance=locked, original_name=(getattr(file, "name", "") or "agreement.pdf")[-255:],
                size=info.size, sha256=info.sha256, pages=info.pages, uploaded_by=by,
            )
            file.seek(0)
            agreement.file.save("agreement.pdf", file, save=False)  # agreement_upload_path names it
            stored = agreement.file.name
            agreement.save()
            _touch(locked)
            audit.record("agreement_uploaded", user=by, obj=locked, agreement=agreement.pk, sha256=info.sha256,
                         size=info.size, pages=info.pages)
    except Exception:
        if stored:  # the row was rolled back: do not leave its file behind
            default_storage.delete(stored)
        raise
    return agreement


def update_work_plan(alliance: Alliance, *, by, fields: dict | None = None, targets: list[dict] | None = None,
                     investments: list[dict] | None = None) -> WorkPlan:
    """Change the work plan's texts and, when given, replace its yearly targets and planned investment."""
    fields = fields or {}
    unknown = set(fields) - set(WorkPlan.TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with _refusals_audited("work_plan_updated", by=by, obj=alliance), transaction.atomic():
        locked = _lock_for_edit(alliance, by=by)
        plan, _created = WorkPlan.objects.select_for_update().get_or_create(alliance=locked)
        changed = [name for name, value in fields.items() if getattr(plan, name) != value]
        for name in changed:
            setattr(plan, name, fields[name])
        if changed:
            plan.save(update_fields=changed)
        if targets is not None:
            YearlyTarget.objects.filter(work_plan=plan).delete()
            YearlyTarget.objects.bulk_create(
                YearlyTarget(work_plan=plan, year=row["year"], indicator=row["indicator"],
                             target_value=row["target_value"], unit=row["unit"])
                for row in targets
            )
        if investments is not None:
            PlannedInvestment.objects.filter(work_plan=plan).delete()
            PlannedInvestment.objects.bulk_create(
                PlannedInvestment(work_plan=plan, year=row["year"], source=row["source"], amount=row["amount"])
                for row in investments
            )
        _touch(locked)
        audit.record("work_plan_updated", user=by, obj=locked, fields=changed,
                     targets=None if targets is None else len(targets),
                     investments=None if investments is None else len(investments))
    return plan


# --- submission --------------------------------------------------------------------------------

def submit_application(alliance: Alliance, *, by):
    """Submit (or resubmit after a return) when every eligibility check passes; freezes the next version.

    Raises ``NotEligible`` listing every failed check; nothing changes then. Returns the transition
    record, or None when the application had been submitted already (a second click).
    """
    action = "resubmit" if alliance.state == State.RETURNED else "submit"

    def freeze(locked: Alliance) -> None:
        # ``transition`` has checked the actor (a chairman-unit user) and the state. Here, under the
        # alliance lock, invitations answered meanwhile are settled (answering locks the alliance too).
        problems = eligibility.check(locked)
        if problems:
            raise NotEligible(
                ngettext("The application was not submitted: %(count)d check failed.",
                         "The application was not submitted: %(count)d checks failed.", len(problems))
                % {"count": len(problems)},
                problems,
            )
        number = locked.current_version + 1
        ApplicationVersion.objects.create(alliance=locked, number=number, snapshot=versions.snapshot(locked),
                                          submitted_by=by)
        locked.current_version = number

    return transition(alliance, action=action, by=by, before_save=freeze)
