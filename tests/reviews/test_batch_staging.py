"""Staged outcomes (拟认定意见): recorded per application in joint review, revisable until release, each revision
in the audit trail; refused after release, outside joint review, without a reason, for other roles."""

import pytest

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from alliances.workflow import State
from reviews import batches
from reviews.models import StagedOutcome
from tests.factories import AllianceFactory

from .batch_fixtures import batch_call, in_joint_review

pytestmark = pytest.mark.django_db

PROPOSED, NOT_THIS_TIME = StagedOutcome.Outcome.PROPOSED_PILOT, StagedOutcome.Outcome.NOT_THIS_TIME


@pytest.fixture
def call(db):
    return batch_call()


def test_staging_records_outcome_and_next_position(call, officer):
    first, second = in_joint_review(call, "甲联盟"), in_joint_review(call, "乙联盟")
    row1 = batches.stage_outcome(first, outcome=PROPOSED, by=officer)
    row2 = batches.stage_outcome(second, outcome=NOT_THIS_TIME, reason="研发投入不足", by=officer)
    assert [(row1.outcome, row1.position), (row2.outcome, row2.reason, row2.position)] == [
        (PROPOSED, 1), (NOT_THIS_TIME, "研发投入不足", 2)]
    assert row1.call == call
    assert row1.staged_by == officer


def test_every_revision_is_audited_from_and_to(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason="与已认定联盟领域重复", by=officer)
    batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason="与已认定联盟领域重复", by=officer)  # repeat click
    batches.stage_outcome(alliance, outcome=PROPOSED, reason="补充材料后符合条件", by=officer)
    events = AuditEvent.objects.filter(action="stage_outcome", object_id=str(alliance.pk),
                                       outcome=AuditEvent.Outcome.OK).order_by("pk")
    assert [(e.detail["source"], e.detail["target"], e.detail["reason"]) for e in events] == [
        ("", PROPOSED, ""),
        (PROPOSED, NOT_THIS_TIME, "与已认定联盟领域重复"),
        (NOT_THIS_TIME, PROPOSED, "补充材料后符合条件"),
    ]
    assert all(e.user == officer for e in events)
    assert StagedOutcome.objects.get(alliance=alliance).outcome == PROPOSED


def test_position_can_be_set(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    row = batches.stage_outcome(alliance, outcome=PROPOSED, position=7, by=officer)
    assert row.position == 7


def test_not_this_time_needs_a_reason(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    with pytest.raises(WorkflowError, match="reason"):
        batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason="  ", by=officer)
    assert not StagedOutcome.objects.exists()


def test_proposed_pilot_needs_the_departments_agreement(call, officer):
    alliance = in_joint_review(call, "甲联盟", agree=False)
    with pytest.raises(WorkflowError, match="disagreed"):
        batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    assert batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason="部门意见不一致", by=officer).pk


def test_staging_refused_outside_joint_review(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.EXPERT_REVIEW)
    with pytest.raises(IllegalTransition, match="joint review"):
        batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)


def test_staging_refused_for_an_application_without_call(officer):
    alliance = AllianceFactory()
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.JOINT_REVIEW)
    with pytest.raises(WorkflowError, match="no call"):
        batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)


def test_staging_refused_after_release(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    batches.release_batch(call, by=officer)
    with pytest.raises(IllegalTransition, match="released"):
        batches.stage_outcome(alliance, outcome=NOT_THIS_TIME, reason="改变主意", by=officer)
    assert StagedOutcome.objects.get(alliance=alliance).outcome == PROPOSED
    refused = AuditEvent.objects.filter(action="stage_outcome", outcome=AuditEvent.Outcome.REFUSED).get()
    assert "released" in refused.detail["reason"]


def test_staging_refused_for_other_roles(call, department_reviewer, member):
    alliance = in_joint_review(call, "甲联盟")
    for user in (department_reviewer, member, alliance.applicant):
        with pytest.raises(NotPermitted):
            batches.stage_outcome(alliance, outcome=PROPOSED, by=user)
    assert not StagedOutcome.objects.exists()
