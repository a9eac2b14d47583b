"""Every change to member units, their users and their verification goes through these functions.

Each takes keyword arguments and plain objects (never a request), checks permission and state,
locks the row it changes, returns early when nothing is to be done, audits, and notifies after commit.
"""

import unicodedata
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance_portal.outbox import services as outbox
from alliances import tally as member_tally
from alliances.models import Organisation, RDPlatform
from notifications.services import notify

from . import audit, selectors
from .errors import AccountsError, IllegalVerification, NotPermitted, RegistrationConflict
from .models import AuditEvent, User
from .roles import Role
from .tasks import send_colleague_invitation

Verification = Organisation.Verification

# What the organisation's own administrator may change; name and credit code only the bureau (admin site).
PROFILE_FIELDS = (
    "legal_representative", "address", "district", "contact_person", "phone", "email",
    "is_high_tech", "rd_staff", "rd_spending", "revenue",
)
ENTERPRISE_FIELDS = ("is_high_tech", "rd_staff", "rd_spending", "revenue")
REGISTRATION_FIELDS = ("name", "kind", "credit_code", *PROFILE_FIELDS)
PLATFORM_FIELDS = ("kind", "level", "name")

# (from, to) steps of verification the bureau may take.
VERIFICATION_STEPS = {
    (Verification.PENDING, Verification.VERIFIED),
    (Verification.PENDING, Verification.REJECTED),
    (Verification.REJECTED, Verification.VERIFIED),
}


def _enterprise_figures_only_for_enterprises(values: dict, kind: str) -> dict:
    """Enterprise figures mean nothing for a university or institute: they are stored blank."""
    if kind != Organisation.Kind.ENTERPRISE:
        values.update(is_high_tech=False, rd_staff=None, rd_spending=None, revenue=None)
    return values


def _notify_in_default_language(recipients, *, kind: str, title, body="", url=""):
    """Notifications are stored text read by many people: write them in the portal's language."""

    with translation.override(settings.LANGUAGE_CODE):
        notify(recipients, kind=kind, title=str(title), body=str(body), url=url)


# --- Registration ----------------------------------------------------------------------------------

def register_member_unit(*, organisation: Mapping, platforms: Iterable[Mapping], username: str, full_name: str,
                         email: str, phone: str, password: str) -> User:
    """Create a pending organisation, its R&D platforms and its first user (organisation admin).

    Precondition: the data passed form validation. Raises ``RegistrationConflict`` when the credit
    code or user name was taken meanwhile. Bureau officers are notified after commit.
    """
    unknown = set(organisation) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValueError(f"not registration fields: {sorted(unknown)}")
    values = _enterprise_figures_only_for_enterprises(dict(organisation), organisation["kind"])
    try:
        with transaction.atomic():
            unit = Organisation.objects.create(**values, verification=Verification.PENDING)
            RDPlatform.objects.bulk_create(
                RDPlatform(organisation=unit, **{name: platform.get(name, "") for name in PLATFORM_FIELDS})
                for platform in platforms
            )
            user = User.objects.create_user(
                username=username, email=email, password=password, full_name=full_name, phone=phone,
                organisation=unit, is_org_admin=True,
            )
            user.groups.add(Group.objects.get(name=Role.MEMBER.value))
            audit.record("organisation_registered", user=user, obj=unit, credit_code=unit.credit_code,
                         name=unit.name, kind=unit.kind)
            transaction.on_commit(lambda: _notify_registration(unit))
    except IntegrityError as clash:
        if Organisation.objects.filter(credit_code=organisation["credit_code"]).exists():
            raise RegistrationConflict(_credit_code_taken_message(), field="credit_code") from clash
        if User.objects.filter(username__iexact=username).exists():
            raise RegistrationConflict(_("This user name is taken: please choose another."),
                                       field="username") from clash
        if email_taken(email):
            raise RegistrationConflict(str(EMAIL_TAKEN), field="email") from clash
        raise
    return user


EMAIL_TAKEN = gettext_lazy("An account with this email address exists already. If it is yours, sign in or "
                           "reset its password; otherwise use another address.")


