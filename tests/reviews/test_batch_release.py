"""Releasing a batch: proposed applications go to public notice with one notice period, the others are
rejected with their reasons, each applicant is told their own outcome after commit; refused while
applications are missing outcomes; a second release changes nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.models import StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from notifications.models import Notification
from reviews import batches, services
from reviews.models import BatchDecision, PublicNotice, StagedOutcome
from tests.factories import AllianceFactory

from .batch_fixtures import batch_call, in_joint_review

pytestmark = pytest.mark.django_db

PROPOSED, NOT_THIS_TIME = StagedOutcome.Outcome.PROPOSED_PILOT, StagedOutcome.Outcome.NOT_THIS_TIME


@pytest.fixture
def call(db):
    return batch_call(title="2026年度第一批产业技术创新战略联盟申报")


@pytest.fixture
def staged(call, officer):
    a = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    b = in_joint_review(call, "淄博生物医药产业技术创新战略联盟")
    c = in_joint_review(call, "淄博智能装备产业技术创新战略联盟")
    batches.stage_outcome(a, outcome=PROPOSED, by=officer)
    batches.stage_outcome(b, outcome=NOT_THIS_TIME, reason="核心企业不足三家，研发投入偏低", by=officer)
    batches.stage_outcome(c, outcome=PROPOSED, reason="专家评分第一", by=officer)
    return a, b, c


def states(*alliances):
    for alliance in alliances:
        alliance.refresh_from_db()
    return [a.state for a in alliances]


def test_release_moves_proposed_to_notice_and_rejects_the_others(call, staged, officer,
                                                                 django_capture_on_commit_callbacks):
    a, b, c = staged
    with django_capture_on_commit_callbacks(execute=True):
        decision = batches.release_batch(call, by=officer)
    assert states(a, b, c) == [State.PUBLIC_NOTICE, State.REJECTED, State.PUBLIC_NOTICE]
    notices = list(PublicNotice.objects.filter(alliance__in=[a, c]).values_list("starts_on", "ends_on"))
    assert notices == [(decision.notice_starts_on, decision.notice_ends_on)] * 2
    assert decision.released_by == officer
    rejection = StateTransition.objects.get(alliance=b, action="reject")
    assert "核心企业不足三家，研发投入偏低" in rejection.comment
    assert rejection.actor == officer


def test_each_applicant_is_told_their_own_outcome(call, staged, officer, django_capture_on_commit_callbacks):
    a, b, c = staged
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batches.release_batch(call, by=officer)
        assert not Notification.objects.filter(recipient__in=[a.applicant, b.applicant, c.applicant]).exists()
    for callback in callbacks:
        callback()
    told = {n.recipient_id: n for n in Notification.objects.filter(
        recipient__in=[a.applicant, b.applicant, c.applicant])}
    assert set(told) == {a.applicant.pk, b.applicant.pk, c.applicant.pk}
    assert told[a.applicant.pk].kind == "application_public_notice"
    assert told[b.applicant.pk].kind == "application_rejected"
    assert "核心企业不足三家，研发投入偏低" in told[b.applicant.pk].body
    assert "核心企业不足三家" not in told[a.applicant.pk].body
    assert "专家评分第一" in told[c.applicant.pk].body
    assert "专家评分第一" not in told[a.applicant.pk].body


def test_release_refused_while_applications_miss_outcomes(call, officer):
    staged_one = in_joint_review(call, "甲联盟")
    batches.stage_outcome(staged_one, outcome=PROPOSED, by=officer)
    in_joint_review(call, "乙联盟")
    early = AllianceFactory(call=call, name="丙联盟")
    type(early).objects.filter(pk=early.pk).update(state=State.EXPERT_REVIEW)
    with pytest.raises(WorkflowError) as refusal:
        batches.release_batch(call, by=officer)
    assert "No staged outcome yet: 乙联盟" in refusal.value.message
    assert "Not in joint review yet: 丙联盟" in refusal.value.message
    assert states(staged_one) == [State.JOINT_REVIEW]
    assert not BatchDecision.objects.filter(call=call, released_at__isnull=False).exists()
    assert AuditEvent.objects.filter(action="release_batch", outcome=AuditEvent.Outcome.REFUSED).count() == 1


def test_release_refused_while_the_window_is_open(officer):
    open_call = batch_call(closes_at=timezone.now() + datetime.timedelta(days=3))
    batches.stage_outcome(in_joint_review(open_call, "甲联盟"), outcome=PROPOSED, by=officer)
    with pytest.raises(WorkflowError, match="release its batch after the window closes"):
        batches.release_batch(open_call, by=officer)
    assert not BatchDecision.objects.filter(call=open_call, released_at__isnull=False).exists()


def test_returned_application_holds_the_batch_until_rejected(call, staged, officer):
    returned = AllianceFactory(call=call, name="退回联盟")
    type(returned).objects.filter(pk=returned.pk).update(state=State.RETURNED, current_version=1)
    with pytest.raises(WorkflowError, match="Returned for revision and not resubmitted: 退回联盟"):
        batches.release_batch(call, by=officer)
    transition(returned, action="reject", by=officer, comment="逾期未重新提交")
    batches.release_batch(call, by=officer)
    assert states(returned) == [State.REJECTED]


def test_release_refused_when_departments_no_longer_agree(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    batches.stage_outcome(alliance, outcome=PROPOSED, by=officer)
    alliance.joint_opinions.update(opinion="disagree", remarks="重复建设")
    with pytest.raises(WorkflowError, match="甲联盟 is proposed, but"):
        batches.release_batch(call, by=officer)


def test_release_refused_with_nothing_to_release(call, officer):
    with pytest.raises(WorkflowError, match="No application of this call is in joint review"):
        batches.release_batch(call, by=officer)


def test_drafts_and_closed_applications_do_not_hold_the_batch(call, staged, officer):
    draft = AllianceFactory(call=call, name="草稿联盟")
    withdrawn = AllianceFactory(call=call, name="撤回联盟")
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(state=State.WITHDRAWN)
    batches.release_batch(call, by=officer)
    assert states(draft, withdrawn) == [State.DRAFT, State.WITHDRAWN]


def test_second_release_changes_nothing(call, staged, officer):
    first = batches.release_batch(call, by=officer)
    again = batches.release_batch(call, by=officer)
    assert again.pk == first.pk
    assert again.released_at == first.released_at
    assert StateTransition.objects.filter(alliance__call=call).count() == 3


def test_release_refused_for_other_roles(call, staged, department_reviewer, member):
    for user in (department_reviewer, member, staged[0].applicant):
        with pytest.raises(NotPermitted):
            batches.release_batch(call, by=user)
    assert states(*staged) == [State.JOINT_REVIEW] * 3


def test_individual_public_notice_refused_for_a_call_application(call, officer):
    alliance = in_joint_review(call, "甲联盟")
    with pytest.raises(WorkflowError, match="decided with its call's batch"):
        transition(alliance, action="start_public_notice", by=officer)
    assert services.blockers(alliance)["start_public_notice"].startswith("This application belongs to “2026年度")
    assert states(alliance) == [State.JOINT_REVIEW]


def test_individual_grant_refused_for_a_call_application(call, staged, officer):
    batches.release_batch(call, by=officer)
    a = staged[0]
    PublicNotice.objects.filter(alliance=a).update(starts_on="2026-01-01", ends_on="2026-01-09")
    with pytest.raises(WorkflowError, match="decided with its call's batch"):
        services.grant_pilot(a, by=officer)
    assert states(a) == [State.PUBLIC_NOTICE]


def test_departments_agreeing_do_not_start_the_notice_of_a_call_application(call, officer, department_reviewers):
    alliance = in_joint_review(call, "甲联盟")
    alliance.joint_opinions.all().delete()
    for reviewer in department_reviewers.values():
        services.record_opinion(alliance, opinion="agree", by=reviewer)
    assert states(alliance) == [State.JOINT_REVIEW]
    assert batches.stage_outcome(alliance, outcome=PROPOSED, by=officer).outcome == PROPOSED


def test_one_by_one_path_unchanged_without_a_call(officer):
    alliance = AllianceFactory()
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.PUBLIC_NOTICE, current_version=1)
    PublicNotice.objects.create(alliance=alliance, version=1, starts_on="2026-01-01", ends_on="2026-01-09")
    designation = services.grant_pilot(alliance, by=officer)
    assert designation.batch is None
    assert states(alliance) == [State.PILOT]


def test_individual_actions_refused_through_the_api_with_the_reason(call, staged, officer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(officer)
    a = staged[0]
    url = f"/api/v1/reviews/applications/{a.pk}/transition/"
    response = client.post(url, {"action": "start_public_notice"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "decided with its call's batch" in str(response.json())
    actions = client.get(f"/api/v1/reviews/applications/{a.pk}/actions/", HTTP_ACCEPT_LANGUAGE="en").json()
    waiting = {row["action"]: row["waiting_for"] for row in actions}
    assert "decided with its call's batch" in waiting["start_public_notice"]
    assert states(a) == [State.JOINT_REVIEW]
