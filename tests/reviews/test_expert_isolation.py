"""An expert sees only their own assignments and never another expert's scores."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance_portal.core.errors import NotPermitted
from alliances.workflow import State
from reviews import services
from reviews.models import ExpertAssignment

from .conftest import advance, full_marks, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_assignments(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    return services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)


def test_my_assignments_lists_only_my_own(client, two_assignments):
    mine, theirs = two_assignments
    client.force_login(mine.expert.user)
    response = client.get(reverse("reviews:my_assignments"))
    assert list(response.context["page"]) == [mine]
    assert reverse("reviews:assignment", args=[theirs.pk]) not in response.content.decode()


def test_other_experts_assignment_is_404(client, two_assignments):
    mine, theirs = two_assignments
    client.force_login(mine.expert.user)
    assert client.get(reverse("reviews:assignment", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("reviews:respond", args=[theirs.pk]), {"accept": "yes"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ExpertAssignment.Status.INVITED


def test_other_experts_scores_never_shown(client, two_assignments):
    mine, theirs = two_assignments
    score(theirs, fraction=0.35, recommendation="reject")
    services.respond_to_assignment(mine, accept=True, by=mine.expert.user)
    client.force_login(mine.expert.user)
    content = client.get(reverse("reviews:assignment", args=[mine.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert theirs.expert.user.full_name not in content
    # their total (35.00) is nowhere in the page's text (not counting ids in links, tokens or clock times)
    text = re.sub(r"<[^>]+>", " ", content).replace("0–", "")
    assert not re.search(r"(?<![\w.:])35(?:\.\d+)?(?![\w.:])", text)
    assert 'id="score-table"' not in content


def test_expert_cannot_open_the_officer_pages(client, two_assignments):
    mine, _theirs = two_assignments
    client.force_login(mine.expert.user)
    assert client.get(reverse("reviews:queue")).status_code == 403
    assert client.get(reverse("reviews:application", args=[mine.alliance_id])).status_code == 403


def test_expert_cannot_score_someone_elses_assignment_through_the_service(two_assignments):
    mine, theirs = two_assignments
    with pytest.raises(NotPermitted):
        services.respond_to_assignment(theirs, accept=True, by=mine.expert.user)
    with pytest.raises(NotPermitted):
        services.save_scorecard(theirs, scores=full_marks(), comments="x", recommendation="approve", submit=True,
                                by=mine.expert.user)


def test_api_lists_only_own_assignments(client, two_assignments):
    mine, theirs = two_assignments
    client.force_login(mine.expert.user)
    body = client.get("/api/v1/reviews/assignments/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert client.get(f"/api/v1/reviews/assignments/{theirs.pk}/").status_code == 404
