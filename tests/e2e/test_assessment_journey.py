"""The biennial assessment in a real browser: the officer opens it, the chairman unit files its
self-assessment, three experts score it, the officer decides: the pilot becomes a demonstration unit."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.models import Alliance, YearlyTarget
from alliances.workflow import State
from tests.assessments.conftest import designate_pilot
from tests.factories import PASSWORD, UserFactory, member_user
from tests.reviews.conftest import make_expert

from .helpers import login, shot

pytestmark = pytest.mark.e2e

ALLIANCE = "淄博先进陶瓷产业技术创新战略联盟"


@pytest.fixture
def cast(live_server):
    """A pilot designated two years and a month ago, its chairman's secretary, an officer, three experts."""
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    chairman = member_user(full_name="联盟秘书长 刘洋")
    designated = timezone.localtime() - datetime.timedelta(days=2 * 365 + 30)
    with time_machine.travel(designated, tick=False):
        alliance = designate_pilot(chairman, officer, name=ALLIANCE)
    YearlyTarget.objects.create(work_plan=alliance.work_plan, year=timezone.localdate().year,
                                indicator="联盟标准制定", target_value=2, unit="项")
    experts = [make_expert(name=name) for name in ("张教授", "李研究员", "赵高工")]
    return {"officer": officer, "chairman": chairman, "alliance": alliance, "experts": experts}


def _accept_confirmations(page):
    page.on("dialog", lambda dialog: dialog.accept())


