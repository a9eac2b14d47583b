"""The lead unit of an alliance project files a progress report with the keyboard alone: from the project
page to the report by Tab and Enter, figures typed, a milestone ticked with Space, the focus visible at every
stop. A figure lower than the previous report's is refused: the error summary takes the focus and its link
leads to the field, which is corrected the same way."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from projects.models import ProgressReport
from tests.factories import PASSWORD, AllianceFactory, confirmed_member, member_user
from tests.projects.factories import approved_project, report_for

from .helpers import shot
from .keyboard import (
    button,
    error_summary_leads_to,
    follow,
    link,
    press_space,
    sign_in,
    tab_through_form,
    tab_to,
)

TITLE = "陶瓷膜低温烧结关键技术研发"


def test_lead_unit_files_a_progress_report_with_the_keyboard_alone(page, live_server):
    # A project of last year and next, approved at its start, whose first quarter is reported already.
    year = timezone.localdate().year - 1
    alliance = AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟")
    lead = confirmed_member(alliance, name="淄博华瓷新材料有限公司")
    user = member_user(organisation=lead.organisation, full_name="项目负责人 刘强")
    project = approved_project(
        alliance=alliance, lead_unit=lead.organisation, title=TITLE, start_date=date(year, 1, 1),
        end_date=date(year + 2, 12, 31), approved_at=datetime(year, 1, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        milestones=[("完成小试", date(year, 6, 30)), ("建成中试线", date(year + 2, 6, 30))])
    report_for(project, period_start=date(year, 1, 1), completed=("120", "0", "30", "0"), used="20")

    sign_in(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    tab_to(page, link("填报进展报告"))
    follow(page)
    expect(page.locator("main h1")).to_have_text(f"{year}年第2季度进展报告")
    expect(page.locator("#id_completed_self_raised")).to_have_value("120.0000")  # starts from the last report

    answers = {
        "id_completed_self_raised": "100",  # lower than the 120 reported: a mistake
        "id_completed_bank_loans": "20",
        "id_milestones_reached_0": press_space,
        "id_patents_applied": "3",
        "id_problems": "进口烧结炉到货延迟。",
    }
    reached = tab_through_form(page, answers, stop="提交报告")
    assert set(answers) <= set(reached), set(answers) - set(reached)
    follow(page)

    field = page.locator("#id_completed_self_raised")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + field.get_attribute("aria-describedby").split()[0])).to_contain_text("低于上期报告")
    shot(page, "keyboard-report-error-summary")
    error_summary_leads_to(page, "id_completed_self_raised")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("260")
    tab_to(page, button("提交报告"))
    follow(page)

    expect(page.locator(".alert-success")).to_contain_text(f"{year}年第2季度进展报告已提交")
    shot(page, "keyboard-report-filed")
    report = ProgressReport.objects.get(project=project, period_start=date(year, 4, 1))
    assert (report.completed_self_raised, report.completed_bank_loans, report.patents_applied, report.problems) == (
        Decimal("260"), Decimal("20"), 3, "进口烧结炉到货延迟。")
    assert list(project.milestones.filter(reached_on__isnull=False).values_list("title", flat=True)) == ["完成小试"]
