"""The dashboard's project tally is kept by the services in the same transaction as the projects it sums,
and the command compares and rebuilds it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts import services as account_services
from dashboards.selectors import Board, DashboardFilters
from projects import services, tally
from projects.models import ChangeRequest, Project, ProjectTally
from projects.workflow import ProjectState
from tests.factories import district

pytestmark = pytest.mark.django_db

REPORT = {
    "started": True, "completed_self_raised": Decimal("100"), "completed_bank_loans": Decimal("50"),
    "completed_government": Decimal("20"), "completed_other": Decimal("0"), "government_funds_used": Decimal("15"),
    "patents_applied": 2, "patents_granted": 0, "standards": 1, "new_products": 0, "technical_secrets": 1,
    "problems": "", "help_needed": "", "decrease_explanation": "",
}


def _rows():
    return {(row.state, row.year, row.district.code): (row.projects, row.started, row.total_investment,
                                                         row.completed_investment, row.patents_applied, row.standards)
            for row in ProjectTally.objects.select_related("district")}


def _summary(officer):
    projects = Board(officer, DashboardFilters()).summary()["projects"]
    return (projects["total"].value, projects["approved"].value, projects["started"].value,
            projects["total_investment"].value, projects["completed_investment"].value)


def test_each_service_step_moves_the_projects_key_and_figures(project, lead_user, officer):
    lead_district = project.lead_unit.district.code
    assert _rows() == {}  # a draft is in no list of the bureau

    services.submit_project(project, by=lead_user)
    assert _rows() == {("submitted", 2026, lead_district): (1, 0, Decimal("1000"), Decimal("0"), 0, 0)}

    services.approve_project(project, by=officer, granted_funding=Decimal("150"))
    assert _rows() == {("approved", 2026, lead_district): (1, 0, Decimal("1000"), Decimal("0"), 0, 0)}

    services.submit_progress_report(project, by=lead_user, period_start=date(2026, 4, 1), values=REPORT)
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS  # the report started the work
    assert _rows() == {("in_progress", 2026, lead_district): (1, 1, Decimal("1000"), Decimal("170"), 2, 1)}

    change = services.request_change(project, by=lead_user, kind=ChangeRequest.Kind.BUDGET, justification="追加",
                                     proposed={"total_investment": "1200", "budget": [
                                         {"year": 2026, "self_raised": "400", "bank_loans": "100", "government": "100",
                                          "other": "0"},
                                         {"year": 2027, "self_raised": "400", "bank_loans": "100", "government": "100",
                                          "other": "0"}]})
    services.decide_change(change, by=officer, approve=True)
    assert _rows() == {("in_progress", 2026, lead_district): (1, 1, Decimal("1200"), Decimal("170"), 2, 1)}
    assert tally.differences() == []
    assert _summary(officer) == (1, 1, 1, Decimal("1200"), Decimal("170"))


def test_a_refused_step_changes_nothing(project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    before = _rows()

    with pytest.raises(services.WorkflowError):
        services.approve_project(project, by=officer, granted_funding=Decimal("999999"))  # above the request

    assert _rows() == before
    assert tally.differences() == []


def test_a_lead_unit_moving_district_moves_its_projects(project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    unit = project.lead_unit
    unit_admin = type(lead_user).objects.create_user(username="unit-admin", password="x" * 12, organisation=unit,
                                                     is_org_admin=True)
    elsewhere = district("370304") if unit.district.code != "370304" else district("370303")

    account_services.update_organisation_profile(unit, by=unit_admin, fields={"district": elsewhere},
                                                 platforms=[])

    assert _rows() == {("submitted", 2026, elsewhere.code): (1, 0, Decimal("1000"), Decimal("0"), 0, 0)}
    project.refresh_from_db()
    assert project.lead_district == elsewhere  # the list's district filter finds it there too
    assert tally.differences() == []


def test_the_check_reports_a_row_that_differs_and_the_rebuild_repairs_it(project, lead_user, capsys):
    services.submit_project(project, by=lead_user)
    call_command("recount_tallies", "--check")
    assert "project tally: equals what it counts" in capsys.readouterr().out

    ProjectTally.objects.update(projects=7)  # a write that went around the services
    with pytest.raises(CommandError, match="1 tally rows differ"):
        call_command("recount_tallies", "--check")
    assert "kept (7," in capsys.readouterr().out

    call_command("recount_tallies")
    assert tally.differences() == []
    assert ProjectTally.objects.get().projects == 1


def test_the_summary_reads_the_tally_not_the_projects(project, lead_user, officer):
    services.submit_project(project, by=lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("150"))
    Project.objects.filter(pk=project.pk).update(total_investment=Decimal("5"))  # around the services

    assert _summary(officer) == (1, 1, 0, Decimal("1000"), Decimal("0"))
    assert len(tally.differences()) == 1  # and the check tells
