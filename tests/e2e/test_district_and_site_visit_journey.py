"""In a real browser: the district reviewer recommends an application with its letter, the officer schedules
a site visit with a conflict-free team and records findings with a photo, and the joint review reads them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.models import Alliance
from alliances.services import submit_application
from alliances.transitions import transition
from alliances.workflow import State
from reviews import services as review_services
from tests.factories import (
    PASSWORD,
    CallFactory,
    OrganisationFactory,
    UserFactory,
    district_reviewer,
    eligible_alliance,
    member_user,
)
from tests.recommendations.conftest import pdf_bytes
from tests.reviews.conftest import advance, make_department_reviewer, make_expert, score
from tests.site_visits.conftest import png_bytes

from .helpers import login, shot

pytestmark = pytest.mark.e2e


def test_district_recommends_and_site_visit_is_recorded(page, live_server, tmp_path):
    call = CallFactory(title="2026年度第一批产业技术创新战略联盟申报", district_quota=2)
    applicant = member_user(OrganisationFactory(name="淄博华光陶瓷科技有限公司"))
    alliance = eligible_alliance(name="淄博市先进陶瓷产业技术创新战略联盟", chairman=applicant.organisation, call=call)
    submit_application(alliance, by=applicant)
    reviewer = district_reviewer(applicant.organisation.district, full_name="张店区科技局 刘科长")
    letter = tmp_path / "推荐函.pdf"
    letter.write_bytes(pdf_bytes())

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/recommendations/")
    shot(page, "district-queue")
    page.click("#district-queue a.fw-semibold")
    page.set_input_files("#recommend-form input[type=file]", str(letter))
    shot(page, "district-application")
    with page.expect_navigation():
        page.click("#recommend-form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    alliance.refresh_from_db()
    assert alliance.state == State.SUBMITTED

    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    advance(alliance, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=7)
    for assignment in review_services.assign_experts(alliance, experts=[make_expert(name="评审专家")], due_date=due,
                                                     by=officer):
        score(assignment)
    visitor = make_expert(name="考察专家 孙教授")
    member_unit = alliance.memberships.exclude(organisation=alliance.chairman).first().organisation
    make_expert(name="赵利益", affiliation=member_unit)

    page.context.clear_cookies()
    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/reviews/applications/{alliance.pk}/")
    page.click("#schedule-site-visit")
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.check(f"#team-{visitor.user.pk}")
    shot(page, "site-visit-schedule")
    with page.expect_navigation():
        page.click("#schedule-form button[type=submit]")
    photo = tmp_path / "研发中心.png"
    photo.write_bytes(png_bytes())
    page.check("#id_staff_verified_1")
    page.fill("#id_staff_note", "现场研发人员仅12人，申报为45人。")
    for item in ("facilities", "investment", "agreement_originals"):
        page.check(f"#id_{item}_verified_0")
    page.check("#id_conclusion_1")
    page.fill("#id_summary", "研发人员数量与申报不符，其余属实。")
    page.set_input_files("#attachments", str(photo))
    shot(page, "site-visit-findings-form")
    with page.expect_navigation():
        page.click("#findings-form button[type=submit]")
    shot(page, "site-visit-findings")
    transition(alliance, action="send_to_joint_review", by=officer)
    page.goto(f"{live_server.url}/reviews/applications/{alliance.pk}/")
    shot(page, "site-visit-officer-page")

    joint = make_department_reviewer("science-technology", "科技局会审人")
    page.context.clear_cookies()
    login(page, live_server, joint.username, PASSWORD)
    page.goto(f"{live_server.url}/reviews/joint/{alliance.pk}/")
    expect(page.locator("#site-visit")).to_contain_text("现场研发人员仅12人")
    shot(page, "site-visit-joint-review")
    assert Alliance.objects.get(pk=alliance.pk).state == State.JOINT_REVIEW
