"""Nobody is put into an alliance without consent: members are invited by credit code and confirm or decline
from their own account; only confirmed members count; invited organisations can see but not edit."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted
from alliances import eligibility, services
from alliances.errors import InvitationError
from alliances.models import Membership, Organisation
from notifications.models import Notification
from tests.factories import OrganisationFactory, UserFactory, make_credit_code, member_user

from .conftest import invite_and_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee():
    return member_user(OrganisationFactory(name="淄博华联陶瓷有限公司"))


@pytest.fixture
def invitation(draft, member, invitee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invite_member(draft, by=member, credit_code=invitee.organisation.credit_code,
                                      role=Membership.Role.VICE_CHAIRMAN, is_core=True)


def test_creator_is_the_confirmed_chairman(draft, member):
    [chairman] = draft.memberships.all()
    assert chairman.organisation == member.organisation
    assert (chairman.role, chairman.status, chairman.is_core) == (
        Membership.Role.CHAIRMAN, Membership.Status.CONFIRMED, True)


def test_invitation_is_pending_and_does_not_count(draft, invitation):
    assert invitation.status == Membership.Status.INVITED
    counts = eligibility.member_counts(draft)
    assert (counts.confirmed, counts.core_enterprises, counts.invited) == (1, 1, 1)


def test_invitation_accepts_a_code_typed_with_spaces_and_lower_case(draft, member, invitee):
    code = invitee.organisation.credit_code
    typed = f" {code[:6]} {code[6:].lower()} "
    membership = services.invite_member(draft, by=member, credit_code=typed)
    assert membership.organisation == invitee.organisation


def test_invited_organisation_users_are_notified(invitation, invitee):
    notification = Notification.objects.get(recipient=invitee)
    assert notification.title == (f"{invitation.alliance.chairman.name} invites your organisation to join "
                                  f"“{invitation.alliance.name}”")
    assert notification.url == reverse("alliances:invitations")


def test_unregistered_credit_code_is_refused_with_a_clear_message(draft, member):
    code = make_credit_code()
    with pytest.raises(InvitationError) as refused:
        services.invite_member(draft, by=member, credit_code=code)
    assert refused.value.message == (
        f"No organisation with the unified social credit code {code} is registered in the portal. "
        "Ask it to sign up first; it can be invited once registered.")
    assert not draft.memberships.exclude(role=Membership.Role.CHAIRMAN).exists()


def test_malformed_credit_code_says_what_is_wrong(draft, member):
    with pytest.raises(InvitationError) as refused:
        services.invite_member(draft, by=member, credit_code="12345")
    assert "18 characters" in refused.value.message


def test_rejected_organisation_cannot_be_invited(draft, member):
    rejected = OrganisationFactory(verification=Organisation.Verification.REJECTED)
    with pytest.raises(InvitationError, match="rejected"):
        services.invite_member(draft, by=member, credit_code=rejected.credit_code)


def test_no_duplicate_invitation(draft, member, invitation, invitee):
    with pytest.raises(InvitationError) as refused:
        services.invite_member(draft, by=member, credit_code=invitee.organisation.credit_code)
    assert "has been invited already" in refused.value.message
    assert draft.memberships.filter(organisation=invitee.organisation).count() == 1


def test_chairman_cannot_invite_itself(draft, member):
    with pytest.raises(InvitationError, match="chairman unit of this alliance already"):
        services.invite_member(draft, by=member, credit_code=member.organisation.credit_code)


def test_chairman_role_cannot_be_given_by_invitation(draft, member, invitee):
    with pytest.raises(InvitationError, match="one chairman unit"):
        services.invite_member(draft, by=member, credit_code=invitee.organisation.credit_code,
                               role=Membership.Role.CHAIRMAN)


def test_only_enterprises_can_be_core(draft, member):
    university = OrganisationFactory(kind=Organisation.Kind.UNIVERSITY, name="山东理工大学")
    with pytest.raises(InvitationError, match="Only enterprises can be core enterprises"):
        services.invite_member(draft, by=member, credit_code=university.credit_code, is_core=True)


def test_only_the_chairman_unit_can_invite(draft, invitee, other_member):
    with pytest.raises(NotPermitted):
        services.invite_member(draft, by=other_member, credit_code=invitee.organisation.credit_code)


def test_invited_organisation_confirms_and_then_counts(draft, invitation, invitee, member,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_invitation(invitation, by=invitee, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == Membership.Status.CONFIRMED
    assert invitation.responded_by == invitee
    assert eligibility.member_counts(draft).core_enterprises == 2
    assert AuditEvent.objects.filter(action="invitation_confirmed", user=invitee).exists()
    [note] = Notification.objects.filter(recipient=member)
    assert note.title == f"{invitee.organisation.name} confirmed its membership of “{draft.name}”"


def test_confirming_twice_is_harmless(invitation, invitee):
    services.respond_to_invitation(invitation, by=invitee, accept=True)
    services.respond_to_invitation(invitation, by=invitee, accept=True)
    assert AuditEvent.objects.filter(action="invitation_confirmed").count() == 1


def test_declined_members_do_not_count(draft, invitation, invitee):
    services.respond_to_invitation(invitation, by=invitee, accept=False)
    invitation.refresh_from_db()
    assert invitation.status == Membership.Status.DECLINED
    assert eligibility.member_counts(draft).core_enterprises == 1


def test_a_declined_invitation_cannot_be_confirmed_later(invitation, invitee):
    services.respond_to_invitation(invitation, by=invitee, accept=False)
    with pytest.raises(InvitationError, match="answered already"):
        services.respond_to_invitation(invitation, by=invitee, accept=True)


def test_declined_organisation_can_be_invited_again_and_asked_afresh(draft, member, invitation, invitee):
    services.respond_to_invitation(invitation, by=invitee, accept=False)
    again = services.invite_member(draft, by=member, credit_code=invitee.organisation.credit_code)
    assert again.pk == invitation.pk
    assert (again.status, again.responded_by, again.responded_at) == (Membership.Status.INVITED, None, None)


def test_nobody_can_confirm_for_another_organisation(invitation, member, other_member, officer):
    for user in (member, other_member, officer):
        with pytest.raises(NotPermitted):
            services.respond_to_invitation(invitation, by=user, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == Membership.Status.INVITED
    assert AuditEvent.objects.filter(action="invitation_confirmed", outcome=AuditEvent.Outcome.REFUSED).count() == 3


def test_another_organisation_cannot_confirm_through_the_page(client, invitation, other_member):
    client.force_login(other_member)
    response = client.post(reverse("alliances:respond", args=[invitation.pk]), {"answer": "confirm"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Membership.Status.INVITED


def test_chairman_cannot_confirm_its_own_invitation_through_the_page(client, invitation, member):
    client.force_login(member)
    response = client.post(reverse("alliances:respond", args=[invitation.pk]), {"answer": "confirm"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Membership.Status.INVITED


def test_colleague_of_the_invited_organisation_confirms_through_the_page(client, invitation, invitee):
    colleague = member_user(invitee.organisation)
    client.force_login(colleague)
    response = client.post(reverse("alliances:respond", args=[invitation.pk]), {"answer": "confirm"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("alliances:detail", args=[invitation.alliance_id])
    assert "now a confirmed member unit" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.responded_by) == (Membership.Status.CONFIRMED, colleague)


def test_invitations_page_lists_pending_invitations(client, invitation, invitee):
    client.force_login(invitee)
    page = client.get(reverse("alliances:invitations")).content.decode()
    assert invitation.alliance.name in page
    assert invitation.alliance.chairman.name in page
    assert reverse("alliances:respond", args=[invitation.pk]) in page


def test_invitations_page_shows_only_the_own_organisation(client, invitation, other_member):
    client.force_login(other_member)
    page = client.get(reverse("alliances:invitations")).content.decode()
    assert invitation.alliance.name not in page
    assert "No invitation is waiting for an answer." in page


def test_invited_organisation_can_see_but_not_edit(client, draft, invitation, invitee):
    client.force_login(invitee)
    detail = client.get(reverse("alliances:detail", args=[draft.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert draft.name in page
    assert 'id="invitation-box"' in page
    assert reverse("alliances:step", args=[draft.pk, 1]) not in page
    for number in range(1, 7):
        assert client.get(reverse("alliances:step", args=[draft.pk, number])).status_code == 403
    response = client.post(reverse("alliances:step", args=[draft.pk, 1]), {"name": "被改名"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.name != "被改名"
    with pytest.raises(NotPermitted):
        services.update_basic_info(draft, by=invitee, changes={"name": "被改名"})


def test_declined_organisation_no_longer_sees_the_application(client, draft, invitation, invitee):
    services.respond_to_invitation(invitation, by=invitee, accept=False)
    client.force_login(invitee)
    assert client.get(reverse("alliances:detail", args=[draft.pk])).status_code == 404


def test_withdrawn_invitation_disappears(draft, member, invitation, invitee):
    services.withdraw_invitation(draft, by=member, membership_id=invitation.pk)
    assert not Membership.objects.filter(pk=invitation.pk).exists()
    with pytest.raises(InvitationError, match="withdrawn"):
        services.respond_to_invitation(invitation, by=invitee, accept=True)


def test_removed_member_is_marked_left_and_stops_counting(draft, member):
    membership, _user = invite_and_confirm(draft, member)
    services.remove_member(draft, by=member, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LEFT
    assert membership.left_at is not None
    assert eligibility.member_counts(draft).core_enterprises == 1


def test_confirmed_member_cannot_be_withdrawn_as_an_invitation(draft, member):
    membership, _user = invite_and_confirm(draft, member)
    with pytest.raises(InvitationError, match="remove it instead"):
        services.withdraw_invitation(draft, by=member, membership_id=membership.pk)


def test_user_without_organisation_sees_no_invitations(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("alliances:invitations"))
    assert response.status_code == 200
    assert "No invitation is waiting for an answer." in response.content.decode()
