"""An expert asked to review a resubmitted application sees what changed since the version they scored."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.transitions import transition
from alliances.workflow import State
from reviews import services

from .conftest import advance, score, submit, tick_all

pytestmark = pytest.mark.django_db


def test_expert_sees_sections_changed_since_their_review(client, submitted, officer, experts, applicant):
    from alliances.services import update_basic_info

    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    [first] = services.assign_experts(submitted, experts=experts[:1], due_date=due, by=officer)
    score(first, fraction=0.7, recommendation="revise")
    services.return_for_revision(submitted, guidance={"basic": "技术方向请聚焦到结构陶瓷。"}, by=officer)
    update_basic_info(submitted, by=applicant, changes={"technical_direction": "结构陶瓷共性关键技术"})
    submit(submitted, applicant)
    transition(submitted, action="start_screening", by=officer)
    tick_all(submitted, officer)
    transition(submitted, action="send_to_experts", by=officer)
    [second] = services.assign_experts(submitted, experts=experts[:1], due_date=due, by=officer)
    assert second.version == 2

    client.force_login(experts[0].user)
    content = client.get(reverse("reviews:assignment", args=[second.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You scored version 1; this is version 2. What changed:" in content
    assert "Basic information" in content
    assert "technical direction" in content.lower()

    other = client.get(reverse("reviews:assignment", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What changed" not in other
