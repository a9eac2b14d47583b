"""accounts.services.verify_organisation: the one path for the bureau's verification."""

import pytest

from accounts import services
from accounts.errors import AccountsError, IllegalVerification, NotPermitted
from accounts.models import AuditEvent
from alliances.models import Organisation
from notifications.models import Notification
from tests.factories import OrganisationFactory, member_user

pytestmark = pytest.mark.django_db
Verification = Organisation.Verification


def test_officer_verifies_a_pending_organisation(officer, pending_member, django_capture_on_commit_callbacks):
    organisation = pending_member.organisation
    with django_capture_on_commit_callbacks(execute=True):
        assert services.verify_organisation(organisation, by=officer, approve=True) is True
    organisation.refresh_from_db()
    assert organisation.verification == Verification.VERIFIED
    assert organisation.verified_by == officer
    assert organisation.verified_at is not None
    event = AuditEvent.objects.get(action="organisation_verified")
    assert (event.user, event.object_id, event.detail["source"], event.detail["target"]) == (
        officer, str(organisation.pk), "pending", "verified")
    [notification] = Notification.objects.filter(recipient=pending_member)
    assert notification.kind == "organisation_verified"
    assert organisation.name in notification.title


def test_rejection_needs_a_reason(officer, pending_organisation):
    with pytest.raises(AccountsError) as refused:
        services.verify_organisation(pending_organisation, by=officer, approve=False, note="   ")
    assert refused.value.field == "note"
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.PENDING
    assert AuditEvent.objects.get(action="organisation_rejected").outcome == AuditEvent.Outcome.REFUSED


def test_rejection_keeps_the_reason_and_tells_the_users(officer, pending_member, django_capture_on_commit_callbacks):
    organisation = pending_member.organisation
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_organisation(organisation, by=officer, approve=False, note="信用代码与营业执照不一致")
    organisation.refresh_from_db()
    assert (organisation.verification, organisation.verification_note) == (
        Verification.REJECTED, "信用代码与营业执照不一致")
    [notification] = Notification.objects.filter(recipient=pending_member)
    assert notification.kind == "organisation_rejected"
    assert "信用代码与营业执照不一致" in notification.body


def test_rejected_organisation_can_be_verified_later(officer):
    organisation = OrganisationFactory(verification=Verification.REJECTED, verification_note="地址不全")
    assert services.verify_organisation(organisation, by=officer, approve=True)
    organisation.refresh_from_db()
    assert organisation.verification == Verification.VERIFIED
    assert organisation.verification_note == ""


def test_verified_organisation_cannot_be_rejected(officer):
    organisation = OrganisationFactory(verification=Verification.VERIFIED)
    with pytest.raises(IllegalVerification):
        services.verify_organisation(organisation, by=officer, approve=False, note="看错了")
    organisation.refresh_from_db()
    assert organisation.verification == Verification.VERIFIED


def test_second_click_returns_early_without_a_second_audit(officer, pending_organisation,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.verify_organisation(pending_organisation, by=officer, approve=True)
        assert services.verify_organisation(pending_organisation, by=officer, approve=True) is False
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="organisation_verified").count() == 1


def test_stale_object_is_checked_against_the_locked_row(officer, pending_organisation):
    stale = Organisation.objects.get(pk=pending_organisation.pk)
    services.verify_organisation(pending_organisation, by=officer, approve=True)
    # someone else verified it meanwhile: the stale copy still says pending, the database does not
    assert stale.verification == Verification.PENDING
    assert services.verify_organisation(stale, by=officer, approve=True) is False
    assert stale.verification == Verification.VERIFIED
    with pytest.raises(IllegalVerification):
        services.verify_organisation(Organisation.objects.get(pk=stale.pk), by=officer, approve=False, note="x")


@pytest.mark.parametrize("who", ["member", "expert", "department_reviewer", "liaison"])
def test_only_bureau_officers_verify(request, who, pending_organisation):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        services.verify_organisation(pending_organisation, by=actor, approve=True)
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.PENDING
    assert AuditEvent.objects.get(action="organisation_verified").outcome == AuditEvent.Outcome.REFUSED


def test_administrator_may_verify(admin_user, pending_organisation):
    assert services.verify_organisation(pending_organisation, by=admin_user, approve=True)


def test_own_organisation_admin_cannot_verify_itself(pending_member):
    with pytest.raises(NotPermitted):
        services.verify_organisation(pending_member.organisation, by=pending_member, approve=True)


def test_unverified_organisation_may_draft_but_not_submit(pending_member):
    from tests.factories import AllianceFactory

    alliance = AllianceFactory(chairman=pending_member.organisation)
    assert pending_member.has_perm("alliances.create_alliance")
    assert pending_member.has_perm("alliances.edit_application", alliance)
    assert not pending_member.has_perm("alliances.submit_application", alliance)
    verified = member_user()
    verified_alliance = AllianceFactory(chairman=verified.organisation)
    assert verified.has_perm("alliances.submit_application", verified_alliance)
