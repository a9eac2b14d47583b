"""The projects part of the to-do list: what waits for the officer and for the member unit."""

from datetime import date

import pytest

from projects import services, todo
from projects.models import ChangeRequest
from projects.workflow import ProjectState

from .factories import ProjectFactory, approved_project

pytestmark = pytest.mark.django_db


def _by_label(items):
    return {item.label: (item.count, item.url) for item in items}


def test_officer_todo(alliance, secretariat, officer):
    ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED)
    late = approved_project(alliance=alliance)  # Q1 report due 2026-04-15, today 2026-04-20
    services.request_change(late, by=secretariat, kind=ChangeRequest.Kind.EXTENSION, justification="x",
                            proposed={"end_date": "2028-06-30"})
    assert _by_label(todo.items(officer)) == {
        "project to decide": (1, "/projects/?state=submitted"),
        "change request to decide": (1, "/projects/?changes=pending"),
        "project with an overdue progress report": (1, "/projects/?late=on"),
    }


def test_member_todo(alliance, lead_membership, lead_user, officer, outsider):
    project = ProjectFactory(alliance=alliance, lead_unit=lead_membership.organisation, state=ProjectState.SUBMITTED)
    services.decide_project(project, action="return", by=officer, comment="补充")
    approved_project(alliance=alliance, lead_unit=lead_membership.organisation)
    assert _by_label(todo.items(lead_user)) == {
        "progress report due": (1, "/projects/?reports=due"),
        "project returned for revision": (1, "/projects/?state=returned"),
    }
    assert todo.items(outsider) == []


def test_todo_links_lead_to_matching_lists(client, alliance, lead_membership, lead_user):
    approved_project(alliance=alliance, lead_unit=lead_membership.organisation, title="要报告的项目")
    done = approved_project(alliance=alliance, lead_unit=lead_membership.organisation, title="已报告完的项目",
                            start_date=date(2026, 1, 1), end_date=date(2026, 3, 31))
    done.next_report_due = None
    done.save()
    client.force_login(lead_user)
    titles = [p.title for p in client.get("/projects/?reports=due").context["projects"]]
    assert titles == ["要报告的项目"]


def test_liaison_todo_counts_the_alliances_they_follow(client, alliance, outsider):
    """A liaison officer (科技联络员) is told of overdue reports in the alliances they follow, and the link lists
    exactly those; an overdue project of an alliance someone else follows is neither counted nor listed."""
    from accounts.roles import Role
    from reviews.models import Supervision
    from tests.factories import UserFactory

    liaison = UserFactory(roles=[Role.LIAISON])
    Supervision.objects.create(alliance=alliance, liaison_officer=liaison)
    followed = approved_project(alliance=alliance, title="联络联盟的项目")  # Q1 report due 2026-04-15
    approved_project(alliance=outsider.organisation.chaired_alliances.get(), title="别人联络的项目")
    assert _by_label(todo.items(liaison)) == {
        "project with an overdue progress report in the alliances you follow": (1, "/projects/?late=on&followed=mine"),
    }
    client.force_login(liaison)
    assert [p.title for p in client.get("/projects/?late=on&followed=mine").context["projects"]] == [followed.title]
    assert len(client.get("/projects/?late=on").context["projects"]) == 2  # the bureau's whole view stays
