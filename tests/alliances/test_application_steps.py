"""Filling in the application step by step: drafts save and reload without losing anything; invalid fields get
a message beside them and everything else typed stays."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alliances.models import (
    Alliance,
    GovernanceMember,
    Membership,
    PlannedInvestment,
    Sector,
    WorkPlan,
    YearlyTarget,
)
from tests.factories import OrganisationFactory, make_credit_code, member_user

pytestmark = pytest.mark.django_db


def step_url(alliance, number):
    return reverse("alliances:step", args=[alliance.pk, number])


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


BASIC = {
    "name": "淄博市先进陶瓷产业技术创新战略联盟", "technical_direction": "结构陶瓷与功能陶瓷共性技术",
    "output_targets": "制定联盟标准3项", "secretariat_contact": "王芳", "secretariat_phone": "0533-2345678",
    "secretariat_email": "mishu@example.cn", "secretariat_address": "张店区华光路1号",
}


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def open_call(db):
    from accounts.roles import Role
    from tests.calls.conftest import make_call
    from tests.factories import UserFactory

    return make_call(UserFactory(roles=[Role.OFFICER]))


def test_create_makes_a_draft_and_opens_step_one(logged_in, member, sector, open_call):
    response = logged_in.post(reverse("alliances:create"), {"name": "淄博市先进陶瓷产业技术创新战略联盟",
                                                            "sector": sector.pk, "call": open_call.pk})
    alliance = Alliance.objects.get(chairman=member.organisation)
    assert response["Location"] == step_url(alliance, 1)
    assert alliance.created_by == member
    assert alliance.call == open_call


def test_create_with_missing_name_keeps_the_sector(logged_in, sector, open_call):
    response = logged_in.post(reverse("alliances:create"), {"name": "", "sector": sector.pk, "call": open_call.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert f'<option value="{sector.pk}" selected>' in page
    assert not Alliance.objects.exists()


def test_basic_step_saves_and_reloads(logged_in, draft, sector):
    response = logged_in.post(step_url(draft, 1), {**BASIC, "sector": sector.pk, "after": "stay"})
    assert response["Location"] == step_url(draft, 1)
    draft.refresh_from_db()
    assert {name: getattr(draft, name) for name in BASIC} == BASIC
    page = logged_in.get(step_url(draft, 1)).content.decode()
    for value in BASIC.values():
        assert value in page
    assert "Draft saved." in page


def test_save_and_continue_goes_to_the_next_step(logged_in, draft, sector):
    response = logged_in.post(step_url(draft, 1), {**BASIC, "sector": sector.pk, "after": "next"})
    assert response["Location"] == step_url(draft, 2)


def test_invalid_field_gets_a_message_and_the_rest_is_saved(logged_in, draft, sector):
    data = {**BASIC, "sector": sector.pk, "secretariat_email": "not-an-email", "after": "next"}
    response = logged_in.post(step_url(draft, 1), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="not-an-email"' in page  # what was typed stays on the page
    assert "except 1 entry that needs correcting" in page
    draft.refresh_from_db()
    assert draft.technical_direction == BASIC["technical_direction"]  # the valid fields were saved
    assert draft.secretariat_email == ""


def test_blank_name_is_refused_but_not_lost_elsewhere(logged_in, draft, sector):
    response = logged_in.post(step_url(draft, 1), {**BASIC, "name": "", "sector": sector.pk})
    assert "This field is required." in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "淄博市先进陶瓷产业技术创新战略联盟"
    assert draft.output_targets == BASIC["output_targets"]


def test_inactive_sector_cannot_be_chosen(logged_in, draft):
    retired = Sector.objects.create(code="retired", name="已停用领域", is_active=False)
    response = logged_in.post(step_url(draft, 1), {**BASIC, "sector": retired.pk})
    assert "Select a valid choice." in response.content.decode()
    draft.refresh_from_db()
    assert draft.sector_id != retired.pk


def members_data(rows, initial=0, **extra):
    data = management("members", len(rows), initial)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"members-{index}-{key}"] = value
    return {**data, **extra}


def test_members_step_invites_by_credit_code(logged_in, draft):
    enterprise = OrganisationFactory(name="淄博华联陶瓷有限公司")
    university = OrganisationFactory(name="山东理工大学", kind="university")
    response = logged_in.post(step_url(draft, 2), members_data([
        {"credit_code": enterprise.credit_code, "role": "vice_chairman", "is_core": "on"},
        {"credit_code": university.credit_code.lower(), "role": "technical_support"},
    ]))
    assert response.status_code == 302
    invited = {m.organisation.name: (m.role, m.is_core, m.status)
               for m in draft.memberships.exclude(role=Membership.Role.CHAIRMAN)}
    assert invited == {"淄博华联陶瓷有限公司": ("vice_chairman", True, "invited"),
                       "山东理工大学": ("technical_support", False, "invited")}


def test_unknown_credit_code_error_is_beside_the_row_and_nothing_is_saved(logged_in, draft):
    enterprise = OrganisationFactory()
    unknown = make_credit_code()
    response = logged_in.post(step_url(draft, 2), members_data([
        {"credit_code": enterprise.credit_code, "role": "member", "is_core": "on"},
        {"credit_code": unknown, "role": "member"},
    ]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"No organisation with the unified social credit code {unknown} is registered in the portal." in page
    assert f'value="{enterprise.credit_code}"' in page
    assert f'value="{unknown}"' in page
    assert not draft.memberships.exclude(role=Membership.Role.CHAIRMAN).exists()


def test_same_organisation_twice_is_flagged(logged_in, draft):
    enterprise = OrganisationFactory()
    response = logged_in.post(step_url(draft, 2), members_data([
        {"credit_code": enterprise.credit_code, "role": "member"},
        {"credit_code": enterprise.credit_code, "role": "member"},
    ]))
    assert "This organisation is listed twice." in response.content.decode()


def test_university_cannot_be_marked_core_on_the_page(logged_in, draft):
    university = OrganisationFactory(kind="university", name="山东理工大学")
    response = logged_in.post(step_url(draft, 2), members_data([
        {"credit_code": university.credit_code, "role": "technical_support", "is_core": "on"},
    ]))
    assert "Only enterprises can be core enterprises; “山东理工大学” is a University." in response.content.decode()


def test_members_step_changes_roles_and_withdraws(logged_in, draft, member):
    from alliances import services

    first = services.invite_member(draft, by=member, credit_code=OrganisationFactory().credit_code)
    second = services.invite_member(draft, by=member, credit_code=OrganisationFactory().credit_code)
    response = logged_in.post(step_url(draft, 2), members_data([
        {"membership_id": first.pk, "role": "vice_chairman", "is_core": "on"},
        {"membership_id": second.pk, "role": "member", "DELETE": "on"},
        {"credit_code": "", "role": "member"},  # the empty new row is ignored
    ], initial=2))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.role, first.is_core) == ("vice_chairman", True)
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_declined_organisation_can_be_invited_again_from_the_page(logged_in, draft, member):
    from alliances import services

    invitee = member_user()
    membership = services.invite_member(draft, by=member, credit_code=invitee.organisation.credit_code)
    services.respond_to_invitation(membership, by=invitee, accept=False)
    page = logged_in.get(step_url(draft, 2)).content.decode()
    assert "Invite again" in page
    logged_in.post(step_url(draft, 2), members_data(
        [{"membership_id": membership.pk, "role": "member"}], initial=1, reinvite=str(membership.pk)))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.INVITED


def governance_data(rows, standing_body="联盟秘书处", initial=0):
    data = {"standing_body": standing_body, **management("governance", len(rows), initial)}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"governance-{index}-{key}"] = value
    return data


def test_governance_step_replaces_the_lists(logged_in, draft):
    response = logged_in.post(step_url(draft, 3), governance_data([
        {"body": "council", "person_name": "赵强", "position": "理事长", "organisation_name": "淄博华光陶瓷"},
        {"body": "expert_committee", "person_name": "孙教授", "position": "主任", "title": "教授"},
        {"body": "", "person_name": ""},
    ]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.standing_body == "联盟秘书处"
    assert list(draft.governance_members.values_list("body", "person_name")) == [
        ("council", "赵强"), ("expert_committee", "孙教授")]
    page = logged_in.get(step_url(draft, 3)).content.decode()
    assert "赵强" in page
    assert "孙教授" in page


def test_governance_row_error_keeps_the_standing_body(logged_in, draft):
    response = logged_in.post(step_url(draft, 3), governance_data([
        {"body": "council", "person_name": ""},
    ], standing_body="常设秘书处"))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    draft.refresh_from_db()
    assert draft.standing_body == "常设秘书处"
    assert not GovernanceMember.objects.filter(alliance=draft).exists()


def work_plan_data(targets=(), investments=(), **texts):
    data = {name: texts.get(name, f"{name} 的内容") for name in WorkPlan.TEXT_FIELDS}
    data.update(management("targets", len(targets)))
    data.update(management("investments", len(investments)))
    for index, row in enumerate(targets):
        data.update({f"targets-{index}-{key}": value for key, value in row.items()})
    for index, row in enumerate(investments):
        data.update({f"investments-{index}-{key}": value for key, value in row.items()})
    return data


def test_work_plan_saves_texts_targets_and_investment(logged_in, draft):
    response = logged_in.post(step_url(draft, 5), work_plan_data(
        targets=[{"year": "2027", "indicator": "发明专利申请", "target_value": "10", "unit": "项"}],
        investments=[
            {"year": "2027", "source": "self_raised", "amount": "1200.5"},
            {"year": "2027", "source": "government", "amount": "300.25"},
            {"year": "2028", "source": "self_raised", "amount": "1500"},
        ],
    ))
    assert response.status_code == 302
    plan = WorkPlan.objects.get(alliance=draft)
    assert plan.ip_rules == "ip_rules 的内容"
    assert list(YearlyTarget.objects.filter(work_plan=plan).values_list("indicator", "target_value")) == [
        ("发明专利申请", Decimal("10"))]
    assert PlannedInvestment.objects.filter(work_plan=plan).count() == 3
    page = logged_in.get(step_url(draft, 5)).content.decode()
    assert "1,500.75" in page  # 2027 total: 1200.5 + 300.25
    assert "3,000.75" in page  # all years


def test_duplicate_investment_row_is_refused_and_texts_are_saved(logged_in, draft):
    response = logged_in.post(step_url(draft, 5), work_plan_data(
        investments=[
            {"year": "2027", "source": "self_raised", "amount": "100"},
            {"year": "2027", "source": "self_raised", "amount": "200"},
        ],
        main_goals="三年内建成公共技术服务平台",
    ))
    assert response.status_code == 200
    assert "This source appears twice for the same year" in response.content.decode()
    plan = WorkPlan.objects.get(alliance=draft)
    assert plan.main_goals == "三年内建成公共技术服务平台"
    assert not plan.investments.exists()


def test_negative_or_badly_formatted_amount_is_refused(logged_in, draft):
    response = logged_in.post(step_url(draft, 5), work_plan_data(
        investments=[{"year": "2027", "source": "self_raised", "amount": "-5"},
                     {"year": "2027", "source": "government", "amount": "1.23456"}],
    ))
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert "Ensure that there are no more than 4 decimal places." in page
    assert 'value="1.23456"' in page


def test_deleting_a_saved_target(logged_in, draft):
    logged_in.post(step_url(draft, 5), work_plan_data(
        targets=[{"year": "2027", "indicator": "标准", "target_value": "3", "unit": "项"},
                 {"year": "2028", "indicator": "专利", "target_value": "5", "unit": "项"}]))
    data = work_plan_data(targets=[
        {"year": "2027", "indicator": "标准", "target_value": "3", "unit": "项", "DELETE": "on"},
        {"year": "2028", "indicator": "专利", "target_value": "5", "unit": "项"}])
    data["targets-INITIAL_FORMS"] = "2"
    logged_in.post(step_url(draft, 5), data)
    assert list(YearlyTarget.objects.values_list("indicator", flat=True)) == ["专利"]


def test_check_page_lists_what_is_missing(logged_in, draft):
    page = logged_in.get(step_url(draft, 6)).content.decode()
    assert "10 checks have not passed yet" in page
    assert "Only 1 confirmed core enterprise; at least 3 are required." in page
    assert "The signed alliance agreement (PDF) has not been uploaded." in page
    assert step_url(draft, 4) in page


def test_submit_with_problems_lists_them_and_submits_nothing(logged_in, draft):
    response = logged_in.post(step_url(draft, 6))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The application was not submitted: 10 checks failed." in page
    assert "No council members are listed." in page
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_submit_when_eligible(client, eligible, member):
    client.force_login(member)
    response = client.post(step_url(eligible, 6), follow=True)
    assert response.redirect_chain[-1][0] == reverse("alliances:detail", args=[eligible.pk])
    assert "Submitted as version 1." in response.content.decode()


def test_progress_marks_completed_steps(client, eligible, member):
    client.force_login(member)
    page = client.get(step_url(eligible, 1)).content.decode()
    assert page.count('class="step done"') == 5  # steps 2-6 complete, step 1 is the current one
    assert 'class="step current"' in page


def test_pages_read_in_chinese(client, eligible, member):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    client.force_login(member)
    page = client.get(step_url(eligible, 2)).content.decode()
    assert "成员单位" in page
    assert "保存草稿" in page
