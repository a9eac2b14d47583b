"""Every API endpoint × every role: the status each must get, and the rows each list may hold."""

from datetime import date, timedelta

import pytest
from django.urls import get_resolver
from rest_framework.test import APIClient

from accounts.roles import Role
from alliances.models import Alliance, ApplicationVersion
from alliances.workflow import State
from assessments.models import AssessmentRound, LifecycleStage
from dashboards.models import ApiTokenScope
from notifications.models import Notification
from projects.models import ChangeRequest
from reviews.models import Department, Designation, ExpertAssignment, ExpertProfile, JointReviewOpinion
from tests.factories import UserFactory
from tests.projects.factories import ActivityFactory, approved_project, report_for

from .conftest import session_client, token_client
from .matrix import ENDPOINTS, ROLES


@pytest.fixture
def matrix_world(world):
    a, b = world["alliance_a"], world["alliance_b"]
    Alliance.objects.filter(pk=a.pk).update(state=State.SUBMITTED, current_version=1)
    Alliance.objects.filter(pk=b.pk).update(state=State.PILOT, current_version=1)
    world["expert"] = UserFactory(roles=[Role.EXPERT])
    world["expert_profile"] = ExpertProfile.objects.create(user=world["expert"], title="教授")
    world["assignment"] = ExpertAssignment.objects.create(alliance=a, expert=world["expert_profile"], version=1,
                                                          due_date=date(2099, 1, 1))
    department = Department.objects.create(code="drc", name="发展和改革委员会测试")
    world["opinion"] = JointReviewOpinion.objects.create(alliance=a, version=1, department=department,
                                                         opinion=JointReviewOpinion.Opinion.AGREE)
    world["designation_b"] = Designation.objects.create(alliance=b, level=Designation.Level.PILOT, year=2026,
                                                        sequence=1, certificate_number="〔2026〕001")
    world["project_a"] = approved_project(alliance=a)
    world["report_a"] = report_for(world["project_a"], period_start=date(2026, 1, 1), completed=("100", "0", "0", "0"))
    world["change_a"] = ChangeRequest.objects.create(project=world["project_a"], kind=ChangeRequest.Kind.EXTENSION,
                                                     justification="设备到货延迟", proposed={"end_date": "2028-06-30"})
    world["activity_b"] = ActivityFactory(alliance=b)
    world["assessment_b"] = AssessmentRound.objects.create(
        alliance=b, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.SELF_ASSESSMENT,
        opened_from=State.PILOT, period_start=date(2024, 1, 1), period_end=date(2025, 12, 31),
        self_assessment_due=date(2026, 3, 31))
    world["stage_b"] = LifecycleStage.objects.create(alliance=b, stage=LifecycleStage.Stage.GROWTH, reason="成员增加")
    world["version_a"] = ApplicationVersion.objects.create(alliance=world["alliance_a"], number=1, snapshot={"v": 1})
    world["version_b"] = ApplicationVersion.objects.create(alliance=world["alliance_b"], number=1, snapshot={"v": 1})
    world["notification"] = Notification.objects.create(recipient=world["member"], kind="test", title="待办")
    return world


def client_for(role, world) -> APIClient:
    officer_of = {
        "officer": [Role.OFFICER], "administrator": [Role.ADMIN], "department_reviewer": [Role.DEPARTMENT_REVIEWER],
        "liaison": [Role.LIAISON], "expert": [Role.EXPERT],
    }
    if role == "anonymous":
        return APIClient()
    if role == "member":
        return session_client(world["member"])
    if role == "foreign_member":
        return session_client(world["foreign"])
    if role == "expert":
        return session_client(world["expert"])
    if role in officer_of:
        return session_client(UserFactory(roles=officer_of[role]))
    officer = UserFactory(roles=[Role.OFFICER])
    if role == "read_only_token":
        return token_client(officer, scope=ApiTokenScope.Scope.READ)
    if role == "unscoped_token":
        return token_client(officer, with_scope=False)
    if role == "write_token":
        return token_client(officer, scope=ApiTokenScope.Scope.WRITE)
    if role == "expired_token":
        return token_client(officer, scope=ApiTokenScope.Scope.WRITE, valid=timedelta(seconds=-1))
    raise AssertionError(role)


def _api_route_names():
    resolver = get_resolver()
    api = resolver.resolve("/api/v1/").route  # noqa: F841 - proves the API is mounted
    from alliance_portal.api_urls import router

    return {name for url in router.urls if (name := url.name)}


def test_matrix_covers_every_route():
    assert _api_route_names() == {endpoint.route for endpoint in ENDPOINTS}


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_declared(role, matrix_world):
    client = client_for(role, matrix_world)
    wrong = []
    for endpoint in ENDPOINTS:
        path = endpoint.path(matrix_world)
        response = getattr(client, endpoint.method)(path, endpoint.body_for(matrix_world), format="json")
        expected = endpoint.status_for(role)
        if response.status_code != expected:
            wrong.append(f"{endpoint.method.upper()} {path}: {response.status_code} (expected {expected})")
        elif expected == 400:  # field errors beside the fields
            assert all(isinstance(messages, list) for messages in response.json().values()), response.json()
        elif expected > 400:
            assert {"detail", "code"} <= set(response.json()), (path, response.json())
    assert not wrong, "\n".join(wrong)


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_member_lists_hold_only_own_organisation_and_alliances(matrix_world):
    w = matrix_world
    client = session_client(w["member"])
    assert _ids(client.get("/api/v1/alliances/")) == {w["alliance_a"].pk}
    assert _ids(client.get("/api/v1/organisations/")) == {w["member"].organisation_id}
    assert _ids(client.get("/api/v1/memberships/")) == set(w["alliance_a"].memberships.values_list("pk", flat=True))
    assert _ids(client.get("/api/v1/applications/")) == {w["version_a"].pk}
    assert _ids(client.get("/api/v1/notifications/")) == {w["notification"].pk}


def test_foreign_member_lists_hold_nothing_of_the_other_alliance(matrix_world):
    w = matrix_world
    client = session_client(w["foreign"])
    assert _ids(client.get("/api/v1/alliances/")) == {w["alliance_b"].pk}
    assert _ids(client.get("/api/v1/organisations/")) == {w["foreign"].organisation_id}
    assert _ids(client.get("/api/v1/applications/")) == {w["version_b"].pk}
    assert _ids(client.get("/api/v1/notifications/")) == set()


def test_expert_without_organisation_sees_no_alliance(matrix_world):
    client = session_client(UserFactory(roles=[Role.EXPERT]))
    assert _ids(client.get("/api/v1/alliances/")) == set()
    assert _ids(client.get("/api/v1/organisations/")) == set()


def test_officer_lists_hold_every_alliance(matrix_world):
    w = matrix_world
    client = session_client(UserFactory(roles=[Role.OFFICER]))
    assert _ids(client.get("/api/v1/alliances/")) == {w["alliance_a"].pk, w["alliance_b"].pk}
    assert {w["outsider_org"].pk, w["member"].organisation_id} <= _ids(client.get("/api/v1/organisations/"))


def test_member_sees_the_same_member_count_as_the_bureau(matrix_world):
    w = matrix_world
    mine = session_client(w["member"]).get(f"/api/v1/alliances/{w['alliance_a'].pk}/").json()
    bureau = session_client(UserFactory(roles=[Role.OFFICER])).get(f"/api/v1/alliances/{w['alliance_a'].pk}/").json()
    assert mine["member_count"] == bureau["member_count"] == 2
    assert {m["organisation"]["id"] for m in mine["members"]} == {
        w["member"].organisation_id, w["colleague_membership"].organisation_id}
