"""Every action the table does not allow from a state is refused, and so is every role it does not name."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from alliances import workflow
from alliances.models import Alliance, StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from tests.factories import (
    AllianceFactory,
    CallFactory,
    OrganisationFactory,
    UserFactory,
    district_reviewer,
    member_user,
)

pytestmark = pytest.mark.django_db

ACTIONS = sorted({t.action for t in workflow.TRANSITIONS})
FORBIDDEN = [
    (state, action)
    for state in State
    for action in ACTIONS
    if workflow.find(action, state) is None and state not in workflow.sources_of(action)
    and state not in {t.target for t in workflow.TRANSITIONS if t.action == action}
]
ALLOWED = [(t.source, t.action) for t in workflow.TRANSITIONS]


def alliance_in(state, chairman=None) -> Alliance:
    alliance = AllianceFactory(**({"chairman": chairman} if chairman else {}))
    return put(alliance, state)


def put(alliance, state) -> Alliance:
    Alliance.objects.filter(pk=alliance.pk).update(state=state, current_version=1)
    alliance.refresh_from_db()
    return alliance


def test_forbidden_table_is_not_empty():
    assert len(FORBIDDEN) > 150  # 16 states × 18 actions, minus the allowed and the already-there pairs


@pytest.mark.parametrize("state", list(State))
def test_action_refused_from_state_not_in_table(state, admin_user):
    alliance = alliance_in(state)
    actions = [action for source, action in FORBIDDEN if source == state]
    assert actions
    for action in actions:
        with pytest.raises(IllegalTransition) as refusal:
            transition(alliance, action=action, by=admin_user, comment="reason")
        assert f"“{state.label}”" in refusal.value.message, action
        alliance.refresh_from_db()
        assert alliance.state == state, action
    assert not StateTransition.objects.exists()


def test_action_into_current_state_is_a_quiet_no_op(admin_user):
    alliance = alliance_in(State.PILOT)
    assert transition(alliance, action="grant_pilot", by=admin_user) is None
    assert transition(alliance, action="keep_pilot", by=admin_user) is None
    assert not StateTransition.objects.exists()


ROLE_USERS = {
    Role.MEMBER: lambda chairman: member_user(organisation=chairman),
    Role.OFFICER: lambda chairman: UserFactory(roles=[Role.OFFICER]),
    Role.EXPERT: lambda chairman: UserFactory(roles=[Role.EXPERT]),
    Role.DEPARTMENT_REVIEWER: lambda chairman: UserFactory(roles=[Role.DEPARTMENT_REVIEWER]),
    Role.DISTRICT_REVIEWER: lambda chairman: district_reviewer(chairman.district),
    Role.LIAISON: lambda chairman: UserFactory(roles=[Role.LIAISON]),
}
FORBIDDEN_ROLES = [
    (t.source, t.action, role)
    for t in workflow.TRANSITIONS
    for role in ROLE_USERS
    if role not in t.roles and not (role == Role.OFFICER and Role.ADMIN in t.roles and Role.OFFICER in t.roles)
]


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_role_not_named_in_table_is_refused(role):
    chairman = OrganisationFactory()
    alliance = AllianceFactory(chairman=chairman, call=CallFactory())  # a call with every optional stage
    user = ROLE_USERS[role](chairman)  # for member units: a user of the chairman unit itself
    rows = [(state, action) for state, action, r in FORBIDDEN_ROLES if r == role]
    assert rows
    for state, action in rows:
        put(alliance, state)
        with pytest.raises(NotPermitted):
            transition(alliance, action=action, by=user, comment="reason")
        alliance.refresh_from_db()
        assert alliance.state == state, action
    assert not StateTransition.objects.exists()


def test_member_of_another_unit_may_not_withdraw():
    alliance = alliance_in(State.SCREENING)
    stranger = member_user()
    with pytest.raises(NotPermitted, match="Only the chairman unit"):
        transition(alliance, action="withdraw", by=stranger)


def test_every_allowed_pair_reaches_its_target(admin_user, django_capture_on_commit_callbacks):
    """Each row of the table works when its guard is satisfied or absent (guards are tested elsewhere)."""
    unguarded = [(s, a) for s, a in ALLOWED
                 if a not in ("send_to_experts", "return_for_revision", "send_to_joint_review",
                              "start_public_notice", "grant_pilot", "submit", "resubmit", "withdraw",
                              "recommend", "decline_recommendation", "start_site_visit")]
    alliance = AllianceFactory(call=CallFactory())
    reviewer = district_reviewer(alliance.chairman.district)
    for source, action in unguarded:
        put(alliance, source)
        actor = reviewer if Role.DISTRICT_REVIEWER in workflow.find(action, source, alliance.stages).roles else admin_user
        record = transition(alliance, action=action, by=actor, comment="reason")
        assert record.target == workflow.find(action, source, alliance.stages).target


def test_illegal_transition_over_http_is_a_message_not_an_error(client, officer):
    alliance = alliance_in(State.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("reviews:transition", args=[alliance.pk]), {"action": "grant_pilot"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "“Grant pilot status” is not possible now" in response.content.decode()


def test_illegal_transition_over_http_in_chinese(client, officer):
    alliance = alliance_in(State.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("reviews:transition", args=[alliance.pk]), {"action": "grant_pilot"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "目前不能" in response.content.decode()


def test_guard_refusal_is_audited(admin_user):
    from accounts.models import AuditEvent

    alliance = alliance_in(State.SCREENING)
    with pytest.raises(WorkflowError):
        transition(alliance, action="send_to_experts", by=admin_user)
    event = AuditEvent.objects.get(action="transition", outcome="refused")
    assert event.detail["action_name"] == "send_to_experts"
    assert "checklist" in event.detail["reason"]
