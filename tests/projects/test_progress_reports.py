"""Progress reports: filed in order, one per period, cumulative figures that do not go down without an
explanation, late after the due date, milestones reached, start of work moves the project to in progress."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from alliance_portal.core.errors import IllegalTransition, NotPermitted
from projects import periods, services
from projects.errors import AlreadyReported, InvalidReport
from projects.models import ProgressReport
from projects.workflow import ProjectState

from .factories import approved_project

pytestmark = pytest.mark.django_db

FIGURES = {
    "started": True, "completed_self_raised": Decimal("100"), "completed_bank_loans": Decimal("50"),
    "completed_government": Decimal("20"), "completed_other": Decimal("0"), "government_funds_used": Decimal("15"),
    "patents_applied": 2, "patents_granted": 0, "standards": 0, "new_products": 0, "technical_secrets": 1,
    "problems": "", "help_needed": "", "decrease_explanation": "",
}


@pytest.fixture
def running(alliance, lead_membership):
    """Approved on 2026-01-10 for 2026–2027: Q1 2026 is the first period, due 2026-04-15."""
    return approved_project(alliance=alliance, lead_unit=lead_membership.organisation)


def _report(project, user, period_start, **changes):
    return services.submit_progress_report(project, by=user, period_start=period_start,
                                           values={**FIGURES, **changes})


def test_period_arithmetic_in_local_dates():
    quarter = periods.period_containing(date(2026, 5, 31), 3)
    assert (quarter.start, quarter.end, quarter.due_date) == (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 15))
    assert quarter.next().start == date(2026, 7, 1)
    half = periods.period_containing(date(2026, 12, 1), 6)
    assert (half.start, half.end) == (date(2026, 7, 1), date(2026, 12, 31))
    month = periods.period_containing(date(2028, 2, 10), 1)
    assert month.end == date(2028, 2, 29)
    assert [p.start.month for p in periods.project_periods(start_date=date(2026, 2, 15), end_date=date(2026, 8, 1),
                                                           months=3)] == [1, 4, 7]


def test_local_today_is_shanghai_not_utc():
    with time_machine.travel("2026-06-30 17:00 +0000", tick=False):  # 01:00 on 1 July in Shanghai
        assert periods.local_today() == date(2026, 7, 1)


def test_first_report_is_late_after_the_due_date_and_starts_the_project(running, lead_user):
    report = _report(running, lead_user, date(2026, 1, 1))
    running.refresh_from_db()
    assert report.is_late  # today is 2026-04-20; Q1 was due 2026-04-15
    assert report.completed_investment == Decimal("170")
    assert report.investment_increase == Decimal("170")
    assert running.state == ProjectState.IN_PROGRESS
    assert running.latest_report == report
    assert running.next_report_due == date(2026, 7, 15)
    assert running.transitions.get().action == "start"


def test_report_on_time_is_not_late(running, lead_user):
    with time_machine.travel("2026-04-15 23:30 +0800", tick=False):
        assert not _report(running, lead_user, date(2026, 1, 1)).is_late


def test_report_not_started_keeps_the_project_approved(running, lead_user):
    _report(running, lead_user, date(2026, 1, 1), started=False)
    running.refresh_from_db()
    assert running.state == ProjectState.APPROVED


def test_the_same_period_twice_is_refused(running, lead_user, secretariat):
    _report(running, lead_user, date(2026, 1, 1))
    with pytest.raises(AlreadyReported):
        _report(running, secretariat, date(2026, 1, 1))
    assert ProgressReport.objects.count() == 1


def test_periods_are_reported_in_order(running, lead_user):
    with pytest.raises(IllegalTransition, match="in order"):
        _report(running, lead_user, date(2026, 4, 1))


def test_a_period_that_has_not_begun_cannot_be_reported(running, lead_user):
    _report(running, lead_user, date(2026, 1, 1))
    _report(running, lead_user, date(2026, 4, 1))
    with pytest.raises(IllegalTransition):
        _report(running, lead_user, date(2026, 7, 1))


def test_cumulative_figures_may_not_go_down_without_explanation(running, lead_user):
    _report(running, lead_user, date(2026, 1, 1))
    with pytest.raises(InvalidReport) as refusal:
        _report(running, lead_user, date(2026, 4, 1), completed_bank_loans=Decimal("40"), patents_applied=1)
    assert set(refusal.value.errors) == {"completed_bank_loans", "patents_applied", "decrease_explanation"}
    report = _report(running, lead_user, date(2026, 4, 1), completed_bank_loans=Decimal("40"), patents_applied=1,
                     decrease_explanation="一项专利申请被驳回；贷款提前归还10万元")
    assert report.investment_increase == Decimal("-10")


def test_started_cannot_be_withdrawn_without_explanation(running, lead_user):
    _report(running, lead_user, date(2026, 1, 1))
    with pytest.raises(InvalidReport) as refusal:
        _report(running, lead_user, date(2026, 4, 1), started=False)
    assert "started" in refusal.value.errors


def test_milestones_reached_are_dated_within_the_period(running, lead_user):
    first = running.milestones.order_by("due_date").first()
    _report(running, lead_user, date(2026, 1, 1))
    services.submit_progress_report(running, by=lead_user, period_start=date(2026, 4, 1),
                                    values=FIGURES, milestones_reached=[first.pk])
    first.refresh_from_db()
    assert first.reached_on == date(2026, 4, 20)  # the period is still running: the day it was reported


def test_only_the_applicant_reports(running, plain_member, officer, outsider):
    for user in (plain_member, officer, outsider):
        with pytest.raises(NotPermitted):
            _report(running, user, date(2026, 1, 1))


def test_a_draft_does_not_report(project, lead_user):
    with pytest.raises(NotPermitted):
        _report(project, lead_user, date(2026, 1, 1))


def test_bureau_sets_a_half_yearly_period(running, officer, lead_user):
    services.set_report_period(running, by=officer, months=6)
    running.refresh_from_db()
    assert running.next_report_due == date(2026, 7, 15)  # H1 2026 ends 30 June
    with pytest.raises(NotPermitted):
        services.set_report_period(running, by=lead_user, months=1)
    report = _report(running, lead_user, date(2026, 1, 1))
    assert (report.period_start, report.period_end) == (date(2026, 1, 1), date(2026, 6, 30))


def test_report_page_keeps_figures_and_marks_decreases(client, running, lead_user):
    _report(running, lead_user, date(2026, 1, 1))
    client.force_login(lead_user)
    page = client.get(f"/projects/{running.pk}/reports/new/")
    assert page.status_code == 200
    assert page.context["period"].start == date(2026, 4, 1)
    assert page.context["form"].initial["completed_self_raised"] == Decimal("100")
    data = {key: ("on" if value is True else value) for key, value in FIGURES.items() if value is not False}
    data["completed_self_raised"] = "90"
    response = client.post(f"/projects/{running.pk}/reports/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["completed_self_raised"] == [
        "Lower than in the previous report (100.0000): explain why below."]
    assert 'value="90"' in response.content.decode()
    data["decrease_explanation"] = "审计调减"
    response = client.post(f"/projects/{running.pk}/reports/new/", data)
    report = running.reports.get(period_start=date(2026, 4, 1))
    assert response["Location"] == f"/projects/reports/{report.pk}/"
    assert not report.is_late


def test_report_pages_of_another_alliance_are_404(client, running, lead_user, outsider):
    report = _report(running, lead_user, date(2026, 1, 1))
    client.force_login(outsider)
    assert client.get(f"/projects/reports/{report.pk}/").status_code == 404
    assert client.get(f"/projects/{running.pk}/reports/new/").status_code == 404
