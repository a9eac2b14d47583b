"""A member user's own organisation: everyone of it sees the profile, its admin edits contact data and platforms."""

from decimal import Decimal

import pytest

from accounts import services
from accounts.errors import NotPermitted
from accounts.models import AuditEvent
from alliances.models import Organisation, RDPlatform
from notifications.models import Notification
from tests.factories import OrganisationFactory, UserFactory, district, member_user

from .conftest import plain_member

pytestmark = pytest.mark.django_db
PROFILE = "/accounts/organisation/"
EDIT = "/accounts/organisation/edit/"


def _edit_data(organisation, **overrides):
    platforms = list(organisation.platforms.order_by("pk"))
    data = {
        "legal_representative": "赵建国", "address": "山东省淄博市张店区新村西路188号",
        "district": str(district("370303").pk), "contact_person": "孙丽", "phone": "0533 8765432",
        "email": "sunli@example.cn", "is_high_tech": "on", "rd_staff": "40", "rd_spending": "880.25",
        "revenue": "12000",
        "platforms-TOTAL_FORMS": str(len(platforms)), "platforms-INITIAL_FORMS": str(len(platforms)),
        "platforms-MIN_NUM_FORMS": "0", "platforms-MAX_NUM_FORMS": "30",
    }
    for index, platform in enumerate(platforms):
        data.update({f"platforms-{index}-id": str(platform.pk), f"platforms-{index}-kind": platform.kind,
                     f"platforms-{index}-level": platform.level, f"platforms-{index}-name": platform.name})
    data.update(overrides)
    return data


def test_member_sees_own_profile(client, member):
    RDPlatform.objects.create(organisation=member.organisation, kind="postdoc", level="national", name="博士后工作站")
    client.force_login(member)
    html = client.get(PROFILE).content.decode()
    assert member.organisation.name in html
    assert member.organisation.credit_code in html
    assert "博士后工作站" in html
    assert EDIT in html


def test_non_admin_colleague_sees_profile_without_edit_link(client, member):
    colleague = plain_member(member.organisation)
    client.force_login(colleague)
    html = client.get(PROFILE).content.decode()
    assert member.organisation.name in html
    assert EDIT not in html
    assert client.get(EDIT).status_code == 403


def test_user_without_organisation_gets_404(client, officer):
    client.force_login(officer)
    assert client.get(PROFILE).status_code == 404


def test_admin_edits_contact_fields_and_platforms(client, member):
    organisation = member.organisation
    kept = RDPlatform.objects.create(organisation=organisation, kind="key_lab", level="municipal", name="市级重点实验室")
    dropped = RDPlatform.objects.create(organisation=organisation, kind="academician", level="provincial")
    data = _edit_data(organisation, **{
        "platforms-TOTAL_FORMS": "3", "platforms-0-level": "provincial", "platforms-1-DELETE": "on",
        "platforms-2-kind": "enterprise_centre", "platforms-2-level": "national", "platforms-2-name": "国家企业技术中心",
    })
    client.force_login(member)
    response = client.post(EDIT, data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.contact_person, organisation.phone, organisation.rd_spending) == (
        "孙丽", "0533-8765432", Decimal("880.25"))
    assert set(organisation.platforms.values_list("pk", "kind", "level")) == {
        (kept.pk, "key_lab", "provincial"),
        (RDPlatform.objects.get(name="国家企业技术中心").pk, "enterprise_centre", "national"),
    }
    assert not RDPlatform.objects.filter(pk=dropped.pk).exists()
    event = AuditEvent.objects.get(action="organisation_profile_changed")
    assert set(event.detail["fields"]) >= {"contact_person", "phone", "rd_spending"}
    assert event.detail["platforms"] == {"added": 1, "changed": 1, "removed": 1}


def test_name_and_credit_code_cannot_be_changed_by_the_unit(client, member):
    organisation = member.organisation
    name, code = organisation.name, organisation.credit_code
    client.force_login(member)
    client.post(EDIT, _edit_data(organisation, name="改名公司", credit_code="91350100M000100Y43", kind="university"))
    organisation.refresh_from_db()
    assert (organisation.name, organisation.credit_code, organisation.kind) == (name, code, "enterprise")


def test_bad_input_keeps_what_was_typed(client, member):
    client.force_login(member)
    response = client.post(EDIT, _edit_data(member.organisation, phone="123", revenue="-3", contact_person="孙丽丽"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"phone", "revenue"}
    html = response.content.decode()
    assert 'value="孙丽丽"' in html
    assert 'value="123"' in html


def test_university_profile_has_no_enterprise_figures(client):
    admin = member_user(organisation=OrganisationFactory(kind="university"))
    client.force_login(admin)
    response = client.get(EDIT)
    assert "rd_spending" not in response.context["form"].fields
    data = _edit_data(admin.organisation)
    for name in ("is_high_tech", "rd_staff", "rd_spending", "revenue"):
        data.pop(name)
    assert client.post(EDIT, data).status_code == 302


def test_saving_a_rejected_profile_sends_it_back_to_the_bureau(client, officer, django_capture_on_commit_callbacks):
    admin = member_user(organisation=OrganisationFactory(verification="rejected", verification_note="地址不全"))
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT, _edit_data(admin.organisation, address="山东省淄博市张店区华光路366号3号楼"))
    admin.organisation.refresh_from_db()
    assert admin.organisation.verification == Organisation.Verification.PENDING
    assert AuditEvent.objects.filter(action="organisation_resubmitted").exists()
    assert Notification.objects.filter(recipient=officer, kind="organisation_registered").exists()


def test_saving_nothing_changes_nothing(client, member):
    client.force_login(member)
    organisation = member.organisation
    data = _edit_data(organisation, legal_representative=organisation.legal_representative,
                      address=organisation.address, contact_person=organisation.contact_person,
                      phone=organisation.phone, email=organisation.email, is_high_tech="",
                      rd_staff="", rd_spending="", revenue="")
    organisation.rd_staff, organisation.rd_spending, organisation.revenue = 0, Decimal(0), Decimal(0)
    organisation.save()
    data.update(rd_staff="0", rd_spending="0", revenue="0")
    response = client.post(EDIT, data, follow=True)
    assert "没有修改任何内容。" in response.content.decode()
    assert not AuditEvent.objects.filter(action="organisation_profile_changed").exists()


def test_service_refuses_another_organisations_admin(member, other_member):
    with pytest.raises(NotPermitted):
        services.update_organisation_profile(member.organisation, by=other_member, fields={"contact_person": "x"},
                                             platforms=[])


def test_service_refuses_fields_reserved_to_the_bureau(member):
    with pytest.raises(ValueError, match="credit_code"):
        services.update_organisation_profile(member.organisation, by=member, fields={"credit_code": "x"},
                                             platforms=[])


def test_officer_without_organisation_cannot_edit(client):
    client.force_login(UserFactory())
    assert client.get(EDIT).status_code == 403
