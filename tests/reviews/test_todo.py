"""The reviews app's to-do entries for each role."""

import datetime

import pytest
from django.utils import timezone

from alliances.workflow import State
from reviews import services, todo

from .conftest import advance, make_department_reviewer

pytestmark = pytest.mark.django_db


def by_icon(items):
    return {item.icon: item.count for item in items}


def test_officer_sees_applications_to_screen_and_objections(submitted, officer, experts, department_reviewers):
    assert by_icon(todo.items(officer))["clipboard-check"] == 1
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    from reviews.models import PublicNotice

    PublicNotice.objects.filter(alliance=submitted).update(starts_on=timezone.localdate(),
                                                           ends_on=timezone.localdate() + datetime.timedelta(days=1))
    services.submit_objection(PublicNotice.objects.get(), name="王", phone="13700001111", text="请核实成员信息是否属实。")
    counts = by_icon(todo.items(officer))
    assert counts["clipboard-check"] == 0
    assert counts["exclamation-octagon"] == 1
    assert counts["megaphone"] == 1


def test_expert_sees_requests_and_scoring(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=2)
    [assignment] = services.assign_experts(submitted, experts=experts[:1], due_date=due, by=officer)
    user = assignment.expert.user
    assert by_icon(todo.items(user)) == {"envelope-open": 1, "pencil-square": 0, "alarm": 1}
    services.respond_to_assignment(assignment, accept=True, by=user)
    assert by_icon(todo.items(user)) == {"envelope-open": 0, "pencil-square": 1, "alarm": 1}
    assert by_icon(todo.items(experts[1].user)) == {"envelope-open": 0, "pencil-square": 0, "alarm": 0}


def test_department_reviewer_sees_opinions_to_give(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.JOINT_REVIEW, experts=experts)
    reviewer = department_reviewers["science-technology"]
    assert by_icon(todo.items(reviewer)) == {"people": 1}
    services.record_opinion(submitted, opinion="agree", by=reviewer)
    assert by_icon(todo.items(reviewer)) == {"people": 0}


def test_member_has_no_review_items(applicant):
    assert todo.items(applicant) == []


def test_reviewer_without_department_has_no_items(db):
    from accounts.roles import Role
    from tests.factories import UserFactory

    assert todo.items(UserFactory(roles=[Role.DEPARTMENT_REVIEWER])) == []
    assert make_department_reviewer("industry-it")
