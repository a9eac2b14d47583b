"""An expert scores an application and a department reviewer records the joint opinion, each with the
keyboard alone: from the to-do list to the form by Tab and Enter, fields answered by typing, arrow keys and
Space, the focus visible at every stop. Each makes a mistake first: the error summary takes the focus and
its link leads to the field, which is corrected the same way."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from alliances.workflow import State
from reviews import services
from reviews.models import Department, JointReviewOpinion, ScoreCriterion
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    eligible_alliance,
    member_user,
)
from tests.reviews.conftest import advance, make_department_reviewer, make_expert, submit

from .helpers import shot
from .keyboard import (
    button,
    choose_radio,
    error_summary_leads_to,
    follow,
    link,
    sign_in,
    tab_through_form,
    tab_to,
    type_answer,
)

ALLIANCE = "淄博市先进陶瓷产业技术创新战略联盟"


@pytest.fixture
def application(db):
    sector = SectorFactory()
    applicant = member_user(OrganisationFactory(name="淄博华光陶瓷科技有限公司"), full_name="华光 王芳")
    alliance = eligible_alliance(name=ALLIANCE, chairman=applicant.organisation, sector=sector)
    submit(alliance, applicant)
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    return alliance, officer, sector


def test_expert_scores_with_the_keyboard_alone(page, live_server, application):
    alliance, officer, sector = application
    expert = make_expert(sectors=[sector], name="陈建国", affiliation=OrganisationFactory(name="陈建国所在研究院"))
    advance(alliance, officer, to=State.EXPERT_REVIEW)
    (assignment,) = services.assign_experts(alliance, experts=[expert], by=officer,
                                            due_date=timezone.localdate() + datetime.timedelta(days=14))
    criteria = list(ScoreCriterion.objects.filter(is_active=True))
    assert criteria
    page.on("dialog", lambda dialog: dialog.accept())  # "submit your scores? they are final" — the browser's own

    sign_in(page, live_server, expert.user.username, PASSWORD)
    page.goto(live_server.url + "/reviews/expert/")
    tab_to(page, link(ALLIANCE))
    follow(page)
    tab_to(page, button("接受"))
    follow(page)
    expect(page.locator("#scorecard-form")).to_be_visible()

    # Every criterion scored at 80 % of its maximum, the first one typed past its maximum by mistake.
    first = f"id_score_{criteria[0].pk}"
    answers = {f"id_score_{c.pk}": str(c.max_score * 0.8) for c in criteria}
    answers[first] = str(criteria[0].max_score + 10)
    answers["id_recommendation_0"] = choose_radio("approve")
    answers["id_comments"] = "技术路线清晰，产学研结合紧密。"
    reached = tab_through_form(page, answers, stop="提交（不可更改）", limit=300)
    assert set(answers) <= set(reached), set(answers) - set(reached)
    follow(page)

    # The summary has the focus and leads to the field, which names its error; corrected, submitted.
    score = page.locator("#" + first)
    expect(score).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + score.get_attribute("aria-describedby").split()[0])).to_be_visible()
    shot(page, "keyboard-expert-error-summary")
    error_summary_leads_to(page, first)
    type_answer(page, str(criteria[0].max_score * 0.8))
    tab_to(page, button("提交（不可更改）"))
    follow(page)

    expect(page.locator(".alert-success")).to_contain_text("您的评分已提交")
    expect(page.locator("#scorecard")).to_contain_text("已提交，不可更改")
    shot(page, "keyboard-expert-scored")
    assignment.scorecard.refresh_from_db()
    card = assignment.scorecard
    assert (card.is_final, card.recommendation, card.comments) == (True, "approve", "技术路线清晰，产学研结合紧密。")
    assert {s.criterion_id: s.score for s in card.scores.all()} == {
        c.pk: Decimal(str(c.max_score * 0.8)) for c in criteria}


def test_department_reviewer_records_the_joint_opinion_with_the_keyboard_alone(page, live_server, application):
    alliance, officer, sector = application
    experts = [make_expert(sectors=[sector], name=name) for name in ("陈建国", "刘海燕")]
    advance(alliance, officer, to=State.JOINT_REVIEW, experts=experts)
    department = Department.objects.filter(joins_joint_review=True).first()
    reviewer = make_department_reviewer(department.code, f"{department.name}审核人")

    sign_in(page, live_server, reviewer.username, PASSWORD)
    page.goto(live_server.url + "/reviews/joint/")
    tab_to(page, link(ALLIANCE))
    follow(page)

    # Sent without choosing: the summary has the focus and leads to the choice.
    tab_to(page, button("提交意见"), limit=300)
    follow(page)
    shot(page, "keyboard-joint-error-summary")
    error_summary_leads_to(page, "id_opinion_0")
    choose_radio("agree")(page)
    tab_through_form(page, {"id_remarks": "同意。该联盟产学研结合紧密，资金安排合理。"}, stop="提交意见")
    follow(page)

    expect(page.locator(".alert-success")).to_contain_text("意见已记录")
    shot(page, "keyboard-joint-recorded")
    opinion = JointReviewOpinion.objects.get(alliance=alliance, department=department)
    assert (opinion.opinion, opinion.remarks, opinion.given_by) == (
        "agree", "同意。该联盟产学研结合紧密，资金安排合理。", reviewer)
