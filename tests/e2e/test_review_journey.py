"""The bureau's review in a real browser: screening, two experts score, three departments agree, the
public notice draws an objection that the officer resolves, and the alliance is designated a pilot unit
with a certificate and a place in the public register."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.models import Alliance
from alliances.workflow import State
from reviews.models import Department, DepartmentMembership, Designation, ExpertProfile, PublicNotice
from tests.factories import (
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    eligible_alliance,
    member_user,
)
from tests.reviews.conftest import submit

from .helpers import act, as_user, shot

pytestmark = pytest.mark.e2e

ALLIANCE = "淄博市先进陶瓷产业技术创新战略联盟"


@pytest.fixture
def cast(db):
    sector = SectorFactory()
    applicant = member_user(OrganisationFactory(name="淄博华光陶瓷科技有限公司"), full_name="华光 王芳")
    alliance = eligible_alliance(name=ALLIANCE, chairman=applicant.organisation, sector=sector)
    submit(alliance, applicant)
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    experts = []
    for name, title in (("陈建国", "教授"), ("刘海燕", "研究员")):
        user = UserFactory(roles=[Role.EXPERT], full_name=name)
        profile = ExpertProfile.objects.create(user=user, title=title,
                                               affiliation=OrganisationFactory(name=f"{name}所在研究院"))
        profile.sectors.set([sector])
        experts.append(profile)
    member_unit = alliance.memberships.exclude(organisation=alliance.chairman).first().organisation
    conflicted = ExpertProfile.objects.create(user=UserFactory(roles=[Role.EXPERT], full_name="赵利益"),
                                              title="高级工程师", affiliation=member_unit)
    conflicted.sectors.set([sector])
    reviewers = []
    for department in Department.objects.filter(joins_joint_review=True):
        user = UserFactory(roles=[Role.DEPARTMENT_REVIEWER], full_name=f"{department.name}审核人")
        DepartmentMembership.objects.create(user=user, department=department)
        reviewers.append(user)
    return {"alliance": alliance, "officer": officer, "experts": experts, "reviewers": reviewers,
            "conflicted": conflicted, "member_unit": member_unit}


def test_review_journey(page, live_server, cast):
    page.on("dialog", lambda dialog: dialog.accept())
    errors, failed = [], []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    alliance = cast["alliance"]
    review_url = f"{live_server.url}/reviews/applications/{alliance.pk}/"

    # 1. Screening: the officer finds the application in the queue, ticks the checklist, sends it on.
    as_user(page, live_server, cast["officer"])
    page.goto(live_server.url + "/reviews/")
    expect(page.locator("#review-queue")).to_contain_text(ALLIANCE)
    shot(page, "review-01-queue")
    page.get_by_role("link", name=ALLIANCE).first.click()
    expect(page.locator("#status-panel")).to_contain_text("已提交")
    expect(page.locator(".workflow-diagram .current")).to_contain_text("已提交")
    act(page, "开始形式审查")
    expect(page.locator(".alert-success")).to_contain_text("开始形式审查")
    expect(page.locator("#blocker-send_to_experts")).to_contain_text("形式审查清单尚未完成")
    for box in page.locator("#screening input[name=passed]").all():
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存审查清单").click()
    shot(page, "review-02-screening")
    act(page, "提交专家评审")
    expect(page.locator("h1 + div .state-badge")).to_have_text("专家评审")

    # 2. Expert assignment: the two matching experts are suggested; the member unit's expert is refused.
    conflicted_row = page.locator(f"#candidates tr[data-expert='{cast['conflicted'].pk}']")
    expect(conflicted_row).to_contain_text(f"专家所在单位“{cast['member_unit'].name}”是该联盟的成员单位")
    expect(conflicted_row.locator("input[type=checkbox]")).to_be_disabled()
    for expert in cast["experts"]:
        expect(page.locator(f"#expert-{expert.pk}")).to_be_checked()
    shot(page, "review-03-assign-experts")
    with page.expect_navigation():
        page.get_by_role("button", name="分配已勾选的专家").click()
    expect(page.locator("#assignments")).to_contain_text("待答复")

    # 3. Each expert accepts and scores; the second scores much lower (a strong disagreement).
    for expert, marks, recommendation in ((cast["experts"][0], 0.95, "同意"), (cast["experts"][1], 0.6, "修改后再审")):
        as_user(page, live_server, expert.user)
        page.goto(live_server.url + "/reviews/expert/")
        expect(page.locator("#my-assignments tbody tr")).to_have_count(1)
        page.get_by_role("link", name=ALLIANCE).click()
        with page.expect_navigation():
            page.get_by_role("button", name="接受").click()
        for field in page.locator("input.js-score").all():
            field.fill(str(round(float(field.get_attribute("max")) * marks * 2) / 2))
        expect(page.locator("#live-total")).not_to_have_text("–")
        page.get_by_label(recommendation, exact=True).check()
        page.fill("#id_comments", f"{expert.user.full_name}：技术路线清晰，产学研结合紧密。")
        if expert == cast["experts"][0]:
            shot(page, "review-04-scorecard")
        with page.expect_navigation():
            page.get_by_role("button", name="提交（不可更改）").click()
        expect(page.locator(".alert-success")).to_contain_text("您的评分已提交")
        expect(page.locator("#scorecard")).to_contain_text("已提交，不可更改")
    shot(page, "review-05-scored")

    # 4. The officer reads the scores (with the disagreement flag) and sends the application on.
    as_user(page, live_server, cast["officer"])
    page.goto(review_url)
    expect(page.locator("#disagreement-flag")).to_be_visible()
    expect(page.locator("#score-table")).to_contain_text("陈建国")
    page.locator("#scores").scroll_into_view_if_needed()
    shot(page, "review-06-scores")
    act(page, "提交会审")

    # 5. Joint review: each department agrees.
    for reviewer in cast["reviewers"]:
        as_user(page, live_server, reviewer)
        page.goto(live_server.url + "/reviews/joint/")
        page.get_by_role("link", name=ALLIANCE).click()
        page.get_by_label("同意", exact=True).check()
        if reviewer == cast["reviewers"][0]:
            shot(page, "review-07-joint-opinion")
        with page.expect_navigation():
            page.get_by_role("button", name="提交意见").click()
        expect(page.locator(".alert-success")).to_contain_text("意见已记录")

    # 6. The departments' agreement started the public notice; it opens (moved to today) and anyone may
    #    object without signing in.
    as_user(page, live_server, cast["officer"])
    page.goto(review_url)
    expect(page.locator("h1 + div .state-badge")).to_have_text("公示")
    expect(page.locator("#joint-outcome")).to_contain_text("符合通过规则")
    expect(page.locator("#status-panel")).to_contain_text("会审通过")
    PublicNotice.objects.filter(alliance=alliance).update(starts_on=timezone.localdate())
    page.context.clear_cookies()
    page.goto(live_server.url + "/reviews/notices/")
    expect(page.locator("main")).to_contain_text(ALLIANCE)
    shot(page, "review-08-public-notices")
    page.get_by_role("link", name=ALLIANCE).click()
    page.fill("#id_name", "刘明")
    page.fill("#id_phone", "1370000")
    page.fill("#id_text", "该联盟的一家成员单位已于今年注销，请核实。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交异议").click()
    expect(page.locator("#id_phone")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_text")).to_have_value("该联盟的一家成员单位已于今年注销，请核实。")
    page.fill("#id_phone", "13700001111")
    with page.expect_navigation():
        page.get_by_role("button", name="提交异议").click()
    expect(page.locator(".alert-success")).to_contain_text("您的异议已记录")
    shot(page, "review-09-objection")

    # 7. The officer resolves the objection and, after the notice, designates the alliance.
    as_user(page, live_server, cast["officer"])
    page.goto(review_url + "#objections")
    page.fill("textarea[name=resolution]", "经核实，该成员单位仍在存续，异议不成立。")
    with page.expect_navigation():
        page.get_by_role("button", name="异议不成立").click()
    today = timezone.localdate()
    PublicNotice.objects.filter(alliance=alliance).update(starts_on=today - datetime.timedelta(days=10),
                                                          ends_on=today - datetime.timedelta(days=1))
    page.goto(review_url)
    act(page, "认定为试点单位")
    designation = Designation.objects.get(alliance=alliance)
    expect(page.locator("#designation")).to_contain_text(designation.certificate_number)
    shot(page, "review-10-designated")
    page.locator("#designation").get_by_role("link", name="证书").click()
    expect(page.locator(".certificate")).to_contain_text(ALLIANCE)
    expect(page.locator(".certificate")).to_contain_text("试点单位")
    shot(page, "review-11-certificate")

    page.context.clear_cookies()
    page.goto(live_server.url + "/reviews/register/")
    expect(page.locator("#register")).to_contain_text(designation.certificate_number)
    shot(page, "review-12-register")

    assert Alliance.objects.get(pk=alliance.pk).state == State.PILOT
    assert errors == []  # no CSP violation, no script error
    assert failed == []
