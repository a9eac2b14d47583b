"""An alliance application in a real browser: a company signs up, the bureau verifies it, it creates an
alliance, invites members who confirm from their own accounts, uploads the agreement, fills in governance and
the work plan, fails the eligibility check with a clear message, fixes it and submits version 1."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.models import Alliance, ApplicationVersion, Membership, Organisation, RDPlatform
from alliances.workflow import State
from tests.alliances.conftest import pdf_bytes
from tests.calls.conftest import make_call
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import OrganisationFactory, UserFactory, make_credit_code, member_user

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PASSWORD = "Huaguang-2026-secure"
ALLIANCE = "淄博市先进陶瓷产业技术创新战略联盟"
CHAIRMAN = "淄博华光陶瓷科技有限公司"


@pytest.fixture
def cast(db):
    """The bureau officer, its open call, and three registered, verified organisations that will be invited."""
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    make_call(officer)  # applications are made within a call: the only open one is chosen on the form
    first = member_user(OrganisationFactory(name="淄博启明星新材料股份有限公司"), full_name="启明星 赵经理")
    second = member_user(OrganisationFactory(name="山东工业陶瓷研究设计院有限公司"), full_name="陶瓷院 钱工")
    university = member_user(OrganisationFactory(name="山东理工大学", kind=Organisation.Kind.UNIVERSITY),
                             full_name="理工大学 孙教授")
    RDPlatform.objects.create(organisation=university.organisation, kind=RDPlatform.Kind.KEY_LAB,
                              level=RDPlatform.Level.PROVINCIAL, name="山东省先进陶瓷重点实验室")
    return {"officer": officer, "first": first, "second": second, "university": university}


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user.username, FACTORY_PASSWORD)


def confirm_invitation(page, live_server, user, shot_name=None):
    switch_user(page, live_server, user)
    page.goto(live_server.url + "/alliances/invitations/")
    row = page.locator("tr", has_text=ALLIANCE)
    expect(row).to_contain_text(CHAIRMAN)
    if shot_name:
        shot(page, shot_name)
    row.get_by_role("button", name="确认").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认成为")
    expect(page.locator("h1")).to_have_text(ALLIANCE)


def test_alliance_application_journey(page, live_server, cast, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    errors, failed = [], []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)

    # 1. A company signs up (with a provincial enterprise technology centre).
    chairman_code = make_credit_code()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_org-name", CHAIRMAN)
    page.fill("#id_org-credit_code", chairman_code)
    page.select_option("#id_org-district", label="张店区")
    page.fill("#id_org-address", "山东省淄博市张店区华光路366号")
    page.fill("#id_org-contact_person", "王芳")
    page.fill("#id_org-phone", "0533-2345678")
    page.fill("#id_org-email", "contact@huaguang.example.cn")
    page.fill("#id_org-rd_staff", "86")
    page.fill("#id_org-rd_spending", "1250.5")
    page.fill("#id_org-revenue", "35600")
    page.select_option("#id_platforms-0-kind", "enterprise_centre")
    page.select_option("#id_platforms-0-level", "provincial")
    page.fill("#id_account-username", "wangfang")
    page.fill("#id_account-full_name", "王芳")
    page.fill("#id_account-email", "wangfang@huaguang.example.cn")
    page.fill("#id_account-phone", "13905331234")
    page.fill("#id_account-password1", PASSWORD)
    page.fill("#id_account-password2", PASSWORD)
    with page.expect_navigation():
        page.click("form.signup-form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("等待审核")

    # 2. The bureau verifies it.
    switch_user(page, live_server, cast["officer"])
    page.goto(live_server.url + "/accounts/organisations/?verification=pending")
    page.get_by_role("link", name=CHAIRMAN).first.click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Organisation.objects.get(credit_code=chairman_code).is_verified

    # 3. The company creates the alliance application: it is the chairman unit.
    page.context.clear_cookies()
    login(page, live_server, "wangfang", PASSWORD)
    page.goto(live_server.url + "/alliances/")
    page.get_by_role("link", name="新建联盟申报").click()
    page.fill("#id_name", ALLIANCE)
    page.select_option("#id_sector", label="新材料")
    shot(page, "alliance-01-create")
    page.get_by_role("button", name="创建草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("申报草稿已创建")
    expect(page.locator(".application-steps .step.current")).to_contain_text("基本信息")

    # Step 1: basic information; a bad e-mail is refused beside the field, the rest is kept.
    page.fill("#id_technical_direction", "结构陶瓷、功能陶瓷与陶瓷基复合材料的共性关键技术")
    page.fill("#id_output_targets", "三年内制定联盟标准3项，申请发明专利30项，开发新产品10项")
    page.fill("#id_secretariat_contact", "王芳")
    page.fill("#id_secretariat_phone", "0533-2345678")
    page.fill("#id_secretariat_email", "mishu-at-huaguang")
    page.fill("#id_secretariat_address", "山东省淄博市张店区华光路366号")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("#id_secretariat_email")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_technical_direction")).to_have_value("结构陶瓷、功能陶瓷与陶瓷基复合材料的共性关键技术")
    shot(page, "alliance-02-basic-error")
    page.fill("#id_secretariat_email", "mishu@huaguang.example.cn")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".application-steps .step.current")).to_contain_text("成员单位")

    # Step 2: invite three organisations by credit code (an unknown code is refused beside its row).
    page.fill("[name=members-0-credit_code]", cast["first"].organisation.credit_code)
    page.select_option("[name=members-0-role]", "vice_chairman")
    page.check("[name=members-0-is_core]")
    page.get_by_role("button", name="添加成员单位").click()
    page.fill("[name=members-1-credit_code]", cast["second"].organisation.credit_code)
    page.check("[name=members-1-is_core]")
    page.get_by_role("button", name="添加成员单位").click()
    page.fill("[name=members-2-credit_code]", cast["university"].organisation.credit_code.lower())
    page.select_option("[name=members-2-role]", "technical_support")
    page.get_by_role("button", name="添加成员单位").click()
    unknown = make_credit_code()
    page.fill("[name=members-3-credit_code]", unknown)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".member-table")).to_contain_text(f"门户中没有统一社会信用代码为 {unknown} 的注册单位")
    shot(page, "alliance-03-members-error")
    page.locator("tr", has=page.locator(f"input[value='{unknown}']")).get_by_role(
        "button", name="删除此行").click()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("成员单位已保存")
    expect(page.locator(".member-table .membership-badge[data-status=invited]")).to_have_count(3)
    shot(page, "alliance-04-members-invited")

    # The invited organisations answer from their own accounts: two confirm now, one later.
    confirm_invitation(page, live_server, cast["first"], "alliance-05-invitations")
    shot(page, "alliance-06-member-sees-application")
    confirm_invitation(page, live_server, cast["university"])

    # Step 3: governance.
    page.context.clear_cookies()
    login(page, live_server, "wangfang", PASSWORD)
    alliance = Alliance.objects.get(name=ALLIANCE)
    page.goto(f"{live_server.url}/alliances/{alliance.pk}/step/3/")
    page.fill("#id_standing_body", "联盟秘书处，设在淄博华光陶瓷科技有限公司")
    page.select_option("[name=governance-0-body]", "council")
    page.fill("[name=governance-0-person_name]", "王建国")
    page.fill("[name=governance-0-position]", "理事长")
    page.fill("[name=governance-0-organisation_name]", CHAIRMAN)
    page.get_by_role("button", name="添加人员").click()
    page.select_option("[name=governance-1-body]", "expert_committee")
    page.fill("[name=governance-1-person_name]", "孙立新")
    page.fill("[name=governance-1-position]", "主任")
    page.fill("[name=governance-1-title]", "教授")
    page.fill("[name=governance-1-organisation_name]", "山东理工大学")
    shot(page, "alliance-07-governance")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".application-steps .step.current")).to_contain_text("联盟协议")

    # Step 4: the agreement: a picture named .pdf is refused, the real PDF is accepted.
    fake = tmp_path / "联盟协议.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300)
    page.set_input_files("#id_file", str(fake))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("main form")).to_contain_text("该文件不是 PDF 文档")
    agreement = tmp_path / "联盟协议（盖章）.pdf"
    agreement.write_bytes(pdf_bytes(pages=6))
    page.set_input_files("#id_file", str(agreement))
    page.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("协议已上传")
    expect(page.get_by_role("link", name="联盟协议（盖章）.pdf")).to_be_visible()
    shot(page, "alliance-08-agreement")
    page.get_by_role("button", name="继续").click()

    # Step 5: the work plan with yearly targets and planned investment.
    texts = {
        "composition": "由3家核心企业、1所高校组成，覆盖原料、装备、制品全链条。",
        "main_goals": "突破低温烧结等关键技术，建成公共检测平台。",
        "work_tasks": "联合攻关共性技术，制定联盟标准，共建中试基地。",
        "cooperation_mechanism": "项目合作制，成员按投入共享成果。",
        "management_organisation": "理事会领导下的秘书处负责日常管理。",
        "funds_rules": "专款专用，年度审计。", "project_rules": "立项评审、中期检查、结题验收。",
        "ip_rules": "知识产权按投入比例归属。", "information_sharing_rules": "季度信息通报制度。",
        "results_transfer_rules": "成员优先实施，收益按约定分配。",
    }
    for name, text in texts.items():
        page.fill(f"#id_{name}", text)
    page.fill("[name=targets-0-year]", "2027")
    page.fill("[name=targets-0-indicator]", "发明专利申请")
    page.fill("[name=targets-0-target_value]", "10")
    page.fill("[name=targets-0-unit]", "项")
    page.fill("[name=investments-0-year]", "2027")
    page.select_option("[name=investments-0-source]", "self_raised")
    page.fill("[name=investments-0-amount]", "1200.5")
    page.get_by_role("button", name="添加金额").click()
    page.fill("[name=investments-1-year]", "2027")
    page.select_option("[name=investments-1-source]", "government")
    page.fill("[name=investments-1-amount]", "300")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    expect(page.locator(".investment-table tbody")).to_contain_text("1,500.50")
    shot(page, "alliance-09-work-plan")

    # Step 6: the check fails (one core enterprise has not confirmed yet), submitting lists it.
    page.get_by_role("link", name="检查并提交").first.click()
    problems = page.locator("#eligibility-problems")
    expect(problems).to_contain_text("已确认的核心企业只有 2 家，至少需要 3 家。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-danger")).to_contain_text("申报未提交：有 1 项检查未通过。")
    expect(problems).to_contain_text("另有 1 个邀请尚待答复")
    shot(page, "alliance-10-check-failed")
    alliance.refresh_from_db()
    assert (alliance.state, alliance.current_version) == (State.DRAFT, 0)

    # Fixed: the third member confirms; now the chairman submits version 1.
    confirm_invitation(page, live_server, cast["second"])
    page.context.clear_cookies()
    login(page, live_server, "wangfang", PASSWORD)
    page.goto(f"{live_server.url}/alliances/{alliance.pk}/step/6/")
    expect(page.locator("#eligibility-ok")).to_be_visible()
    shot(page, "alliance-11-check-passed")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已作为第 1 版提交")
    expect(page.locator("#status-panel")).to_contain_text("已提交")
    expect(page.locator("#versions")).to_contain_text("v1")
    shot(page, "alliance-12-submitted")

    version = ApplicationVersion.objects.get(alliance=alliance)
    assert version.number == 1
    assert {m["status"] for m in version.snapshot["members"]} == {Membership.Status.CONFIRMED}
    assert len(version.snapshot["members"]) == 4

    # The bureau finds it in the list and sees the same application.
    switch_user(page, live_server, cast["officer"])
    page.goto(live_server.url + "/alliances/?state=submitted")
    expect(page.locator("#result-count")).to_contain_text("1")
    expect(page.locator(".alliance-table")).to_contain_text(ALLIANCE)
    shot(page, "alliance-13-bureau-list")
    page.get_by_role("link", name=ALLIANCE).click()
    expect(page.locator("#agreement-download")).to_be_visible()
    shot(page, "alliance-14-bureau-detail")
    assert errors == []
    assert failed == []
