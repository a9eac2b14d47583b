"""Each step tells the people who act next, after the transaction commits, with a link they can open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.workflow import State
from notifications.models import Notification
from reviews import services

from .conftest import advance

pytestmark = pytest.mark.django_db


def test_submission_notifies_officers_with_the_review_link(officer, applicant, django_capture_on_commit_callbacks):
    from tests.factories import eligible_alliance

    from .conftest import submit

    alliance = eligible_alliance(chairman=applicant.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        submit(alliance, applicant)
    note = Notification.objects.get(recipient=officer)
    assert note.url == reverse("reviews:application", args=[alliance.pk])


def test_assignment_notifies_the_expert(submitted, officer, experts, django_capture_on_commit_callbacks):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_experts(submitted, experts=experts[:1], due_date=timezone.localdate() + datetime.timedelta(days=5),
                                by=officer)
    note = Notification.objects.get(recipient=experts[0].user)
    assert note.url == reverse("reviews:my_assignments")
    assert submitted.name in note.title


def test_joint_review_notifies_department_reviewers(submitted, officer, experts, department_reviewers,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        advance(submitted, officer, to=State.JOINT_REVIEW, experts=experts)
    for reviewer in department_reviewers.values():
        note = Notification.objects.get(recipient=reviewer, kind="joint_review_opened")
        assert note.url == reverse("reviews:opinion", args=[submitted.pk])


def test_designation_notifies_the_applicant(submitted, officer, experts, department_reviewers, applicant,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        advance(submitted, officer, to=State.PILOT, experts=experts, reviewers=department_reviewers)
    note = Notification.objects.get(recipient=applicant, kind="application_pilot")
    assert note.url == reverse("alliances:detail", args=[submitted.pk])
