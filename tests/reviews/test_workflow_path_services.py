"""The whole path from submission to pilot through the services, and what each step records."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, WorkflowError
from alliances.models import StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from reviews import selectors, services
from reviews.models import Designation, ExpertAssignment, PublicNotice, RevisionGuidance

from .conftest import advance, end_notice, score, submit, tick_all

pytestmark = pytest.mark.django_db


def test_submission_to_pilot_records_every_step(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.PILOT, experts=experts, reviewers=department_reviewers)
    assert submitted.state == State.PILOT
    steps = list(StateTransition.objects.filter(alliance=submitted).values_list("action", "source", "target"))
    assert steps == [
        ("submit", "draft", "submitted"),
        ("start_screening", "submitted", "screening"),
        ("send_to_experts", "screening", "expert_review"),
        ("send_to_joint_review", "expert_review", "joint_review"),
        ("start_public_notice", "joint_review", "public_notice"),
        ("grant_pilot", "public_notice", "pilot"),
    ]
    designation = Designation.objects.get(alliance=submitted)
    assert designation.level == Designation.Level.PILOT
    assert designation.certificate_number == f"〔{timezone.localdate().year}〕001"
    assert designation.designated_by == officer
    assert PublicNotice.objects.get(alliance=submitted).closed_at is not None
    assert AuditEvent.objects.filter(action="designate", object_id=str(submitted.pk)).exists()


def test_return_for_revision_and_resubmit_addresses_guidance(submitted, officer, applicant):
    advance(submitted, officer, to=State.SCREENING)
    services.return_for_revision(submitted, guidance={"members": "请补充核心企业的确认函。", "basic": " "},
                                 comment="材料不完整", by=officer)
    assert submitted.state == State.RETURNED
    [guidance] = selectors.open_guidance(submitted)
    assert (guidance.section, guidance.version, guidance.text) == ("members", 1, "请补充核心企业的确认函。")
    submit(submitted, applicant)
    assert submitted.state == State.RESUBMITTED
    guidance.refresh_from_db()
    assert guidance.addressed_in_version == 2
    assert not selectors.open_guidance(submitted).exists()


def test_return_for_revision_without_guidance_is_refused(submitted, officer):
    advance(submitted, officer, to=State.SCREENING)
    with pytest.raises(WorkflowError, match="Write guidance for at least one section"):
        services.return_for_revision(submitted, guidance={"basic": "  "}, by=officer)
    submitted.refresh_from_db()
    assert submitted.state == State.SCREENING
    assert not RevisionGuidance.objects.exists()


def test_send_to_experts_refused_until_checklist_complete(submitted, officer):
    advance(submitted, officer, to=State.SCREENING)
    with pytest.raises(WorkflowError, match="checklist is not complete"):
        transition(submitted, action="send_to_experts", by=officer)
    tick_all(submitted, officer)
    transition(submitted, action="send_to_experts", by=officer)
    assert submitted.state == State.EXPERT_REVIEW


def test_joint_review_refused_while_an_expert_has_not_scored(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=7)
    first, second = services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    with pytest.raises(WorkflowError, match="No expert has submitted scores yet"):
        transition(submitted, action="send_to_joint_review", by=officer)
    score(first)
    with pytest.raises(WorkflowError, match=str(second.expert)):
        transition(submitted, action="send_to_joint_review", by=officer)
    services.withdraw_assignment(second, by=officer)
    transition(submitted, action="send_to_joint_review", by=officer)
    assert submitted.state == State.JOINT_REVIEW


def test_public_notice_refused_until_every_department_agrees(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.JOINT_REVIEW, experts=experts)
    reviewers = list(department_reviewers.values())
    services.record_opinion(submitted, opinion="agree", by=reviewers[0])
    services.record_opinion(submitted, opinion="disagree", remarks="产业方向重复", by=reviewers[1])
    with pytest.raises(WorkflowError, match="disagreed"):
        transition(submitted, action="start_public_notice", by=officer)
    services.record_opinion(submitted, opinion="agree", remarks="已沟通", by=reviewers[1])
    with pytest.raises(WorkflowError, match="waiting for"):
        transition(submitted, action="start_public_notice", by=officer)
    services.record_opinion(submitted, opinion="agree", by=reviewers[2])
    submitted.refresh_from_db()
    assert submitted.state == State.PUBLIC_NOTICE
    record = StateTransition.objects.get(alliance=submitted, action="start_public_notice")
    assert record.actor is None
    assert record.comment == "The departments agreed in joint review."


def test_majority_rule_accepts_two_of_three(submitted, officer, experts, department_reviewers):
    from reviews.models import ReviewSettings

    ReviewSettings.objects.filter(pk=1).update(joint_review_rule="majority")
    advance(submitted, officer, to=State.JOINT_REVIEW, experts=experts)
    reviewers = list(department_reviewers.values())
    services.record_opinion(submitted, opinion="agree", by=reviewers[0])
    services.record_opinion(submitted, opinion="disagree", remarks="不同意", by=reviewers[1])
    with pytest.raises(WorkflowError, match="1 of 3"):
        transition(submitted, action="start_public_notice", by=officer)
    services.record_opinion(submitted, opinion="agree", by=reviewers[2])
    submitted.refresh_from_db()
    assert submitted.state == State.PUBLIC_NOTICE


def test_grant_pilot_refused_during_notice_and_with_open_objection(submitted, officer, experts,
                                                                   department_reviewers):
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    notice = selectors.current_notice(submitted)
    with pytest.raises(WorkflowError, match="designation is possible the day after"):
        services.grant_pilot(submitted, by=officer)
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=timezone.localdate())
    notice.refresh_from_db()
    objection = services.submit_objection(notice, name="刘先生", phone="13700000000", text="联盟成员信息不实。")
    end_notice(submitted)
    with pytest.raises(WorkflowError, match="1 objection"):
        services.grant_pilot(submitted, by=officer)
    services.resolve_objection(objection, status="dismissed", resolution="经核实，成员信息属实。", by=officer)
    designation = services.grant_pilot(submitted, by=officer)
    assert designation.alliance == submitted
    assert not Designation.objects.exclude(pk=designation.pk).exists()


def test_second_grant_returns_none_and_no_second_designation(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.PILOT, experts=experts, reviewers=department_reviewers)
    assert transition(submitted, action="grant_pilot", by=officer) is None
    assert Designation.objects.filter(alliance=submitted).count() == 1


def test_reject_needs_a_reason(submitted, officer):
    advance(submitted, officer, to=State.SCREENING)
    with pytest.raises(WorkflowError, match="write down the reason"):
        transition(submitted, action="reject", by=officer, comment="  ")
    transition(submitted, action="reject", by=officer, comment="不符合本市重点产业方向")
    assert submitted.state == State.REJECTED


def test_return_from_expert_review_withdraws_open_assignments(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    services.return_for_revision(submitted, guidance={"work_plan": "研发投入需细化到年度。"}, by=officer)
    assert set(ExpertAssignment.objects.values_list("status", flat=True)) == {"withdrawn"}


def test_withdraw_during_public_notice_closes_the_notice(submitted, officer, experts, department_reviewers,
                                                         applicant):
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    transition(submitted, action="withdraw", by=applicant, comment="联盟重组")
    assert submitted.state == State.WITHDRAWN
    assert PublicNotice.objects.get(alliance=submitted).closed_at is not None


def test_revoke_effect_revokes_standing_designation(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.PILOT, experts=experts, reviewers=department_reviewers)
    transition(submitted, action="open_assessment", by=officer)
    transition(submitted, action="order_rectification", by=officer)
    transition(submitted, action="revoke", by=officer, comment="整顿期满仍不合格")
    designation = Designation.objects.get(alliance=submitted)
    assert designation.revoked_at is not None
    assert designation.revoke_reason == "整顿期满仍不合格"


def test_stale_action_is_an_illegal_transition_with_the_state(submitted, officer):
    with pytest.raises(IllegalTransition, match="“Submitted”; “Send to expert review” is not possible now"):
        transition(submitted, action="send_to_experts", by=officer)
