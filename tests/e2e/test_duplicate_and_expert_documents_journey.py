"""Issue 20, points 2 and 4 in a real browser. An application named almost exactly like a designated pilot of the
same sector is warned of at every stage (重复建设): when it is created, on the check page before it is submitted, in
screening, on the expert's scoring page, in the joint review, and the officer must write down a reason before
proposing it as a pilot. The expert who accepted opens the signed agreement and the call's documents from the
scoring page (each download audited) until they submit their scores."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AuditEvent
from accounts.roles import Role
from alliances.models import Alliance
from alliances.workflow import State
from calls import services as calls
from calls.models import RequiredDocument
from demo.pdf import agreement_pdf
from reviews import services as review
from reviews.models import Department, DepartmentMembership, ExpertProfile, StagedOutcome
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, eligible_alliance, member_user
from tests.reviews.batch_fixtures import batch_call
from tests.reviews.conftest import full_marks

from .helpers import act, as_user, shot

pytestmark = pytest.mark.e2e

PILOT = "淄博市先进陶瓷产业技术创新战略联盟"
LOOKALIKE = "淄博先进陶瓷产业技术创新战略联盟"


@pytest.fixture
def cast(db):
    call = batch_call(opens_at=timezone.now() - datetime.timedelta(days=30),
                      closes_at=timezone.now() + datetime.timedelta(days=10), title="2026年度第二批产业技术创新战略联盟申报")
    licence = RequiredDocument.objects.create(call=call, name="成员单位营业执照", name_en="Business licences")
    pilot = AllianceFactory(name=PILOT)
    Alliance.objects.filter(pk=pilot.pk).update(state=State.PILOT)
    sector = pilot.sector
    applicant = member_user(OrganisationFactory(name="淄博华瓷新材料有限公司"), full_name="华瓷 李敏")
    draft = eligible_alliance(name=LOOKALIKE, sector=sector, chairman=applicant.organisation, call=call)
    draft.agreements.get().file.save("agreement.pdf", ContentFile(agreement_pdf("Agreement", ["理事会章程"], pages=2)))
    calls.upload_document(draft, required_document=licence, by=applicant,
                          file=ContentFile(agreement_pdf("Licence", ["营业执照"], pages=1), name="营业执照.pdf"))
    newcomer = member_user(OrganisationFactory(name="淄博新瓷科技有限公司"), full_name="新瓷 赵强")
    experts = []
    for name in ("陈建国", "刘海燕"):
        profile = ExpertProfile.objects.create(user=UserFactory(roles=[Role.EXPERT], full_name=name), title="教授",
                                               affiliation=OrganisationFactory(name=f"{name}所在研究院"))
        profile.sectors.set([sector])
        experts.append(profile)
    reviewers = []
    for department in Department.objects.filter(joins_joint_review=True):
        user = UserFactory(roles=[Role.DEPARTMENT_REVIEWER], full_name=f"{department.name}审核人")
        DepartmentMembership.objects.create(user=user, department=department)
        reviewers.append(user)
    return {"call": call, "pilot": pilot, "sector": sector, "applicant": applicant, "draft": draft,
            "newcomer": newcomer, "officer": UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长"),
            "experts": experts, "reviewers": reviewers}


def _warned(page):
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text(PILOT)
    return warning


def test_a_lookalike_application_is_questioned_at_every_stage(page, live_server, cast):
    page.on("dialog", lambda dialog: dialog.accept())
    draft, pilot, officer = cast["draft"], cast["pilot"], cast["officer"]
    review_url = f"{live_server.url}/reviews/applications/{draft.pk}/"

    # 1. Creating an application with a pilot's name: told at once, not stopped.
    as_user(page, live_server, cast["newcomer"])
    page.goto(f"{live_server.url}/alliances/new/?call={cast['call'].pk}")
    page.fill("#id_name", "淄博市先进陶瓷产业联盟")
    page.select_option("#id_sector", str(cast["sector"].pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    told = page.locator(".alert-warning[role=alert]")
    expect(told).to_contain_text(PILOT)
    expect(told).to_contain_text("重复建设")
    shot(page, "duplicate-01-created")

    # 2. The check page before submitting names the pilot; the applicant submits all the same.
    as_user(page, live_server, cast["applicant"])
    page.goto(f"{live_server.url}/alliances/{draft.pk}/step/6/")
    _warned(page)
    shot(page, "duplicate-02-check-before-submit")
    with page.expect_navigation():
        page.locator("main form button.btn-success[type=submit]").click()
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED

    # 3. Screening: the officer sees the warning, with a link to the pilot, and sends the application on.
    as_user(page, live_server, officer)
    page.goto(review_url)
    expect(_warned(page).get_by_role("link", name=PILOT)).to_have_attribute("href", f"/alliances/{pilot.pk}/")
    act(page, "开始形式审查")
    for box in page.locator("#screening input[name=passed]").all():
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存审查清单").click()
    shot(page, "duplicate-03-screening")
    act(page, "提交专家评审")
    with page.expect_navigation():
        page.get_by_role("button", name="分配已勾选的专家").click()
    expect(page.locator("#assignments")).to_contain_text("待答复")

    # 4. The expert sees the warning; documents are named but not opened before accepting (point 4) …
    expert = cast["experts"][0]
    as_user(page, live_server, expert.user)
    page.goto(live_server.url + "/reviews/expert/")
    with page.expect_navigation():
        page.get_by_role("link", name=LOOKALIKE).click()
    _warned(page)
    expect(page.locator("#agreement-link")).to_have_count(0)
    expect(page.locator("#call-documents")).to_contain_text("营业执照.pdf")
    expect(page.locator("#call-documents a")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="接受").click()
    # … and once accepted opens the signed agreement and the call's documents, each download recorded.
    expect(page.locator("#call-documents a")).to_have_count(1)
    shot(page, "expert-documents-01-accepted")
    with page.expect_download() as download:
        page.locator("#agreement-link").click()
    assert download.value.suggested_filename == draft.agreements.get().original_name
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.locator("#call-documents a").click()
    assert download.value.suggested_filename == "营业执照.pdf"
    assert list(AuditEvent.objects.filter(action="document_downloaded").values_list("user", flat=True)) \
        == [expert.user.pk, expert.user.pk]
    for field in page.locator("input.js-score").all():
        field.fill(str(round(float(field.get_attribute("max")) * 0.9 * 2) / 2))
    page.get_by_label("同意", exact=True).check()
    page.fill("#id_comments", "技术路线清晰；与已有先进陶瓷联盟的分工需说明。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交（不可更改）").click()
    expect(page.locator(".alert-success")).to_contain_text("您的评分已提交")
    # once submitted, the documents are no longer open to the expert
    expect(page.locator("#agreement-link")).to_have_count(0)
    expect(page.locator("#call-documents a")).to_have_count(0)
    shot(page, "expert-documents-02-submitted")

    other = review.ExpertAssignment.objects.get(alliance=draft, expert=cast["experts"][1])
    review.respond_to_assignment(other, accept=True, by=other.expert.user)
    review.save_scorecard(other, scores=full_marks(0.85), comments="方案完整。", recommendation="approve",
                          submit=True, by=other.expert.user)
    as_user(page, live_server, officer)
    page.goto(review_url)
    act(page, "提交会审")

    # 5. The joint review: a department reviewer sees the warning beside the application and agrees.
    first, *others = cast["reviewers"]
    as_user(page, live_server, first)
    page.goto(live_server.url + "/reviews/joint/")
    with page.expect_navigation():
        page.get_by_role("link", name=LOOKALIKE).click()
    _warned(page)
    page.get_by_label("同意", exact=True).check()
    shot(page, "duplicate-04-joint-review")
    with page.expect_navigation():
        page.get_by_role("button", name="提交意见").click()
    expect(page.locator(".alert-success")).to_contain_text("意见已记录")
    for reviewer in others:
        review.record_opinion(draft, opinion="agree", remarks="", by=reviewer)

    # 6. The batch: proposing it as a pilot needs a written reason, which is kept.
    as_user(page, live_server, officer)
    page.goto(f"{live_server.url}/reviews/calls/{cast['call'].pk}/batch/")
    row = page.locator(f"form[action$='/applications/{draft.pk}/outcome/']")
    row.locator("input[value=proposed_pilot]").check()
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(f"本申报可能与{PILOT}重复（重复建设）：如仍拟认定，请填写理由。")
    assert not StagedOutcome.objects.filter(alliance=draft).exists()
    shot(page, "duplicate-05-reason-required")
    row = page.locator(f"form[action$='/applications/{draft.pk}/outcome/']")
    row.locator("input[value=proposed_pilot]").check()
    row.locator("textarea").fill("技术方向不同：本联盟面向结构陶瓷，已有联盟面向电子陶瓷。")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator(f"#row-{draft.pk}")).to_contain_text("面向结构陶瓷")
    shot(page, "duplicate-06-proposed-with-reason")
    staged = StagedOutcome.objects.get(alliance=draft)
    assert (staged.outcome, staged.reason) == (StagedOutcome.Outcome.PROPOSED_PILOT,
                                               "技术方向不同：本联盟面向结构陶瓷，已有联盟面向电子陶瓷。")
