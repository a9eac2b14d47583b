"""Expert review: due in 3 days (to the expert) and overdue weekly (to the expert and the officer)."""

from datetime import date, timedelta

import pytest

from alliances.models import Alliance
from alliances.workflow import State
from notifications.models import Notification
from reminders import services
from reminders.models import Reminder
from reviews.models import ExpertAssignment

from .factories import expert_assignment

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 10)


def test_expert_review_reminders_on_exactly_the_right_days(sweep_daily, officer):
    expert_assignment(DUE, assigned_by=officer)

    created = sweep_daily("expert_review", DUE - timedelta(days=10), DUE + timedelta(days=15))

    assert created == {
        DUE - timedelta(days=3): 1,  # the expert
        DUE + timedelta(days=1): 2,  # the expert and the officer
        DUE + timedelta(days=8): 2,
        DUE + timedelta(days=15): 2,
    }


def test_expert_review_due_message_to_the_expert(travel, sweep, officer):
    assignment = expert_assignment(DUE, assigned_by=officer)
    travel(DUE - timedelta(days=3))

    sweep("expert_review")

    notification = Notification.objects.get()
    assert notification.recipient == assignment.expert.user
    assert notification.title == f"{assignment.alliance.name}的专家评审将于 3 天后到期"
    assert "2026年12月10日" in notification.body


def test_expert_review_overdue_messages_differ_for_expert_and_officer(travel, sweep, officer):
    assignment = expert_assignment(DUE, assigned_by=officer)
    travel(DUE + timedelta(days=2))

    sweep("expert_review")

    to_expert = Notification.objects.get(recipient=assignment.expert.user)
    to_officer = Notification.objects.get(recipient=officer)
    assert to_expert.title == f"{assignment.alliance.name}的专家评审已逾期"
    assert to_officer.title == f"专家评审逾期：陈教授评审{assignment.alliance.name}"
    assert "已逾期 2 天" in to_officer.body


@pytest.mark.parametrize("status", [ExpertAssignment.Status.SUBMITTED, ExpertAssignment.Status.DECLINED,
                                    ExpertAssignment.Status.WITHDRAWN])
def test_expert_review_silent_for_closed_assignments(travel, sweep, officer, status):
    expert_assignment(DUE, assigned_by=officer, status=status)
    travel(DUE + timedelta(days=1))

    assert sweep("expert_review").found == 0


def test_expert_review_silent_when_the_application_left_expert_review(travel, sweep, officer):
    assignment = expert_assignment(DUE, assigned_by=officer)
    Alliance.objects.filter(pk=assignment.alliance_id).update(state=State.JOINT_REVIEW)
    travel(DUE - timedelta(days=3))

    assert sweep("expert_review").found == 0


def test_expert_review_scored_before_delivery_is_cancelled(travel, officer, django_capture_on_commit_callbacks):
    assignment = expert_assignment(DUE, assigned_by=officer)
    travel(DUE + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("expert_review")
    ExpertAssignment.objects.filter(pk=assignment.pk).update(status=ExpertAssignment.Status.SUBMITTED)

    assert services.deliver(list(Reminder.objects.values_list("pk", flat=True))).cancelled == 2
    assert Notification.objects.count() == 0
