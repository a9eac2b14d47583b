"""Designating a batch: refused during the notice and while objections are open (naming them); then one action
gives consecutive certificate numbers in the batch's order and one designation document; a repeat changes nothing."""

import datetime

import pytest
from django.utils import timezone

from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.transitions import transition
from alliances.workflow import State
from reviews import batches, services
from reviews.models import BatchDecision, Designation, Objection, StagedOutcome
from tests.factories import AllianceFactory

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review

pytestmark = pytest.mark.django_db

PROPOSED, NOT_THIS_TIME = StagedOutcome.Outcome.PROPOSED_PILOT, StagedOutcome.Outcome.NOT_THIS_TIME


@pytest.fixture
def call(db):
    return batch_call()


@pytest.fixture
def released(call, officer):
    """Four proposed (positions 3, 1, 1, 2 → order 联盟A, 联盟B (same position: by name), 丙, 丁) and one not this
    time, released. Latin letters break the tie, so the order is the same under any collation."""
    rows = {name: in_joint_review(call, name) for name in ("丁联盟", "联盟B", "联盟A", "丙联盟", "戊联盟")}
    batches.stage_outcome(rows["联盟B"], outcome=PROPOSED, position=1, by=officer)
    batches.stage_outcome(rows["联盟A"], outcome=PROPOSED, position=1, by=officer)
    batches.stage_outcome(rows["丁联盟"], outcome=PROPOSED, position=3, by=officer)
    batches.stage_outcome(rows["丙联盟"], outcome=PROPOSED, position=2, by=officer)
    batches.stage_outcome(rows["戊联盟"], outcome=NOT_THIS_TIME, reason="不符合申报条件", by=officer)
    batches.release_batch(call, by=officer)
    return rows


def test_designation_refused_before_release(call, officer):
    in_joint_review(call, "甲联盟")
    with pytest.raises(WorkflowError, match="not been released"):
        batches.designate_batch(call, by=officer)


def test_designation_refused_during_the_notice(call, released, officer):
    decision = BatchDecision.objects.get(call=call)
    with pytest.raises(WorkflowError, match="The public notice runs until"):
        batches.designate_batch(call, by=officer)
    assert decision.notice_ends_on >= timezone.localdate()
    assert not Designation.objects.exists()


def test_designation_refused_with_open_objections_naming_them(call, released, officer):
    end_batch_notice(call)
    notice = released["丙联盟"].public_notices.get()
    for text in ("成员单位并未签署协议", "研发投入数据不实"):
        Objection.objects.create(notice=notice, name="李某", phone="13800000000", text=text)
    with pytest.raises(WorkflowError) as refusal:
        batches.designate_batch(call, by=officer)
    assert "Objections not resolved yet: 丙联盟（2）" in refusal.value.message
    for objection in Objection.objects.all():
        services.resolve_objection(objection, status="dismissed", resolution="经核实不属实", by=officer)
    assert batches.designate_blockers(call) == []


def test_batch_designation_gives_consecutive_numbers_in_the_batch_order(call, released, officer):
    # Numbers already taken this year by an alliance outside any call: the batch continues after them.
    outside = AllianceFactory()
    type(outside).objects.filter(pk=outside.pk).update(state=State.PILOT)
    services.designate(outside, level="pilot", by=officer)
    end_batch_notice(call)
    decision = batches.designate_batch(call, by=officer)
    year = timezone.localdate().year
    entries = list(batches.document_entries(decision))
    assert [(d.alliance.name, d.certificate_number) for d in entries] == [
        ("联盟A", f"〔{year}〕002"), ("联盟B", f"〔{year}〕003"), ("丙联盟", f"〔{year}〕004"),
        ("丁联盟", f"〔{year}〕005"),
    ]
    assert decision.document_number == f"淄科字〔{year}〕1号"
    assert decision.designated_by == officer
    for name in ("联盟A", "联盟B", "丙联盟", "丁联盟"):
        released[name].refresh_from_db()
        assert released[name].state == State.PILOT
    released["戊联盟"].refresh_from_db()
    assert released["戊联盟"].state == State.REJECTED


def test_second_designation_changes_nothing_and_next_batch_gets_the_next_document_number(call, released, officer):
    end_batch_notice(call)
    first = batches.designate_batch(call, by=officer)
    again = batches.designate_batch(call, by=officer)
    assert (again.pk, again.document_number) == (first.pk, first.document_number)
    assert Designation.objects.count() == 4

    second_call = batch_call()
    alliance = in_joint_review(second_call, "己联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    batches.release_batch(second_call, by=officer)
    end_batch_notice(second_call)
    other = batches.designate_batch(second_call, by=officer)
    year = timezone.localdate().year
    assert other.document_number == f"淄科字〔{year}〕2号"
    assert [d.certificate_number for d in batches.document_entries(other)] == [f"〔{year}〕005"]


def test_withdrawn_during_the_notice_is_left_out(call, released, officer):
    applicant = released["联盟A"].applicant
    transition(released["联盟A"], action="withdraw", by=applicant)
    end_batch_notice(call)
    decision = batches.designate_batch(call, by=officer)
    assert [d.alliance.name for d in batches.document_entries(decision)] == ["联盟B", "丙联盟", "丁联盟"]


def test_designation_refused_for_other_roles(call, released, department_reviewer, member):
    end_batch_notice(call)
    for user in (department_reviewer, member):
        with pytest.raises(NotPermitted):
            batches.designate_batch(call, by=user)
    assert not Designation.objects.exists()


def test_notice_end_is_inclusive(call, released, officer):
    today = timezone.localdate()
    BatchDecision.objects.filter(call=call).update(notice_ends_on=today)
    assert any("runs until" in p for p in batches.designate_blockers(call))
    BatchDecision.objects.filter(call=call).update(notice_ends_on=today - datetime.timedelta(days=1))
    assert not any("runs until" in p for p in batches.designate_blockers(call))
