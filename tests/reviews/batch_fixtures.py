"""Applications of a call at the joint review, ready for decisions in batch (used by tests/reviews/test_batch_*)."""

import datetime

from django.utils import timezone

from alliances.models import Alliance
from alliances.workflow import State
from reviews.models import BatchDecision, Department, JointReviewOpinion, PublicNotice
from tests.factories import AllianceFactory, CallFactory, member_user


def batch_call(**kwargs):
    """A call without the optional stages whose window has closed (a batch is released after it)."""
    now = timezone.now()
    window = {"opens_at": now - datetime.timedelta(days=60), "closes_at": now - datetime.timedelta(days=1)}
    return CallFactory(requires_district_recommendation=False, uses_site_visits=False, **{**window, **kwargs})


def close_window(call):
    """The call's window closes now (its applications were submitted while it was open)."""
    type(call).objects.filter(pk=call.pk).update(closes_at=timezone.now())
    call.refresh_from_db()


def in_joint_review(call, name, *, agree=True, applicant=None):
    """An application of ``call`` in joint review (version 1), every department's opinion given."""
    applicant = applicant or member_user()
    alliance = AllianceFactory(call=call, name=name, chairman=applicant.organisation)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.JOINT_REVIEW, current_version=1)
    alliance.refresh_from_db()
    opinion = JointReviewOpinion.Opinion.AGREE if agree else JointReviewOpinion.Opinion.DISAGREE
    for department in Department.objects.filter(joins_joint_review=True, is_active=True):
        JointReviewOpinion.objects.create(alliance=alliance, version=1, department=department, opinion=opinion,
                                          remarks="" if agree else "不符合本市重点产业方向")
    alliance.applicant = applicant
    return alliance


def end_batch_notice(call):
    """Move the batch's notice period into the past (the calendar is not ours to wait for)."""
    today = timezone.localdate()
    PublicNotice.objects.filter(alliance__call=call).update(starts_on=today - datetime.timedelta(days=10),
                                                            ends_on=today - datetime.timedelta(days=1))
    BatchDecision.objects.filter(call=call).update(
        notice_starts_on=today - datetime.timedelta(days=10), notice_ends_on=today - datetime.timedelta(days=1))
