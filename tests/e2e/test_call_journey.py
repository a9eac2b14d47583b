"""A call's whole path in a real browser: the officer opens a call (district recommendation and site visits
on), the public reads it, a unit applies and uploads the call's documents, its district recommends it,
the officer screens it, two experts score, a site visit is recorded, the departments agree, the batch is
released (the public reads its notice) and designated; screenshots of the public call page, the public
notice and the designation document."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.models import Alliance
from alliances.workflow import State
from calls.models import Call
from reviews.models import BatchDecision, Department, Designation
from tests.factories import (
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    district_reviewer,
    eligible_alliance,
    member_user,
)
from tests.recommendations.conftest import pdf_bytes
from tests.reviews.batch_fixtures import end_batch_notice
from tests.reviews.conftest import make_department_reviewer, make_expert
from tests.site_visits.conftest import png_bytes

from .helpers import act, as_user, shot

pytestmark = pytest.mark.e2e

TITLE = "2026年度第一批产业技术创新战略联盟申报"
ALLIANCE = "淄博市先进陶瓷产业技术创新战略联盟"
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # the window's datetime-local inputs, in the bureau's time


def test_call_journey(page, live_server, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of publish, release, designate
    failed = []
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 500 else None)
    sector = SectorFactory()
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    applicant = member_user(OrganisationFactory(name="淄博华光陶瓷科技有限公司"), full_name="华光 王芳")
    reviewer = district_reviewer(applicant.organisation.district, full_name="张店区科技局 刘科长")
    pdf = tmp_path / "扫描件.pdf"
    pdf.write_bytes(pdf_bytes())

    # 1. The officer creates the call on the call pages (both optional stages on) and publishes it.
    as_user(page, live_server, officer)
    page.goto(f"{live_server.url}/calls/manage/new/")
    now = timezone.localtime()
    page.fill("#id_title", TITLE)
    page.fill("#id_year", "2026")
    page.fill("#id_batch_number", "1")
    page.fill("#id_guide", "## 申报条件\n\n- 联盟成员不少于5家，其中核心企业不少于3家")
    page.get_by_label(sector.name, exact=True).check()
    page.fill("#id_opens_at", (now - datetime.timedelta(days=1)).strftime(LOCAL_INPUT))
    page.fill("#id_closes_at", (now + datetime.timedelta(days=30)).strftime(LOCAL_INPUT))
    page.check("#id_requires_district_recommendation")
    page.check("#id_uses_site_visits")
    with page.expect_navigation():
        page.locator("form button[type=submit]", has_text="保存").click()
    expect(page.locator(".alert-success")).to_be_visible()
    call = Call.objects.get(title=TITLE)
    assert (call.requires_district_recommendation, call.uses_site_visits, call.is_published) == (True, True, False)
    assert list(call.required_documents.values_list("name", flat=True)) == [
        "区县科技主管部门推荐函", "成员单位营业执照（复印件加盖公章）"]
    with page.expect_navigation():
        page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("h1 + .badge")).to_have_text("受理中")
    call.refresh_from_db()
    assert call.is_published

    # 2. Anyone reads the call without signing in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text(TITLE)
    expect(page.locator("h1 + .badge")).to_have_text("受理中")
    expect(main).to_contain_text("核心企业不少于3家")
    expect(main).to_contain_text("区县科技主管部门推荐函")
    shot(page, "call-journey-01-public-call")

    # 3. The member unit's application in this call (its content prepared by the factories); the unit
    #    uploads the call's documents and submits on the check page.
    alliance = eligible_alliance(name=ALLIANCE, chairman=applicant.organisation, call=call, sector=sector)
    as_user(page, live_server, applicant)
    page.goto(f"{live_server.url}/calls/application/{alliance.pk}/documents/")
    for document in call.required_documents.all():
        page.select_option("#id_required_document", str(document.pk))
        page.set_input_files("#id_file", str(pdf))
        with page.expect_navigation():
            page.get_by_role("button", name="上传").click()
        expect(page.locator(f"#document-status [data-document='{document.pk}']")).to_contain_text("已上传")
    page.goto(f"{live_server.url}/alliances/{alliance.pk}/step/6/")
    expect(page.locator("#eligibility-ok")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已作为第 1 版提交")
    expect(page.locator("#status-panel")).to_contain_text("区县推荐")
    alliance.refresh_from_db()
    assert (alliance.state, alliance.current_version) == (State.DISTRICT_REVIEW, 1)

    # 4. Its district reviewer recommends it with the letter.
    as_user(page, live_server, reviewer)
    page.goto(f"{live_server.url}/recommendations/")
    expect(page.locator("#district-queue")).to_contain_text(ALLIANCE)
    page.click("#district-queue a.fw-semibold")
    page.set_input_files("#recommend-form input[type=file]", str(pdf))
    with page.expect_navigation():
        page.click("#recommend-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    alliance.refresh_from_db()
    assert alliance.state == State.SUBMITTED

    # 5. The officer screens it and assigns the two experts of its sector.
    experts = [make_expert(name=name, sectors=[sector]) for name in ("陈建国", "刘海燕")]
    review_url = f"{live_server.url}/reviews/applications/{alliance.pk}/"
    as_user(page, live_server, officer)
    page.goto(review_url)
    expect(page.locator("h1 + div .state-badge")).to_have_text("已提交")
    act(page, "开始形式审查")
    for box in page.locator("#screening input[name=passed]").all():
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存审查清单").click()
    act(page, "提交专家评审")
    expect(page.locator("h1 + div .state-badge")).to_have_text("专家评审")
    for expert in experts:
        expect(page.locator(f"#expert-{expert.pk}")).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="分配已勾选的专家").click()
    expect(page.locator("#assignments")).to_contain_text("待答复")

    # 6. Each expert accepts and scores on the scorecard page.
    for expert in experts:
        as_user(page, live_server, expert.user)
        page.goto(live_server.url + "/reviews/expert/")
        page.get_by_role("link", name=ALLIANCE).click()
        with page.expect_navigation():
            page.get_by_role("button", name="接受").click()
        for field in page.locator("input.js-score").all():
            field.fill(str(round(float(field.get_attribute("max")) * 0.9 * 2) / 2))
        page.get_by_label("同意", exact=True).check()
        page.fill("#id_comments", f"{expert.user.full_name}：技术路线清晰，产学研结合紧密。")
        with page.expect_navigation():
            page.get_by_role("button", name="提交（不可更改）").click()
        expect(page.locator("#scorecard")).to_contain_text("已提交，不可更改")

    # 7. The officer schedules the site visit, records the findings and sends it to the joint review.
    visitor = make_expert(name="考察专家 孙教授")
    as_user(page, live_server, officer)
    page.goto(review_url)
    expect(page.locator("#score-table")).to_contain_text("陈建国")
    page.click("#schedule-site-visit")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.check(f"#team-{visitor.user.pk}")
    with page.expect_navigation():
        page.click("#schedule-form button[type=submit]")
    photo = tmp_path / "研发中心.png"
    photo.write_bytes(png_bytes())
    for item in ("staff", "facilities", "investment", "agreement_originals"):
        page.check(f"#id_{item}_verified_0")
    page.check("#id_conclusion_0")
    page.fill("#id_summary", "研发中心、中试线与申报一致，协议原件齐全。")
    page.set_input_files("#attachments", str(photo))
    with page.expect_navigation():
        page.click("#findings-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("研发中心、中试线与申报一致")
    page.goto(review_url)
    expect(page.locator("h1 + div .state-badge")).to_have_text("实地考察")
    act(page, "提交会审")
    expect(page.locator("h1 + div .state-badge")).to_have_text("会审")

    # 8. Each department agrees; in a call the application waits in joint review for the batch.
    for department in Department.objects.filter(joins_joint_review=True, is_active=True):
        as_user(page, live_server, make_department_reviewer(department.code, f"{department.name}审核人"))
        page.goto(live_server.url + "/reviews/joint/")
        page.get_by_role("link", name=ALLIANCE).click()
        page.get_by_label("同意", exact=True).check()
        with page.expect_navigation():
            page.get_by_role("button", name="提交意见").click()
        expect(page.locator(".alert-success")).to_contain_text("意见已记录")
    assert Alliance.objects.get(pk=alliance.pk).state == State.JOINT_REVIEW

    # 9. The officer stages the outcome on the batch page. A batch is released only after the call's
    #    window closes (a later applicant must not find the batch decided), and the calendar is not ours
    #    to wait for: the window is closed here, as if thirty days had passed.
    as_user(page, live_server, officer)
    page.goto(f"{live_server.url}/calls/manage/{call.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="批次决定").click()
    row = page.locator(f"form[action$='/applications/{alliance.pk}/outcome/']")
    row.locator("input[value=proposed_pilot]").check()
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator("#release .batch-blockers")).to_contain_text("截止")
    expect(page.locator("#release button[type=submit]")).to_be_disabled()
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    page.reload()
    expect(page.locator("#release button[type=submit]")).to_be_enabled()
    with page.expect_navigation():
        page.locator("#release button[type=submit]").click()
    expect(page.locator("#public-notice-link")).to_be_visible()
    assert Alliance.objects.get(pk=alliance.pk).state == State.PUBLIC_NOTICE

    # 10. Anyone reads the batch's public notice without signing in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/reviews/calls/{call.pk}/notice/")
    expect(page.locator("#batch-notice-list")).to_contain_text(ALLIANCE)
    expect(page.locator("#batch-notice-list")).to_contain_text("淄博华光陶瓷科技有限公司")
    expect(page.locator("main")).to_contain_text(TITLE)
    shot(page, "call-journey-02-public-notice")

    # 11. After the notice period the officer designates the batch and opens the designation document.
    end_batch_notice(call)
    as_user(page, live_server, officer)
    page.goto(f"{live_server.url}/reviews/calls/{call.pk}/batch/")
    with page.expect_navigation():
        page.locator("#designate button[type=submit]").click()
    designation = Designation.objects.get(alliance=alliance)
    decision = BatchDecision.objects.get(call=call)
    assert re.fullmatch(r"〔\d{4}〕\d{3}", designation.certificate_number)
    assert decision.document_number
    with page.expect_navigation():
        page.locator("#document-link").click()
    document = page.locator(".designation-document")
    expect(document).to_contain_text(ALLIANCE)
    expect(document).to_contain_text(designation.certificate_number)
    expect(page.locator(".document-number")).to_contain_text(decision.document_number)
    shot(page, "call-journey-03-designation-document")

    assert Alliance.objects.get(pk=alliance.pk).state == State.PILOT
    assert failed == []
