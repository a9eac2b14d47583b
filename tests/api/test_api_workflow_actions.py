"""Workflow actions through the API call the pages' services: 200 when done, 409 when illegal now,
403 when not your role, 400 with field errors or failed checks when the input is wrong."""

import pytest

from accounts.roles import Role
from alliances.models import ApplicationVersion, StateTransition
from alliances.workflow import State
from dashboards.models import ApiTokenScope
from tests.factories import UserFactory, eligible_alliance, member_user
from tests.projects.factories import ProjectFactory

from .conftest import session_client, token_client


@pytest.fixture
def applicant(db):
    return member_user()


@pytest.fixture
def officer(db):
    return UserFactory(roles=[Role.OFFICER])


def _transition(client, alliance, action, **body):
    return client.post(f"/api/v1/reviews/applications/{alliance.pk}/transition/", {"action": action, **body},
                       format="json")


def test_submit_freezes_a_version_like_the_page(applicant):
    alliance = eligible_alliance(chairman=applicant.organisation)
    response = _transition(session_client(applicant), alliance, "submit")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.SUBMITTED
    assert response.json()["transition"]["action"] == "submit"
    assert ApplicationVersion.objects.filter(alliance=alliance, number=1).exists()
    timeline = session_client(applicant).get(f"/api/v1/alliances/{alliance.pk}/timeline/").json()
    assert [(step["source"], step["target"]) for step in timeline] == [(State.DRAFT, State.SUBMITTED)]


def test_ineligible_submission_is_400_with_every_problem(applicant):
    from tests.factories import AllianceFactory

    alliance = AllianceFactory(chairman=applicant.organisation)
    response = _transition(session_client(applicant), alliance, "submit")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "not_eligible"
    assert len(body["problems"]) >= 2
    assert not ApplicationVersion.objects.filter(alliance=alliance).exists()


def test_illegal_step_is_409_with_the_reason(applicant, officer):
    alliance = eligible_alliance(chairman=applicant.organisation)
    _transition(session_client(applicant), alliance, "submit")
    response = _transition(session_client(officer), alliance, "grant_pilot")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["detail"]
    alliance.refresh_from_db()
    assert alliance.state == State.SUBMITTED


def test_repeated_step_is_harmless(applicant, officer):
    alliance = eligible_alliance(chairman=applicant.organisation)
    _transition(session_client(applicant), alliance, "submit")
    first = _transition(session_client(officer), alliance, "start_screening")
    again = _transition(session_client(officer), alliance, "start_screening")
    assert first.status_code == again.status_code == 200
    assert again.json() == {"state": State.SCREENING, "transition": None}
    assert StateTransition.objects.filter(alliance=alliance, action="start_screening").count() == 1


def test_wrong_role_is_403_with_the_reason(applicant):
    alliance = eligible_alliance(chairman=applicant.organisation)
    _transition(session_client(applicant), alliance, "submit")
    response = _transition(session_client(applicant), alliance, "start_screening")
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"


def test_unknown_action_is_a_field_error(officer, applicant):
    alliance = eligible_alliance(chairman=applicant.organisation)
    response = _transition(session_client(officer), alliance, "open_assessment")  # not an application action
    assert response.status_code == 400
    assert list(response.json()) == ["action"]


def test_read_only_token_may_not_act(officer, applicant):
    alliance = eligible_alliance(chairman=applicant.organisation)
    _transition(session_client(applicant), alliance, "submit")
    response = _transition(token_client(officer, scope=ApiTokenScope.Scope.READ), alliance, "start_screening")
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    alliance.refresh_from_db()
    assert alliance.state == State.SUBMITTED


def test_project_approval_needs_the_granted_funding(officer):
    project = ProjectFactory(state="submitted")
    response = session_client(officer).post(f"/api/v1/projects/{project.pk}/transition/", {"action": "approve"},
                                            format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["granted_funding"]
    approved = session_client(officer).post(f"/api/v1/projects/{project.pk}/transition/",
                                            {"action": "approve", "granted_funding": "150"}, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"
    assert approved.json()["approval_number"]
