"""A member unit imported by the bureau with its alliances (存量联盟) has no users: the first person who
signs up with its credit code claims it. The claim waits for the bureau's verification, and until then the
account cannot sign in (so sees nothing of the alliances). An organisation that has users stays refused."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import RegistrationConflict
from accounts.models import AuditEvent
from alliances.models import Alliance, Organisation, RDPlatform
from alliances.workflow import State
from notifications.models import Notification
from tests.factories import AllianceFactory, OrganisationFactory, member_user

from .conftest import PASSWORD, signup_data

pytestmark = pytest.mark.django_db
URL = "/accounts/signup/"
User = get_user_model()
NAME = "淄博导入陶瓷有限公司"


@pytest.fixture
def imported(officer):
    """An imported chairman unit of a pilot alliance: verified by the import, without users or contact data."""
    unit = OrganisationFactory(name=NAME, imported_at=timezone.now(), verified_by=officer, address="", email="",
                               contact_person="", phone="")
    AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟", chairman=unit, state=State.PILOT,
                    imported_at=timezone.now())
    return unit


def claim_data(unit, **overrides):
    return signup_data(**{"org-credit_code": unit.credit_code, "org-name": unit.name, "org-kind": unit.kind,
                          **overrides})


def test_signing_up_with_an_imported_code_claims_the_organisation(client, imported, officer,
                                                                  django_capture_on_commit_callbacks):
    organisations = Organisation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, claim_data(imported))

    assert response.status_code == 302
    assert response["Location"] == reverse("signup_claimed")
    assert Organisation.objects.count() == organisations
    user = User.objects.get(username="wangfang")
    assert (user.organisation, user.is_org_admin, user.is_active) == (imported, True, False)
    imported.refresh_from_db()
    assert (imported.verification, imported.claimed_by) == (Organisation.Verification.PENDING, user)
    # Blank contact fields are filled in from the form; the name and kind stay the bureau's.
    assert (imported.name, imported.address, imported.email, imported.legal_representative) == (
        NAME, "山东省淄博市张店区华光路366号", "contact@huaguang.example.cn", "赵建国")
    assert imported.contact_person == "王芳"
    assert imported.platforms.count() == 1
    event = AuditEvent.objects.get(action="organisation_claimed")
    assert (event.user, event.object_id, event.detail["source"], event.detail["target"]) == (
        user, str(imported.pk), "verified", "pending")
    [notification] = Notification.objects.filter(recipient=officer, kind="organisation_claimed")
    assert NAME in notification.title
    assert "_auth_user_id" not in client.session  # not signed in


def test_claimed_page_says_it_awaits_verification(client, imported):
    response = client.post(URL, claim_data(imported), follow=True)

    assert response.status_code == 200
    assert response.context["user"].is_authenticated is False
    page = response.content.decode()
    assert "认领已提交，等待审核" in page  # Chinese by default
    assert "看不到该单位的联盟" in page
    assert NAME not in page  # nothing of the organisation is shown to the anonymous visitor


def test_the_claimant_cannot_sign_in_or_see_the_alliance_before_verification(client, imported):
    client.post(URL, claim_data(imported))

    response = client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("alliances:list")).status_code == 302  # to the sign-in page


def test_after_verification_the_claimant_signs_in_and_sees_the_alliance(client, imported, officer,
                                                                        django_capture_on_commit_callbacks):
    client.post(URL, claim_data(imported))
    user = User.objects.get(username="wangfang")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.verify_organisation(imported, by=officer, approve=True) is True

    user.refresh_from_db()
    assert user.is_active is True
    assert AuditEvent.objects.filter(action="organisation_claim_verified", object_id=str(imported.pk)).exists()
    assert Notification.objects.filter(recipient=user, kind="organisation_verified").exists()
    assert client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert list(Alliance.objects.visible_to(user).values_list("name", flat=True)) == ["淄博市先进陶瓷产业技术创新战略联盟"]


def test_a_rejected_claim_keeps_the_account_closed_even_if_verified_later(imported, officer):
    services.claim_imported_organisation(imported, profile={}, platforms=[], username="squatter",
                                         full_name="冒名者", email="x@example.cn", phone="13900000000",
                                         password=PASSWORD)

    services.verify_organisation(imported, by=officer, approve=False, note="此人不是该单位员工")
    services.verify_organisation(imported, by=officer, approve=True)

    assert User.objects.get(username="squatter").is_active is False


def test_an_organisation_with_users_stays_refused(client, imported):
    member_user(organisation=imported)

    response = client.post(URL, claim_data(imported))

    assert response.status_code == 200
    [message] = response.context["organisation_form"].errors["credit_code"]
    assert "已注册" in message
    assert not User.objects.filter(username="wangfang").exists()
    imported.refresh_from_db()
    assert (imported.verification, imported.claimed_by) == (Organisation.Verification.VERIFIED, None)


def test_a_second_claim_is_refused(client, imported):
    client.post(URL, claim_data(imported))

    response = client.post(URL, claim_data(imported, **{"account-username": "someoneelse",
                                                        "account-email": "else@example.cn"}))

    assert response.status_code == 200
    assert "已注册" in response.context["organisation_form"].errors["credit_code"][0]
    assert list(User.objects.filter(organisation=imported).values_list("username", flat=True)) == ["wangfang"]


def test_an_organisation_without_users_that_was_not_imported_is_refused(client):
    registered_by_admin = OrganisationFactory(name=NAME)

    response = client.post(URL, claim_data(registered_by_admin))

    assert "已注册" in response.context["organisation_form"].errors["credit_code"][0]
    assert not User.objects.filter(username="wangfang").exists()


def test_the_claim_must_name_the_organisation_as_the_bureau_does(client, imported):
    response = client.post(URL, claim_data(imported, **{"org-name": "另一家公司", "org-kind": "university"}))

    assert response.status_code == 200
    errors = response.context["organisation_form"].errors
    assert NAME in errors["name"][0]
    assert "kind" in errors
    assert not User.objects.filter(username="wangfang").exists()
    imported.refresh_from_db()
    assert imported.claimed_by is None


def test_names_match_in_full_or_half_width(client, imported):
    imported.name = "淄博导入陶瓷(集团)有限公司"
    imported.save()

    response = client.post(URL, claim_data(imported, **{"org-name": "淄博导入陶瓷（集团）有限公司"}))

    assert response.status_code == 302


def test_the_service_refuses_when_a_user_appeared_meanwhile(imported):
    member_user(organisation=imported)

    with pytest.raises(RegistrationConflict):
        services.claim_imported_organisation(imported, profile={}, platforms=[], username="late",
                                             full_name="迟到者", email="l@example.cn", phone="13900000000",
                                             password=PASSWORD)
    assert not User.objects.filter(username="late").exists()
    assert not RDPlatform.objects.filter(organisation=imported).exists()


def test_the_bureau_sees_the_claim_in_the_organisation_timeline(client, imported, officer):
    client.post(URL, claim_data(imported))
    client.force_login(officer)

    page = client.get(reverse("organisation_detail", args=[imported.pk])).content.decode()

    assert "导入单位被首个用户认领" in page
    assert "wangfang" in page
