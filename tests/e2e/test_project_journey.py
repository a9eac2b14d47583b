"""A project's life in a real browser: the lead unit files it, the bureau approves it (立项), the lead unit files
two progress reports a quarter apart, asks for an extension, and the bureau approves the extension.

The server's clock is moved with time-machine (the browser keeps real time, so the clock only moves forward:
session cookies stay valid). Screenshots go to artifacts/h5/.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from projects.models import ChangeRequest, Project
from projects.workflow import ProjectState
from tests.factories import PASSWORD, AllianceFactory, confirmed_member, member_user

from .helpers import REPO_ROOT, login

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHOTS = REPO_ROOT / "artifacts" / "h5"


def snap(page, name) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"journey-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_file_approve_report_twice_and_extend(browser, live_server, page, officer, clock_driven_cache):
    alliance = AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟")
    lead = confirmed_member(alliance, name="淄博华瓷新材料有限公司")
    member_user(organisation=lead.organisation, username="huaci", full_name="刘强")
    officer.username = "wangkz"
    officer.set_password(PASSWORD)
    officer.save()

    with time_machine.travel(datetime(2027, 2, 10, 9, 0, tzinfo=SHANGHAI), tick=True) as clock:
        # --- the lead unit files the project -------------------------------------------------------------
        login(page, live_server, "huaci", PASSWORD)
        page.goto(f"{live_server.url}/projects/")
        page.get_by_role("button", name="申报项目").click()
        page.get_by_role("link", name=alliance.name).click()
        expect(page.locator("main h1")).to_have_text("申报项目")
        page.fill("input[name=title]", "陶瓷膜低温烧结关键技术研发")
        page.select_option("select[name=kind]", "common_rd")
        page.select_option("select[name=participants-0-organisation]", str(alliance.chairman_id))
        page.fill("input[name=participants-0-task]", "中试验证")
        page.fill("textarea[name=objectives]", "突破陶瓷膜低温烧结关键技术，建成中试线。")
        page.fill("textarea[name=key_indicators]", "烧结温度≤1250℃；膜通量≥800 L/(m²·h)。")
        page.fill("input[name=planned_patents_applied]", "4")
        page.fill("input[name=start_date]", "2027-01-01")
        page.fill("input[name=end_date]", "2028-06-30")
        page.fill("input[name=milestones-0-title]", "完成小试")
        page.fill("input[name=milestones-0-due_date]", "2027-03-31")
        page.fill("input[name=milestones-1-title]", "建成中试线")
        page.fill("input[name=milestones-1-due_date]", "2028-03-31")
        page.fill("input[name=total_investment]", "900")
        page.fill("input[name=budget-0-year]", "2027")
        page.fill("input[name=budget-0-self_raised]", "400")
        page.fill("input[name=budget-0-government]", "100")
        page.fill("input[name=budget-1-year]", "2028")
        page.fill("input[name=budget-1-self_raised]", "300")
        page.fill("input[name=budget-1-bank_loans]", "50")
        expect(page.locator("#budget-sum")).to_have_text("850.0000")  # the live sum shows the gap
        page.get_by_role("button", name="增加年度").click()
        page.fill("input[name=budget-2-year]", "2028")
        page.fill("input[name=budget-2-other]", "50")
        snap(page, "01-filing-form")
        page.get_by_role("button", name="保存草稿").click()
        # the same year twice is marked beside the field, and what was typed stays
        expect(page.locator(".invalid-feedback", has_text="该年度重复填写")).to_be_visible()
        expect(page.locator("input[name=title]")).to_have_value("陶瓷膜低温烧结关键技术研发")
        page.fill("input[name=budget-2-year]", "")
        page.fill("input[name=budget-2-other]", "0")
        page.fill("input[name=budget-1-other]", "50")
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator("main h1")).to_contain_text("陶瓷膜低温烧结关键技术研发")
        expect(page.locator("h1 .state-badge")).to_have_text("草稿")
        page.locator("form[action$='/submit/'] button").click()
        expect(page.locator("h1 .state-badge")).to_have_text("已提交")
        snap(page, "02-submitted")
        project = Project.objects.get()

        # --- the bureau approves it --------------------------------------------------------------------
        officer_page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
        login(officer_page, live_server, "wangkz", PASSWORD)
        officer_page.goto(f"{live_server.url}/projects/?state=submitted")
        expect(officer_page.locator("#result-count")).to_contain_text("共1个项目")
        officer_page.get_by_role("link", name="陶瓷膜低温烧结关键技术研发").click()
        officer_page.locator("a[href$='/approve/']").click()
        officer_page.fill("input[name=granted_funding]", "80")
        officer_page.fill("textarea[name=comment]", "同意立项，请按季度报告进展。")
        officer_page.get_by_role("button", name="立项", exact=True).click()
        expect(officer_page.locator("#approval-number")).to_contain_text("LM-2027-0001")
        expect(officer_page.locator("h1 .state-badge")).to_have_text("已立项")
        snap(officer_page, "03-approved")

        # --- first progress report (Q1 2027) -------------------------------------------------------------
        page.goto(f"{live_server.url}/projects/{project.pk}/")
        expect(page.locator("#approval-number")).to_contain_text("LM-2027-0001")
        page.get_by_role("link", name="填报进展报告").click()
        expect(page.locator("main h1")).to_have_text("2027年第1季度进展报告")
        page.check("input[name=started]")
        page.fill("input[name=completed_self_raised]", "120")
        page.fill("input[name=completed_government]", "30")
        page.fill("input[name=government_funds_used]", "20")
        page.fill("input[name=patents_applied]", "1")
        page.get_by_label("完成小试").check()
        snap(page, "04-first-report-form")
        page.get_by_role("button", name="提交报告").click()
        expect(page.locator(".alert-success")).to_contain_text("2027年第1季度进展报告已提交")
        snap(page, "05-first-report")

        # --- a quarter later: the second report ----------------------------------------------------------
        clock.move_to(datetime(2027, 5, 12, 9, 0, tzinfo=SHANGHAI))
        login(page, live_server, "huaci", PASSWORD)  # three months idle: the session has expired
        page.goto(f"{live_server.url}/projects/{project.pk}/")
        expect(page.locator("h1 .state-badge")).to_have_text("实施中")
        page.get_by_role("link", name="填报进展报告").click()
        expect(page.locator("main h1")).to_have_text("2027年第2季度进展报告")
        expect(page.locator("input[name=completed_self_raised]")).to_have_value("120.0000")  # starts from Q1
        page.fill("input[name=completed_self_raised]", "100")
        page.get_by_role("button", name="提交报告").click()
        expect(page.locator("#id_completed_self_raised").locator("..")).to_contain_text("低于上期报告")
        page.fill("input[name=completed_self_raised]", "260")
        page.fill("input[name=completed_bank_loans]", "20")
        page.fill("input[name=patents_applied]", "3")
        page.fill("textarea[name=problems]", "进口烧结炉到货延迟。")
        page.get_by_role("button", name="提交报告").click()
        expect(page.locator(".alert-success")).to_contain_text("2027年第2季度进展报告已提交")
        page.get_by_role("link", name="返回项目").click()
        expect(page.locator("#investment-ratio")).to_have_text("34.4%")  # (260 + 20 + 30) / 900
        expect(page.locator("#milestone-completion")).to_have_text("1/2")
        snap(page, "06-two-reports")

        # --- an extension, requested and approved --------------------------------------------------------
        page.get_by_role("button", name="申请变更").click()
        page.get_by_role("link", name="项目延期").click()
        page.fill("input[name=end_date]", "2028-12-31")
        page.fill("textarea[name=justification]", "进口设备到货延迟，申请延期6个月。")
        page.get_by_role("button", name="报送科技局").click()
        expect(page.locator("#change-status")).to_have_text("待审批")
        change = ChangeRequest.objects.get()

        login(officer_page, live_server, "wangkz", PASSWORD)
        officer_page.goto(f"{live_server.url}/projects/changes/{change.pk}/")
        expect(officer_page.locator("#change-values")).to_contain_text("2028年6月30日")
        expect(officer_page.locator("#change-values")).to_contain_text("2028年12月31日")
        officer_page.fill("textarea[name=comment]", "同意延期。")
        officer_page.get_by_role("button", name="批准变更").click()
        expect(officer_page.locator("#change-status")).to_have_text("已批准")
        snap(officer_page, "07-extension-approved")

        page.goto(f"{live_server.url}/projects/{project.pk}/")
        expect(page.locator("main")).to_contain_text("2027年1月1日 – 2028年12月31日")
        history = page.locator("#change-history")
        expect(history).to_contain_text(f"第{change.pk}号变更申请获批：项目延期")
        expect(history).to_contain_text("2028年6月30日")
        snap(page, "08-project-after-extension")
        officer_page.context.close()

    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS
    assert [r.period_start.month for r in project.reports.order_by("period_start")] == [1, 4]
    assert str(project.end_date) == "2028-12-31"
