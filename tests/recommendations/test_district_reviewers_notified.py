"""The district's reviewers are told when an application of their district waits for their recommendation."""

import pytest
from django.urls import reverse

from alliances.transitions import transition
from alliances.workflow import State
from notifications.models import Notification
from tests.factories import CallFactory, district, district_reviewer, eligible_alliance, member_user

pytestmark = pytest.mark.django_db


def test_submission_in_a_district_call_notifies_only_that_districts_reviewers(django_capture_on_commit_callbacks):
    alliance = eligible_alliance(call=CallFactory())
    own = district_reviewer(alliance.chairman.district)
    other = district_reviewer(district("370302"))
    applicant = member_user(organisation=alliance.chairman)
    with django_capture_on_commit_callbacks(execute=True):
        transition(alliance, action="submit", by=applicant)
    assert alliance.state == State.DISTRICT_REVIEW
    notes = list(Notification.objects.filter(kind="recommendation_requested").values_list("recipient_id", "url"))
    assert notes == [(own.pk, reverse("recommendations:application", args=[alliance.pk]))]
    assert not Notification.objects.filter(recipient=other).exists()
