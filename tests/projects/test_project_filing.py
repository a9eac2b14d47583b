"""Filing a project through the page: a complete filing becomes a draft; each kind of bad input gets a
message beside its field and keeps everything that was typed."""

from decimal import Decimal

import pytest

from projects.models import Project
from projects.workflow import ProjectState
from tests.factories import OrganisationFactory, make_credit_code

pytestmark = pytest.mark.django_db


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def filing(alliance, lead_membership):
    """A complete, valid filing as the browser posts it."""
    outside_code = make_credit_code()
    return {
        "title": "陶瓷膜低温烧结关键技术研发", "kind": "common_rd", "sector": str(alliance.sector_id),
        "lead_unit": str(lead_membership.organisation_id),
        "objectives": "突破低温烧结", "key_indicators": "烧结温度≤1250℃",
        "start_date": "2026-03-01", "end_date": "2027-12-31", "total_investment": "1000.5",
        "planned_patents_applied": "5", "planned_patents_granted": "2", "planned_standards": "1",
        "planned_new_products": "1", "planned_technical_secrets": "0",
        **_management("participants", 2),
        "participants-0-organisation": str(alliance.chairman_id), "participants-0-task": "工艺验证",
        "participants-1-organisation": "", "participants-1-name": "山东省材料研究院",
        "participants-1-credit_code": outside_code, "participants-1-task": "测试表征",
        **_management("milestones", 2),
        "milestones-0-title": "完成小试", "milestones-0-due_date": "2026-09-30",
        "milestones-1-title": "建成中试线", "milestones-1-due_date": "2027-09-30",
        **_management("budget", 2),
        "budget-0-year": "2026", "budget-0-self_raised": "300.5", "budget-0-bank_loans": "100",
        "budget-0-government": "100", "budget-0-other": "0",
        "budget-1-year": "2027", "budget-1-self_raised": "300", "budget-1-bank_loans": "100",
        "budget-1-government": "100", "budget-1-other": "0",
    }


def _post(client, user, alliance, data):
    client.force_login(user)
    return client.post(f"/projects/alliance/{alliance.pk}/new/", data)


def test_complete_filing_becomes_a_draft_with_its_tables(client, lead_user, alliance, filing):
    response = _post(client, lead_user, alliance, filing)
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.state == ProjectState.DRAFT
    assert project.created_by == lead_user
    assert project.total_investment == Decimal("1000.5")
    assert project.government_funding_requested == Decimal("200")
    assert [(p.name, p.is_member) for p in project.participants.all()] == [
        (alliance.chairman.name, True), ("山东省材料研究院", False)]
    assert list(project.milestones.values_list("title", flat=True)) == ["完成小试", "建成中试线"]
    assert [line.total for line in project.budget_years.all()] == [Decimal("500.5"), Decimal("500")]


def _errors(response, form="form"):
    assert response.status_code == 200
    return response.context["filing"]


def test_end_before_start_is_marked_on_the_end_date(client, lead_user, alliance, filing):
    filing.update({"start_date": "2027-01-01", "end_date": "2026-12-31"})
    response = _post(client, lead_user, alliance, filing)
    form = _errors(response).form
    assert form.errors["end_date"] == ["The end date must be on or after the start date."]
    assert Project.objects.count() == 0
    assert 'value="陶瓷膜低温烧结关键技术研发"' in response.content.decode()  # what was typed stays


def test_budget_not_adding_up_is_marked_on_the_total(client, lead_user, alliance, filing):
    filing["total_investment"] = "999"
    response = _post(client, lead_user, alliance, filing)
    errors = _errors(response).form.errors["total_investment"]
    assert errors == ["The investment plan by year and source adds up to 1,000.50, but the total investment is "
                      "999.00 (10k CNY)."]
    page = response.content.decode()
    assert 'value="300.5"' in page
    assert 'value="999"' in page


def test_lead_unit_that_is_not_a_member_is_refused(client, lead_user, alliance, filing):
    stranger = OrganisationFactory(name="非成员单位")
    filing["lead_unit"] = str(stranger.pk)
    response = _post(client, lead_user, alliance, filing)
    assert "lead_unit" in _errors(response).form.errors
    assert Project.objects.count() == 0


