"""The approval path through the services: submit → return / reject / approve → start → acceptance, and the
forbidden paths (wrong role, wrong unit, wrong state, missing reasons)."""

from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, NotEligible, NotPermitted, WorkflowError
from notifications.models import Notification
from projects import services
from projects.models import ProjectTransition
from projects.workflow import ProjectState

pytestmark = pytest.mark.django_db


def _submitted(project, user):
    services.submit_project(project, by=user)
    return project


def test_submit_moves_a_complete_draft_to_submitted_and_notifies_officers(project, lead_user, officer,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.submit_project(project, by=lead_user, comment="请审核")
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
    assert project.submitted_at is not None
    assert (record.source, record.target, record.actor) == (ProjectState.DRAFT, ProjectState.SUBMITTED, lead_user)
    assert Notification.objects.filter(recipient=officer, kind="project_submitted").count() == 1
    assert AuditEvent.objects.filter(action="project_transition", object_id=str(project.pk),
                                     outcome=AuditEvent.Outcome.OK).exists()


def test_submit_lists_what_is_missing(project, lead_user):
    project.milestones.all().delete()
    project.budget_years.filter(year=2027).delete()
    with pytest.raises(NotEligible) as refusal:
        services.submit_project(project, by=lead_user)
    assert refusal.value.problems == ["Add at least one milestone.",
                                      "The investment plan does not add up to the total investment."]
    project.refresh_from_db()
    assert project.state == ProjectState.DRAFT


def test_secretariat_may_submit_for_the_lead_unit(project, secretariat):
    _submitted(project, secretariat)
    assert project.state == ProjectState.SUBMITTED


def test_plain_member_may_not_submit_another_units_project(project, plain_member):
    with pytest.raises(NotPermitted):
        services.submit_project(project, by=plain_member)
    assert AuditEvent.objects.filter(action="project_transition", outcome=AuditEvent.Outcome.REFUSED).exists()


def test_officer_may_not_submit(project, officer):
    with pytest.raises(NotPermitted):
        services.submit_project(project, by=officer)


def test_approve_gives_number_and_granted_funding(project, lead_user, officer, django_capture_on_commit_callbacks):
    _submitted(project, lead_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_project(project, by=officer, granted_funding=Decimal("150.5"), comment="同意立项")
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    assert project.approval_number == "LM-2026-0001"
    assert project.granted_funding == Decimal("150.5000")
    # quarterly from the 2026-01-01 start, approved 2026-04-20: the first period is Q2, due 15 days after it ends
    assert str(project.next_report_due) == "2026-07-15"
    note = Notification.objects.get(recipient=lead_user, kind="project_approved")
    assert "LM-2026-0001" in note.body


def test_approve_twice_is_a_quiet_no_op(project, lead_user, officer):
    _submitted(project, lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("100"))
    assert services.approve_project(project, by=officer, granted_funding=Decimal("100")) is None
    assert ProjectTransition.objects.filter(project=project, action="approve").count() == 1
    project.refresh_from_db()
    assert project.approval_number == "LM-2026-0001"


def test_granted_funding_above_the_request_is_refused(project, lead_user, officer):
    _submitted(project, lead_user)
    with pytest.raises(WorkflowError, match="exceeds the government funding requested"):
        services.approve_project(project, by=officer, granted_funding=Decimal("200.0001"))
    project.refresh_from_db()
    assert (project.state, project.approval_number) == (ProjectState.SUBMITTED, None)


def test_member_may_not_approve(project, lead_user, secretariat):
    _submitted(project, lead_user)
    with pytest.raises(NotPermitted):
        services.approve_project(project, by=secretariat, granted_funding=Decimal("100"))


def test_a_draft_cannot_be_approved(project, officer):
    with pytest.raises(IllegalTransition):
        services.approve_project(project, by=officer, granted_funding=Decimal("100"))


def test_return_needs_reasons_and_the_applicant_reads_them(project, lead_user, officer, client):
    _submitted(project, lead_user)
    with pytest.raises(WorkflowError, match="Give the reasons"):
        services.decide_project(project, action="return", by=officer, comment="  ")
    services.decide_project(project, action="return", by=officer, comment="请补充中试线设备清单")
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED
    client.force_login(lead_user)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "请补充中试线设备清单" in page
    assert 'id="decision-reasons"' in page


def test_returned_project_is_edited_and_resubmitted(project, lead_user, officer):
    _submitted(project, lead_user)
    services.decide_project(project, action="return", by=officer, comment="补充材料")
    services.submit_project(project, by=lead_user)
    assert project.state == ProjectState.SUBMITTED
    actions = list(project.transitions.values_list("action", flat=True))
    assert actions == ["submit", "return", "resubmit"]


def test_rejected_project_is_closed(project, lead_user, officer):
    _submitted(project, lead_user)
    services.decide_project(project, action="reject", by=officer, comment="与已立项项目重复")
    with pytest.raises(IllegalTransition):
        services.submit_project(project, by=lead_user)
    with pytest.raises(IllegalTransition):
        services.approve_project(project, by=officer, granted_funding=Decimal("0"))


def test_life_after_approval_to_passed_acceptance(project, lead_user, officer):
    _submitted(project, lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("100"))
    services.transition_project(project, action="start", by=lead_user)
    services.transition_project(project, action="request_acceptance", by=lead_user, comment="已完成全部任务")
    with pytest.raises(NotPermitted):
        services.transition_project(project, action="pass_acceptance", by=lead_user)
    services.transition_project(project, action="pass_acceptance", by=officer)
    project.refresh_from_db()
    assert project.state == ProjectState.PASSED
    assert list(project.transitions.values_list("target", flat=True)) == [
        "submitted", "approved", "in_progress", "acceptance", "passed"]


def test_failed_acceptance_needs_reasons(project, lead_user, officer):
    _submitted(project, lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("100"))
    services.transition_project(project, action="start", by=officer)
    services.transition_project(project, action="request_acceptance", by=lead_user)
    with pytest.raises(WorkflowError):
        services.transition_project(project, action="fail_acceptance", by=officer)
    services.transition_project(project, action="fail_acceptance", by=officer, comment="关键指标未达到")
    assert project.state == ProjectState.FAILED


def test_only_the_bureau_terminates(project, lead_user, officer):
    _submitted(project, lead_user)
    services.approve_project(project, by=officer, granted_funding=Decimal("100"))
    with pytest.raises(NotPermitted):
        services.transition_project(project, action="terminate", by=lead_user, comment="不做了")
    services.transition_project(project, action="terminate", by=officer, comment="牵头单位破产")
    assert project.state == ProjectState.TERMINATED
    with pytest.raises(IllegalTransition):
        services.transition_project(project, action="start", by=lead_user)


def test_member_of_another_alliance_may_not_act(project, outsider):
    with pytest.raises(NotPermitted):
        services.submit_project(project, by=outsider)


def test_transition_records_are_append_only(project, lead_user):
    record = services.submit_project(project, by=lead_user)
    record.comment = "changed"
    with pytest.raises(ValueError, match="append-only"):
        record.save()


def test_unknown_action_is_refused(project, lead_user):
    with pytest.raises(IllegalTransition):
        services.transition_project(project, action="approve_everything", by=lead_user)