def test_pilot_becomes_demonstration_unit_through_the_pages(page, live_server, cast):
    _accept_confirmations(page)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # The officer sees the alliance due and opens its biennial assessment.
    login(page, live_server, cast["officer"].username, PASSWORD)
    page.goto(live_server.url + "/assessments/")
    due = page.locator("#due")
    expect(due).to_contain_text(ALLIANCE)
    shot(page, "assessment-01-officer-list-due")
    due.get_by_role("link", name="启动考核").click()
    expect(page.locator("#id_alliance")).to_have_value(str(cast["alliance"].pk))
    page.fill("#id_comment", "请于截止日期前提交自评报告。")
    shot(page, "assessment-02-open-form")
    page.get_by_role("button", name="启动考核").click()
    expect(page.locator(".alert-success")).to_contain_text("考核已启动")
    expect(page.locator("h1")).to_have_text(ALLIANCE)
    shot(page, "assessment-03-opened")

    # The chairman unit's secretary finds it on the to-do page and fills in the self-assessment.
    page.context.clear_cookies()
    login(page, live_server, cast["chairman"].username, PASSWORD)
    page.get_by_role("link", name=re.compile("自评报告待填报")).click()
    page.get_by_role("link", name="填写").click()
    expect(page.locator("#section-goals")).to_contain_text("联盟标准制定")
    page.fill("[name=targets-0-achieved_value]", "2")
    page.fill("#id_projects_started", "8")
    page.fill("#id_achievements", "突破高性能陶瓷低温烧结关键技术三项。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    expect(page.locator("#missing")).to_contain_text("成员单位销售收入")
    shot(page, "assessment-04-self-assessment-draft")
    for field, value in {"projects_completed": "5", "investment_completed": "1850.5", "patents_applied": "14",
                         "patents_granted": "6", "standards": "2", "new_products": "4", "activities_held": "5",
                         "revenue": "125000"}.items():
        page.fill(f"#id_{field}", value)
    page.fill("#id_goals_summary", "完成工作方案确定的主要目标。")
    page.fill("#id_problems", "中小企业参与度有待提高。")
    page.fill("#id_next_steps", "建设公共技术服务平台，吸收新成员。")
    page.get_by_role("button", name="提交科技局").click()
    expect(page.locator(".alert-success")).to_contain_text("自评报告已提交")
    expect(page.locator("#self-assessment")).to_contain_text("突破高性能陶瓷低温烧结关键技术三项。")
    shot(page, "assessment-05-self-assessment-submitted")

    # The officer asks three experts.
    page.context.clear_cookies()
    login(page, live_server, cast["officer"].username, PASSWORD)
    page.goto(live_server.url + "/assessments/")
    page.get_by_role("link", name=ALLIANCE).click()
    for expert in cast["experts"]:
        page.select_option("#id_expert", str(expert.pk))
        page.get_by_role("button", name="指派").click()
        expect(page.locator(".alert-success")).to_contain_text(str(expert))
    shot(page, "assessment-06-experts-assigned")

    # Each expert scores on the scorecard; the total follows the scores as they type.
    for number, expert in enumerate(cast["experts"]):
        page.context.clear_cookies()
        login(page, live_server, expert.user.username, PASSWORD)
        page.goto(live_server.url + "/assessments/scorecards/")
        # Wait for the scorecard to load: .all() does not wait, and a list read while the previous page
        # is still shown is empty.
        with page.expect_navigation():
            page.get_by_role("link", name="评分", exact=True).click()
        for score in page.locator(".js-score").all():
            score.fill("9")
        expect(page.locator(".js-score-total")).to_have_text("90.00")
        page.fill("#id_opinion", "联盟运行规范，成效显著，建议认定为示范单位。")
        if number == 0:
            shot(page, "assessment-07-expert-scorecard")
        page.get_by_role("button", name="提交评分").click()
        expect(page.locator(".alert-success")).to_contain_text("评分已提交")

    # The officer sees the mean score and decides; the alliance becomes a demonstration unit.
    page.context.clear_cookies()
    login(page, live_server, cast["officer"].username, PASSWORD)
    page.goto(live_server.url + f"/assessments/{cast['alliance'].assessment_rounds.get().pk}/")
    expect(page.locator("#decision")).to_contain_text("90.00")
    shot(page, "assessment-08-decision")
    page.fill("#id_comment", "同意认定为示范单位。")
    page.get_by_role("button", name="作出考核结论").click()
    expect(page.locator("#outcome")).to_contain_text("认定为示范单位")
    page.select_option("#id_stage", "maturity")
    for dimension in ("technology_development", "economic_condition", "industry_position", "structural_stability",
                      "management_mechanisms", "innovation_goals"):
        page.select_option(f"#id_{dimension}_rating", "5")
        page.fill(f"#id_{dimension}_comment", "稳定向好")
    page.fill("#id_reason", "技术路线清晰，成员稳定，成果持续产出。")
    page.get_by_role("button", name="保存阶段与健康度").click()
    expect(page.locator("#lifecycle")).to_contain_text("成熟期")
    shot(page, "assessment-09-decided")
    page.goto(live_server.url + f"/alliances/{cast['alliance'].pk}/")
    expect(page.locator("#assessment-panel")).to_contain_text("成熟期")
    expect(page.locator("#assessment-panel")).to_contain_text("认定为示范单位")
    shot(page, "assessment-15-alliance-page-panel")

    assert Alliance.objects.get(pk=cast["alliance"].pk).state == State.DEMONSTRATION
    assert not [error for error in errors if "Content Security Policy" in error], errors


def test_failed_pilot_is_rectified_reassessed_and_revoked(page, live_server, cast):
    from assessments import services
    from tests.assessments.conftest import fill_self_assessment, score_all

    _accept_confirmations(page)
    alliance, officer, chairman = cast["alliance"], cast["officer"], cast["chairman"]
    assessment = services.open_assessment(alliance, by=officer)
    fill_self_assessment(assessment, chairman)
    score_all(assessment, cast["experts"], officer, fraction=0.5)

    # The officer decides: a fail needs a deadline and the required actions, asked for beside the fields.
    login(page, live_server, officer.username, PASSWORD)
    page.goto(live_server.url + assessment.get_absolute_url())
    expect(page.locator("#decision")).to_contain_text("不合格")
    page.fill("#id_rectification_deadline", "")
    page.get_by_role("button", name="作出考核结论").click()
    expect(page.locator("#decision")).to_contain_text("请设定整顿期限")
    expect(page.locator("#decision")).to_contain_text("请列出联盟须完成的整顿要求")
    shot(page, "assessment-10-fail-needs-rectification-terms")
    deadline = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    page.fill("#id_rectification_deadline", deadline)
    page.fill("#id_required_actions", "1. 补足研发投入缺口；\n2. 召开理事会，调整技术路线；\n3. 吸收两家以上核心企业。")
    page.get_by_role("button", name="作出考核结论").click()
    expect(page.locator("#outcome")).to_contain_text("责令整顿")

    # The chairman unit reports on the rectification.
    page.context.clear_cookies()
    login(page, live_server, chairman.username, PASSWORD)
    page.get_by_role("link", name=re.compile("整顿报告待提交")).click()
    page.get_by_role("link", name=ALLIANCE).first.click()
    page.locator("#outcome").get_by_role("link", name=re.compile("整顿期限")).click()
    page.fill("#id_report", "已补足研发投入1200万元，召开理事会两次，新吸收核心企业一家。")
    shot(page, "assessment-11-rectification-report")
    page.get_by_role("button", name="提交整顿报告").click()
    expect(page.locator("#report")).to_contain_text("已补足研发投入")

    # The officer opens the re-assessment and revokes the title.
    page.context.clear_cookies()
    login(page, live_server, officer.username, PASSWORD)
    page.goto(live_server.url + assessment.rectification.get_absolute_url())
    page.get_by_role("button", name="启动复核").click()
    expect(page.locator(".alert-success")).to_contain_text("复核已启动")
    expect(page.locator("#rectification-under-review")).to_contain_text("已补足研发投入")
    page.get_by_label("撤销称号").check()
    page.fill("#id_comment", "整顿后仍未达到试点单位要求，撤销试点单位称号。")
    shot(page, "assessment-12-reassessment-decision")
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#outcome")).to_contain_text("撤销称号")
    shot(page, "assessment-13-revoked")

    # The public register no longer lists it; its history is still on the assessment list.
    page.goto(live_server.url + "/assessments/?outcome=rectification")
    expect(page.locator("#assessment-table")).to_contain_text(ALLIANCE)
    shot(page, "assessment-14-list-filtered")
    page.context.clear_cookies()
    page.goto(live_server.url + "/reviews/register/")
    expect(page.locator("main")).not_to_contain_text(ALLIANCE)
    assert Alliance.objects.get(pk=alliance.pk).state == State.REVOKED