def email_taken(email: str, *, except_user: User | None = None) -> bool:
    """Whether another account uses ``email`` (compared ignoring case; blank is never taken)."""
    if not email:
        return False
    others = User.objects.filter(email__iexact=email)
    if except_user is not None and except_user.pk is not None:
        others = others.exclude(pk=except_user.pk)
    return others.exists()


def normalise_name(name: str) -> str:
    """Names compared as people read them: full- and half-width alike, spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(name)).split()).casefold()


def claimable(organisation: Organisation) -> bool:
    """An organisation the bureau imported (存量联盟) that has no user and no claim yet may be claimed."""
    return (organisation.imported_at is not None and organisation.claimed_by_id is None
            and not organisation.users.exists())


def claim_imported_organisation(organisation: Organisation, *, profile: Mapping, platforms: Iterable[Mapping],
                                username: str, full_name: str, email: str, phone: str, password: str) -> User:
    """Sign up as the first user (organisation admin) of an imported organisation without users.

    The user cannot sign in until the bureau verifies the claim: the organisation goes back to
    "awaiting verification" and the account stays inactive, so nothing of the organisation's alliances
    is visible before then. Blank profile fields are filled from ``profile``; nothing else changes.
    Raises ``RegistrationConflict`` when the organisation has users or a claim by now.
    """
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    try:
        with transaction.atomic():
            locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
            if not claimable(locked):
                raise RegistrationConflict(_credit_code_taken_message(), field="credit_code")
            values = _enterprise_figures_only_for_enterprises(dict(profile), locked.kind)
            filled = [name for name, value in values.items()
                      if value not in (None, "", False) and getattr(locked, name) in (None, "", False)]
            for name in filled:
                setattr(locked, name, values[name])
            user = User.objects.create_user(
                username=username, email=email, password=password, full_name=full_name, phone=phone,
                organisation=locked, is_org_admin=True, is_active=False,
            )
            user.groups.add(Group.objects.get(name=Role.MEMBER.value))
            source = locked.verification
            locked.verification = Verification.PENDING
            locked.claimed_by = user
            locked.save(update_fields=[*filled, "verification", "claimed_by"])
            if not locked.platforms.exists():
                RDPlatform.objects.bulk_create(
                    RDPlatform(organisation=locked, **{name: platform.get(name, "") for name in PLATFORM_FIELDS})
                    for platform in platforms
                )
            audit.record("organisation_claimed", user=user, obj=locked,
                         credit_code=locked.credit_code, source=source, target=Verification.PENDING, filled=filled)
            transaction.on_commit(lambda: _notify_claim(locked))
    except IntegrityError as clash:
        if User.objects.filter(username__iexact=username).exists():
            raise RegistrationConflict(_("This user name is taken: please choose another."),
                                       field="username") from clash
        if email_taken(email):
            raise RegistrationConflict(str(EMAIL_TAKEN), field="email") from clash
        raise
    return user


def _notify_claim(unit: Organisation) -> None:
    _notify_in_default_language(
        selectors.bureau_officers(), kind="organisation_claimed",
        title=_("Imported member unit claimed, awaits verification: %(name)s") % {"name": unit.name},
        body=_("Someone signed up as the first user of %(name)s (credit code %(code)s), which the bureau imported "
               "with its alliances. The account can sign in only once you verify the organisation: please check "
               "that the person works there.") % {"name": unit.name, "code": unit.credit_code},
        url=reverse("organisation_detail", args=[unit.pk]),
    )


def _credit_code_taken_message() -> str:
    return _("An organisation with this unified social credit code is already registered. If you work there, "
             "ask its administrator to add you as a colleague.")


def _notify_registration(unit: Organisation) -> None:
    _notify_in_default_language(
        selectors.bureau_officers(), kind="organisation_registered",
        title=_("New member unit awaits verification: %(name)s") % {"name": unit.name},
        body=_("Unified social credit code %(code)s. Please check the registration and verify or reject it.")
        % {"code": unit.credit_code},
        url=reverse("organisation_detail", args=[unit.pk]),
    )


# --- Verification by the bureau -------------------------------------------------------------------

def verify_organisation(organisation: Organisation, *, by: User, approve: bool, note: str = "") -> bool:
    """Verify (``approve=True``) or reject a registration. Pending → verified/rejected; rejected → verified.

    Returns False when the organisation already stood where it was asked to go (a second click).
    A rejection needs a reason, which the organisation's users read.
    """
    action = "organisation_verified" if approve else "organisation_rejected"
    target = Verification.VERIFIED if approve else Verification.REJECTED
    note = (note or "").strip()
    try:
        if not by.has_perm("accounts.verify_organisation"):
            raise NotPermitted(_("Only bureau officers may verify member units."))
        if not approve and not note:
            raise AccountsError(_("Give the reason for the rejection: the organisation will read it."),
                                field="note")
        with transaction.atomic():
            locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
            source = locked.verification
            if source == target:
                _copy_verification(locked, organisation)
                return False
            if (source, target) not in VERIFICATION_STEPS:
                raise IllegalVerification(
                    _("This member unit is “%(state)s”; it cannot be %(action)s now. Someone else may have acted "
                      "on it already: reload the page.")
                    % {"state": locked.get_verification_display(),
                       "action": _("verified") if approve else _("rejected")}
                )
            locked.verification = target
            locked.verification_note = note
            locked.verified_at = timezone.now()
            locked.verified_by = by
            locked.save(update_fields=["verification", "verification_note", "verified_at", "verified_by"])
            audit.record(action, user=by, obj=locked, source=source, target=target, note=note)
            if approve and source == Verification.PENDING and locked.claimed_by_id:
                _activate_claimant(locked, by=by)
            transaction.on_commit(lambda: _notify_verification(locked))
    except AccountsError as refusal:
        audit.record(action, user=by, obj=organisation, outcome=AuditEvent.Outcome.REFUSED, reason=refusal.message)
        raise
    _copy_verification(locked, organisation)
    return True


def _activate_claimant(organisation: Organisation, *, by: User) -> None:
    """Verifying a claimed imported organisation lets its claimant sign in (only a claimant never signed in)."""
    activated = User.objects.filter(pk=organisation.claimed_by_id, organisation=organisation, is_active=False,
                                    last_login__isnull=True).update(is_active=True)
    if activated:
        audit.record("organisation_claim_verified", user=by, obj=organisation, claimant=organisation.claimed_by_id)


def _copy_verification(source: Organisation, target: Organisation) -> None:
    for name in ("verification", "verification_note", "verified_at", "verified_by_id"):
        setattr(target, name, getattr(source, name))


def _notify_verification(unit: Organisation) -> None:
    if unit.verification == Verification.VERIFIED:
        title = _("Your organisation %(name)s has been verified") % {"name": unit.name}
        body = _("You can now submit applications.")
    else:
        title = _("The registration of %(name)s was rejected") % {"name": unit.name}
        body = _("Reason: %(note)s\nCorrect your organisation's profile; the bureau will then check it again.") % {
            "note": unit.verification_note}
    _notify_in_default_language(selectors.organisation_users(unit), kind=f"organisation_{unit.verification}",
                                title=title, body=body, url=reverse("organisation_profile"))


# --- The organisation's own profile ---------------------------------------------------------------

def _check_org_admin(by: User, organisation: Organisation) -> None:
    if not (by.has_perm("accounts.add_colleague") and by.organisation_id == organisation.pk):
        raise NotPermitted(_("Only your organisation's administrator may do this."))


def update_organisation_profile(organisation: Organisation, *, by: User, fields: Mapping,
                                platforms: Iterable[Mapping]) -> list[str]:
    """Change contact data, enterprise figures and R&D platforms of the admin's own organisation.

    ``platforms`` is the complete new list (dicts with ``kind``, ``level``, ``name`` and, for kept ones,
    ``id``). Returns the names of what changed. A rejected organisation that changes its profile goes
    back to the bureau (pending) and the officers are told.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    _check_org_admin(by, organisation)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        values = _enterprise_figures_only_for_enterprises(dict(fields), locked.kind)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        platform_changes = _sync_platforms(locked, platforms)
        if not changed and not platform_changes:
            return []
        resubmitted = locked.verification == Verification.REJECTED
        if resubmitted:
            locked.verification = Verification.PENDING
            changed_with_state = [*changed, "verification"]
        else:
            changed_with_state = changed
        if changed_with_state:
            # the dashboard counts member units by district and projects by their lead unit's district
            with member_tally.organisations_kept(Organisation.objects.filter(pk=locked.pk)):
                locked.save(update_fields=changed_with_state)
        audit.record("organisation_profile_changed", user=by, obj=locked, fields=changed, platforms=platform_changes)
        if resubmitted:
            audit.record("organisation_resubmitted", user=by, obj=locked, source=Verification.REJECTED,
                         target=Verification.PENDING)
            transaction.on_commit(lambda: _notify_registration(locked))
    for name in changed_with_state:
        setattr(organisation, name, getattr(locked, name))
    return changed + (["platforms"] if platform_changes else [])


