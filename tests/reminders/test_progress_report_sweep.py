"""Progress reports: due (7 days ahead) and overdue (weekly), to the project's lead unit."""

from datetime import date, timedelta

import pytest

from notifications.models import Notification
from projects.models import Project
from projects.workflow import ProjectState

from .factories import reporting_project

pytestmark = pytest.mark.django_db

DUE = date(2026, 10, 15)


def test_progress_report_reminders_on_exactly_the_right_days(sweep_daily):
    reporting_project(DUE, lead_users=2)

    created = sweep_daily("progress_report", DUE - timedelta(days=10), DUE + timedelta(days=9))

    assert created == {DUE - timedelta(days=7): 2, DUE + timedelta(days=1): 2, DUE + timedelta(days=8): 2}


def test_progress_report_reminder_goes_to_the_lead_unit(travel, sweep):
    project, (lead_user,) = reporting_project(DUE)
    travel(DUE - timedelta(days=7))

    sweep("progress_report")

    notification = Notification.objects.get()
    assert notification.recipient == lead_user
    assert notification.title == f"{project.title}：进展报告将于 7 天后到期"
    assert notification.url == f"/projects/{project.pk}/"


def test_progress_report_filed_moves_the_deadline_and_silences_the_old_one(travel, sweep):
    project, _users = reporting_project(DUE)
    travel(DUE - timedelta(days=7))
    sweep("progress_report")
    # the report was filed: the next one is due next quarter
    Project.objects.filter(pk=project.pk).update(next_report_due=date(2027, 1, 15))

    travel(DUE + timedelta(days=1))
    assert sweep("progress_report").found == 0


@pytest.mark.parametrize("state", [ProjectState.PASSED, ProjectState.TERMINATED, ProjectState.ACCEPTANCE])
def test_progress_report_silent_for_projects_no_longer_reporting(travel, sweep, state):
    reporting_project(DUE, state=state)
    travel(DUE + timedelta(days=1))

    assert sweep("progress_report").found == 0
