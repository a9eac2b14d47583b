"""The whole path from submission to pilot through the pages, as each role would click it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.workflow import State
from reviews.models import Designation, ExpertAssignment, ScoreCriterion, ScreeningCheckItem

from .conftest import end_notice

pytestmark = pytest.mark.django_db


def post_action(client, alliance, action, comment=""):
    return client.post(reverse("reviews:transition", args=[alliance.pk]), {"action": action, "comment": comment},
                       follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_path_to_pilot_through_the_pages(client, submitted, officer, experts, department_reviewers):
    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Start screening" in page.content.decode()

    post_action(client, submitted, "start_screening")
    items = [str(pk) for pk in ScreeningCheckItem.objects.values_list("pk", flat=True)]
    client.post(reverse("reviews:checklist", args=[submitted.pk]), {"passed": items})
    response = post_action(client, submitted, "send_to_experts")
    assert "Done: Send to expert review." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == State.EXPERT_REVIEW

    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(reverse("reviews:assign_experts", args=[submitted.pk]),
                           {"experts": [e.pk for e in experts[:2]], "due_date": due}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "The experts were asked to review the application." in response.content.decode()

    for expert in experts[:2]:
        client.force_login(expert.user)
        assignment = ExpertAssignment.objects.get(expert=expert)
        client.post(reverse("reviews:respond", args=[assignment.pk]), {"accept": "yes"})
        data = {"recommendation": "approve", "comments": "结构合理，目标清晰。", "submit": "1"}
        for criterion in ScoreCriterion.objects.all():
            data[f"score_{criterion.pk}"] = str(criterion.max_score - 1)
        response = client.post(reverse("reviews:assignment", args=[assignment.pk]), data, follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
        assert "Your scores were submitted. Thank you." in response.content.decode()
        assignment.refresh_from_db()
        assert assignment.status == ExpertAssignment.Status.SUBMITTED

    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="score-table"' in page.content.decode()
    post_action(client, submitted, "send_to_joint_review")

    for reviewer in department_reviewers.values():
        client.force_login(reviewer)
        response = client.post(reverse("reviews:opinion", args=[submitted.pk]), {"opinion": "agree", "remarks": ""},
                               follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert "was recorded" in response.content.decode()

    submitted.refresh_from_db()
    assert submitted.state == State.PUBLIC_NOTICE  # the departments' agreement started the notice
    client.force_login(officer)
    end_notice(submitted)
    response = post_action(client, submitted, "grant_pilot")
    assert "Done: Grant pilot status." in response.content.decode()
    designation = Designation.objects.get(alliance=submitted)
    content = response.content.decode()
    assert designation.certificate_number in content

    page = client.get(reverse("reviews:certificate", args=[designation.pk]))
    assert submitted.name in page.content.decode()
    client.logout()
    register = client.get(reverse("reviews:register"))
    assert submitted.name in register.content.decode()
    assert designation.certificate_number in register.content.decode()
