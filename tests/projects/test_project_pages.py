"""The project page as each role sees it, and the decisions taken through it."""

from decimal import Decimal

import pytest

from projects import services
from projects.workflow import ProjectState

pytestmark = pytest.mark.django_db


def test_applicant_sees_edit_and_submit_on_a_draft(client, project, lead_user):
    client.force_login(lead_user)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/edit/"' in page
    assert f'action="/projects/{project.pk}/submit/"' in page
    assert "/approve/" not in page


def test_submit_through_the_page_and_missing_items_are_listed(client, project, lead_user):
    project.milestones.all().delete()
    client.force_login(lead_user)
    page = client.post(f"/projects/{project.pk}/submit/", follow=True).content.decode()
    assert "Add at least one milestone." in page
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_officer_approves_through_the_page(client, project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    client.force_login(officer)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/approve/"' in page
    assert f'href="/projects/{project.pk}/do/return/"' in page
    response = client.post(f"/projects/{project.pk}/approve/", {"granted_funding": "250", "comment": ""})
    assert response.context["form"].errors["granted_funding"] == [
        "The granted funding cannot exceed the government funding requested (200.00)."]
    assert 'value="250"' in response.content.decode()
    page = client.post(f"/projects/{project.pk}/approve/", {"granted_funding": "180", "comment": "同意"},
                       follow=True).content.decode()
    assert "LM-2026-0001" in page
    project.refresh_from_db()
    assert (project.state, project.granted_funding) == (ProjectState.APPROVED, Decimal("180"))


def test_return_through_the_page_requires_reasons(client, project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    client.force_login(officer)
    response = client.post(f"/projects/{project.pk}/do/return/", {"comment": ""})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    client.post(f"/projects/{project.pk}/do/return/", {"comment": "请补充预算明细"})
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED


def test_member_cannot_open_officer_decisions(client, project, lead_user):
    services.submit_project(project, by=lead_user)
    client.force_login(lead_user)
    assert client.get(f"/projects/{project.pk}/approve/").status_code == 403
    assert client.post(f"/projects/{project.pk}/do/reject/", {"comment": "x"}).status_code == 403
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED


def test_a_stale_decision_is_a_message_not_an_error(client, project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    services.decide_project(project, action="reject", by=officer, comment="重复")
    client.force_login(officer)
    page = client.get(f"/projects/{project.pk}/do/return/", follow=True).content.decode()
    assert "is not possible now" in page


def test_officer_sets_the_reporting_period_on_the_page(client, project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("100"))
    client.force_login(officer)
    client.post(f"/projects/{project.pk}/period/", {"report_period_months": "1"})
    project.refresh_from_db()
    assert project.report_period_months == 1
    client.force_login(lead_user)
    assert client.post(f"/projects/{project.pk}/period/", {"report_period_months": "12"}).status_code == 403