def _sync_platforms(organisation: Organisation, platforms: Iterable[Mapping]) -> dict:
    """Make the organisation's platforms equal ``platforms``; returns counts of what was added/changed/removed."""
    existing = {p.pk: p for p in organisation.platforms.all()}
    kept, added, changed = set(), [], []
    for data in platforms:
        values = {name: data.get(name, "") for name in PLATFORM_FIELDS}
        current = existing.get(data.get("id"))
        if current is None:
            added.append(RDPlatform(organisation=organisation, **values))
            continue
        kept.add(current.pk)
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        RDPlatform.objects.filter(pk__in=removed).delete()
    if added:
        RDPlatform.objects.bulk_create(added)
    if changed:
        RDPlatform.objects.bulk_update(changed, PLATFORM_FIELDS)
    result = {"added": len(added), "changed": len(changed), "removed": len(removed)}
    return {key: count for key, count in result.items() if count}


# --- Colleagues --------------------------------------------------------------------------------------

def add_colleague(*, by: User, username: str, full_name: str, email: str, phone: str = "",
                  is_org_admin: bool = False, base_url: str) -> User:
    """Add a user to the admin's organisation. The new user has no password yet: after commit they are
    emailed a link (``base_url`` + a one-time token path) to set one."""
    if not by.has_perm("accounts.add_colleague"):
        raise NotPermitted(_("Only your organisation's administrator may add colleagues."))
    try:
        with transaction.atomic():
            colleague = User.objects.create_user(
                username=username, email=email, password=None, full_name=full_name, phone=phone,
                organisation_id=by.organisation_id, is_org_admin=is_org_admin,
            )
            colleague.groups.add(Group.objects.get(name=Role.MEMBER.value))
            audit.record("colleague_added", user=by, obj=colleague, username_added=colleague.username,
                         is_org_admin=is_org_admin)
            transaction.on_commit(lambda: _send_invitation(colleague.pk, base_url))
    except IntegrityError as clash:
        if email_taken(email) and not User.objects.filter(username__iexact=username).exists():
            raise RegistrationConflict(str(EMAIL_TAKEN), field="email") from clash
        raise RegistrationConflict(_("This user name is taken: please choose another."), field="username") from clash
    return colleague


def _send_invitation(user_id: int, base_url: str) -> None:
    outbox.enqueue(send_colleague_invitation, user_id=user_id, base_url=base_url)


def set_colleague_active(colleague: User, *, by: User, active: bool) -> bool:
    """Deactivate (or reactivate) a colleague of the admin's own organisation; nobody deactivates themself.

    Returns False when the colleague already was in that state.
    """
    if not (by.has_perm("accounts.add_colleague") and colleague.organisation_id == by.organisation_id):
        raise NotPermitted(_("Only your organisation's administrator may do this."))
    if colleague.pk == by.pk:
        raise AccountsError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=colleague.pk)
        if locked.is_active == active:
            colleague.is_active = active
            return False
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit.record("colleague_activated" if active else "colleague_deactivated", user=by, obj=locked)
    colleague.is_active = active
    return True
