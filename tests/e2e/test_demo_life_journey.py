"""Issue 20, point 11 in a real browser: the demo's pilots a year after designation, as the chairman unit, the
liaison officer and the bureau see them: to-do items that lead to real projects, reports (late ones flagged),
change requests and assessments; the dashboard's project figures are not zero."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from alliances.workflow import State
from assessments.models import AssessmentRound
from demo import loader, operation
from demo.people import DEMO_PASSWORD
from projects.models import ChangeRequest, Project
from projects.workflow import APPROVED_STATES, ProjectState

from .helpers import login, shot

pytestmark = pytest.mark.e2e


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, DEMO_PASSWORD)


def _zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def _card(page, href):
    return page.locator(f"a.todo-card[href='{href}']")


def test_the_demo_shows_a_year_after_designation(page, live_server):
    loader.load(enterprises_per_sector=20, institutes_per_sector=3, numbers=sorted(operation.LIVES))
    overdue = Project.objects.get(alliance__chairman__users__username="member", state="in_progress",
                                  next_report_due__lt=loader.timezone.localdate())

    # 1. The chairman unit's to-do list: a self-assessment to file, an overdue report, a returned project.
    _sign_in(page, live_server, "member")
    expect(page.locator("a.todo-card")).to_have_count(3)
    for href in ("/assessments/?status=self_assessment", "/projects/?reports=due", "/projects/?state=returned"):
        expect(_card(page, href).locator(".count")).to_have_text("1")
    shot(page, "demo-life-01-chairman-todo")

    with page.expect_navigation():
        _card(page, "/projects/?reports=due").click()
    expect(page.locator("#result-count")).to_contain_text("1")
    with page.expect_navigation():
        page.get_by_role("link", name=overdue.title).click()
    # its reports so far, its pending change request, and its history
    expect(page.locator("#reports tbody tr")).to_have_count(overdue.reports.count())
    expect(page.locator("#change-requests")).to_contain_text(_zh(ChangeRequest.Status.PENDING.label))
    expect(page.locator("#timeline")).to_contain_text(_zh(ProjectState.APPROVED.label))
    shot(page, "demo-life-02-overdue-project")

    page.goto(f"{live_server.url}/projects/")
    member = User.objects.get(username="member")  # its unit belongs to other alliances too: it sees theirs
    expect(page.locator("table tbody tr")).to_have_count(Project.objects.visible_to(member).count())
    for state in ProjectState:  # a project in every state, each with its badge
        expect(page.locator("table tbody")).to_contain_text(_zh(state.label))
    shot(page, "demo-life-03-chairman-projects")

    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        _card(page, "/assessments/?status=self_assessment").click()
    expect(page.locator("#assessment-table tbody tr")).to_have_count(1)
    with page.expect_navigation():
        page.locator("#assessment-table tbody tr a").first.click()
    expect(page.locator("main")).to_contain_text(_zh(AssessmentRound.Status.SELF_ASSESSMENT.label))
    shot(page, "demo-life-04-self-assessment-due")

    # 2. The liaison officer follows two alliances: what they owe shows on the to-do list, and the link
    #    keeps to those alliances.
    _sign_in(page, live_server, "liaison")
    expect(page.locator("a.todo-card")).to_have_count(2)
    shot(page, "demo-life-05-liaison-todo")
    with page.expect_navigation():
        _card(page, "/projects/?late=on&followed=mine").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text(overdue.title)
    expect(page.locator("#result-count")).to_contain_text("您联系的联盟")
    shot(page, "demo-life-06-liaison-overdue")

    # 3. The bureau: its to-do list, the dashboard's project figures, and an assessment in every state.
    _sign_in(page, live_server, "officer")
    expect(_card(page, "/projects/?changes=pending").locator(".count")).to_have_text("1")
    expect(_card(page, "/projects/?state=submitted").locator(".count")).to_have_text("1")
    page.goto(f"{live_server.url}/dashboards/")
    approved = Project.objects.filter(state__in=APPROVED_STATES).count()
    expect(page.locator("[data-kpi='approved-projects']")).to_contain_text(str(approved))
    expect(page.locator("[data-kpi='activities']")).not_to_have_text("0")
    expect(page.locator("[data-chart='alliances-by-state'][data-rendered='true'] svg")).to_be_visible()
    shot(page, "demo-life-07-dashboard")

    page.goto(f"{live_server.url}/assessments/")
    expect(page.locator("#assessment-table tbody tr")).to_have_count(AssessmentRound.objects.count())
    for outcome in set(AssessmentRound.objects.exclude(outcome="").values_list("outcome", flat=True)):
        expect(page.locator("#assessment-table")).to_contain_text(_zh(AssessmentRound.Outcome(outcome).label))
    for status in AssessmentRound.Status:
        expect(page.locator("#assessment-table")).to_contain_text(_zh(status.label))
    shot(page, "demo-life-08-assessments")

    revoked = AssessmentRound.objects.get(outcome=AssessmentRound.Outcome.REVOKED)
    page.goto(f"{live_server.url}/assessments/{revoked.pk}/")
    expect(page.locator("main")).to_contain_text(_zh(AssessmentRound.Outcome.REVOKED.label))
    shot(page, "demo-life-09-revoked")
    assert revoked.alliance.state == State.REVOKED