def test_member_may_not_file_for_another_unit(client, plain_member, alliance, filing):
    response = _post(client, plain_member, alliance, filing)
    assert _errors(response).form.errors["lead_unit"] == [
        "Only the alliance's secretariat may file for another unit: choose your own unit."]


def test_secretariat_may_file_for_a_member_unit(client, secretariat, alliance, filing):
    assert _post(client, secretariat, alliance, filing).status_code == 302
    assert Project.objects.get().created_by == secretariat


def test_negative_figures_are_refused_field_by_field(client, lead_user, alliance, filing):
    filing.update({"total_investment": "-1", "budget-0-bank_loans": "-100", "planned_standards": "-2"})
    response = _post(client, lead_user, alliance, filing)
    filed = _errors(response)
    assert "total_investment" in filed.form.errors
    assert "planned_standards" in filed.form.errors
    assert "bank_loans" in filed.budget.forms[0].errors


def test_milestone_outside_the_project_dates_is_marked(client, lead_user, alliance, filing):
    filing["milestones-1-due_date"] = "2028-03-01"
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.milestones.forms[1].errors["due_date"] == [
        "The milestone must fall between the project's start and end dates."]


def test_budget_year_outside_the_project_and_twice_is_marked(client, lead_user, alliance, filing):
    filing["budget-1-year"] = "2029"
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.budget.forms[1].errors["year"] == ["The year must lie between 2026 and 2027, the project's years."]
    filing["budget-1-year"] = "2026"
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.budget.forms[1].errors["year"] == ["This year appears twice."]


def test_outside_organisation_needs_a_valid_credit_code(client, lead_user, alliance, filing):
    filing["participants-1-credit_code"] = "91370303ABCDEFGHI0"
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.participants.forms[1].errors["credit_code"]
    filing["participants-1-credit_code"] = ""
    filing["participants-1-name"] = ""
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.participants.forms[1].errors["name"] == ["Choose a member unit, or name the outside organisation."]


def test_filing_needs_a_milestone(client, lead_user, alliance, filing):
    for key in ("milestones-0-title", "milestones-0-due_date", "milestones-1-title", "milestones-1-due_date"):
        filing[key] = ""
    filed = _errors(_post(client, lead_user, alliance, filing))
    assert filed.milestones.forms[0].errors["title"]


def test_removed_rows_are_not_saved(client, lead_user, alliance, filing):
    filing["milestones-1-DELETE"] = "on"
    _post(client, lead_user, alliance, filing)
    assert list(Project.objects.get().milestones.values_list("title", flat=True)) == ["完成小试"]


def test_invited_unit_may_not_file(client, invited_user, alliance, filing):
    client.force_login(invited_user)
    assert client.get(f"/projects/alliance/{alliance.pk}/new/").status_code == 403


def test_another_alliance_is_a_404_for_filing(client, outsider, alliance, filing):
    client.force_login(outsider)
    assert client.get(f"/projects/alliance/{alliance.pk}/new/").status_code == 404


def test_editing_a_draft_replaces_its_tables(client, lead_user, project, filing):
    client.force_login(lead_user)
    page = client.get(f"/projects/{project.pk}/edit/")
    assert page.status_code == 200
    assert 'value="完成小试"' in page.content.decode()
    filing["title"] = "改名后的项目"
    filing.update({"milestones-INITIAL_FORMS": "2", "budget-INITIAL_FORMS": "2"})  # as the edit page posts it
    response = client.post(f"/projects/{project.pk}/edit/", filing)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "改名后的项目"
    assert project.budget_years.count() == 2
    assert project.history.first().history_change_reason == "Edited by the applicant"


def test_submitted_project_cannot_be_edited(client, lead_user, project, filing):
    from projects import services

    services.submit_project(project, by=lead_user)
    client.force_login(lead_user)
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403
    assert client.post(f"/projects/{project.pk}/edit/", filing).status_code == 403
