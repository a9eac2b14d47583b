"""A member unit makes an alliance application from its first step to submission with the keyboard alone:
Tab and Shift+Tab, typing, arrow keys in lists, Space for check boxes and the file input, Enter for links
and buttons, with the focus visible at every stop. Rows are added to and removed from the tables by
keyboard (the focus goes to the new row, and back to the "add" button when a row is removed); the agreement
is chosen through the file input; a mistake is corrected through the error summary. The invited units
answer from their own accounts (through the service: that is not this journey)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from alliances import services
from alliances.models import Alliance, ApplicationVersion, Membership, Organisation, RDPlatform
from alliances.workflow import State
from tests.alliances.conftest import pdf_bytes
from tests.calls.conftest import make_call
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, member_user

from .helpers import shot
from .keyboard import (
    button,
    choose_with_arrows,
    error_summary_leads_to,
    field,
    focused,
    follow,
    link,
    press_space,
    sign_in,
    tab_through_form,
    tab_to,
    type_answer,
)

ALLIANCE = "淄博市先进陶瓷产业技术创新战略联盟"
CHAIRMAN = "淄博华光陶瓷科技有限公司"


@pytest.fixture
def cast(db):
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    make_call(officer)
    chairman = member_user(OrganisationFactory(name=CHAIRMAN), full_name="华光 王芳")
    first = member_user(OrganisationFactory(name="淄博启明星新材料股份有限公司"), full_name="启明星 赵经理")
    second = member_user(OrganisationFactory(name="山东工业陶瓷研究设计院有限公司"), full_name="陶瓷院 钱工")
    university = member_user(OrganisationFactory(name="山东理工大学", kind=Organisation.Kind.UNIVERSITY),
                             full_name="理工大学 孙教授")
    RDPlatform.objects.create(organisation=university.organisation, kind=RDPlatform.Kind.KEY_LAB,
                              level=RDPlatform.Level.PROVINCIAL, name="山东省先进陶瓷重点实验室")
    return {"chairman": chairman, "members": [first, second, university]}


def exactly(text: str):
    return lambda now: now["tag"] == "button" and now["text"] == text


def test_member_unit_applies_from_first_step_to_submission_with_the_keyboard_alone(page, live_server, cast,
                                                                                   tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())  # "submit the application now?": the browser's own dialog
    first, second, university = (user.organisation for user in cast["members"])
    sign_in(page, live_server, cast["chairman"].username, PASSWORD)

    # The list of my alliances: the link to a new application; its first page makes the draft.
    page.goto(live_server.url + "/alliances/")
    tab_to(page, link("新建联盟申报"))
    follow(page)
    tab_through_form(page, {"id_name": ALLIANCE, "id_sector": "新材料"}, stop="创建草稿")
    follow(page)
    expect(page.locator(".alert-success")).to_contain_text("申报草稿已创建")
    alliance = Alliance.objects.get(name=ALLIANCE)

    # Step 1, basic information: a mistyped e-mail address is caught and corrected through the summary.
    basic = {
        "id_technical_direction": "结构陶瓷、功能陶瓷与陶瓷基复合材料的共性关键技术",
        "id_output_targets": "三年内制定联盟标准3项，申请发明专利30项，开发新产品10项",
        "id_secretariat_contact": "王芳", "id_secretariat_phone": "0533-2345678",
        "id_secretariat_email": "mishu-at-huaguang", "id_secretariat_address": "山东省淄博市张店区华光路366号",
    }
    reached = tab_through_form(page, basic, stop="保存并继续")
    assert set(basic) <= set(reached), set(basic) - set(reached)
    follow(page)
    error_summary_leads_to(page, "id_secretariat_email")
    type_answer(page, "mishu@huaguang.example.cn")
    tab_to(page, button("保存并继续"))
    follow(page)
    expect(page.locator(".application-steps .step.current")).to_contain_text("成员单位")

    # Step 2, members: three rows typed, a fourth added and removed again.
    tab_through_form(page, {"id_members-0-credit_code": first.credit_code, "id_members-0-role": "副理事长单位",
                            "id_members-0-is_core": press_space}, stop="添加成员单位")
    # Enter on "add" puts the focus in the new row's first field, where typing starts.
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_members-1-credit_code"
    type_answer(page, second.credit_code)
    tab_through_form(page, {"id_members-1-is_core": press_space}, stop="添加成员单位", limit=10)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_members-2-credit_code"
    type_answer(page, university.credit_code)
    tab_through_form(page, {"id_members-2-role": "技术支撑单位"}, stop="添加成员单位", limit=10)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_members-3-credit_code"
    tab_to(page, lambda now: now["tag"] == "button" and page.evaluate(
        "() => document.activeElement.matches('[data-formset-remove]')"), limit=10)
    page.keyboard.press("Enter")
    expect(page.locator("tr[data-formset-row]:has(#id_members-3-credit_code)")).to_be_hidden()
    assert "添加成员单位" in focused(page)["text"]
    shot(page, "keyboard-application-members")
    tab_to(page, button("保存并继续"))
    follow(page)
    expect(page.locator(".application-steps .step.current")).to_contain_text("组织机构")
    assert set(alliance.memberships.filter(status=Membership.Status.INVITED)
               .values_list("organisation__name", flat=True)) == {o.name for o in (first, second, university)}
    for user in cast["members"]:
        membership = alliance.memberships.get(organisation=user.organisation)
        services.respond_to_invitation(membership, by=user, accept=True)

    # Step 3, governance: the council's chairman and the expert committee's director.
    tab_through_form(page, {
        "id_standing_body": "联盟秘书处，设在淄博华光陶瓷科技有限公司", "id_governance-0-body": "理事会",
        "id_governance-0-person_name": "王建国", "id_governance-0-position": "理事长",
        "id_governance-0-organisation_name": CHAIRMAN}, stop="添加人员")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_governance-1-body"
    choose_with_arrows(page, "专家技术委员会")
    tab_through_form(page, {"id_governance-1-person_name": "孙立新", "id_governance-1-position": "主任",
                            "id_governance-1-title": "教授", "id_governance-1-organisation_name": "山东理工大学"},
                     stop="保存并继续", limit=20)
    follow(page)
    expect(page.locator(".application-steps .step.current")).to_contain_text("联盟协议")

    # Step 4, the agreement: Space on the file input opens the chooser.
    agreement = tmp_path / "联盟协议（盖章）.pdf"
    agreement.write_bytes(pdf_bytes(pages=6))
    tab_to(page, field("id_file"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(agreement))
    tab_to(page, button("上传"))
    follow(page)
    expect(page.locator(".alert-success")).to_contain_text("协议已上传")
    tab_to(page, button("继续"))
    follow(page)
    expect(page.locator(".application-steps .step.current")).to_contain_text("工作方案")

    # Step 5, the work plan: the texts, a yearly target, and two amounts of planned investment.
    plan = {f"id_{name}": text for name, text in {
        "composition": "由3家核心企业、1所高校组成，覆盖原料、装备、制品全链条。",
        "main_goals": "突破低温烧结等关键技术，建成公共检测平台。",
        "work_tasks": "联合攻关共性技术，制定联盟标准，共建中试基地。",
        "targets-0-year": "2027", "targets-0-indicator": "发明专利申请", "targets-0-target_value": "10",
        "targets-0-unit": "项", "investments-0-year": "2027", "investments-0-source": "自筹",
        "investments-0-amount": "1200.5",
    }.items()}
    tab_through_form(page, plan, stop="添加金额")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_investments-1-year"
    type_answer(page, "2027")
    rest = {f"id_{name}": text for name, text in {
        "investments-1-source": "政府资金", "investments-1-amount": "300",
        "cooperation_mechanism": "项目合作制，成员按投入共享成果。",
        "management_organisation": "理事会领导下的秘书处负责日常管理。",
        "funds_rules": "专款专用，年度审计。", "project_rules": "立项评审、中期检查、结题验收。",
        "ip_rules": "知识产权按投入比例归属。", "information_sharing_rules": "季度信息通报制度。",
        "results_transfer_rules": "成员优先实施，收益按约定分配。",
    }.items()}
    reached = tab_through_form(page, rest, stop="保存并继续")
    assert set(rest) <= set(reached), set(rest) - set(reached)
    follow(page)

    # Step 6: every check has passed; Enter on "submit" (and on the browser's confirmation).
    expect(page.locator("#eligibility-ok")).to_be_visible()
    tab_to(page, exactly("提交"))
    follow(page)
    expect(page.locator(".alert-success")).to_contain_text("已作为第 1 版提交")
    shot(page, "keyboard-application-submitted")

    alliance.refresh_from_db()
    assert (alliance.state, alliance.current_version) == (State.SUBMITTED, 1)
    version = ApplicationVersion.objects.get(alliance=alliance)
    assert len(version.snapshot["members"]) == 4
    assert alliance.agreements.count() == 1
    assert sorted(alliance.work_plan.investments.values_list("source", "amount")) == [
        ("government", Decimal("300")), ("self_raised", Decimal("1200.5"))]
