"""Experts see only their own assessment scorecards: anybody else's is a 404, never a 403."""

import pytest
from django.urls import reverse

from assessments import services

from .conftest import fraction_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignments(scoring_round, officer, pool):
    return [services.assign_expert(scoring_round, expert=expert, by=officer) for expert in pool[:2]]


def test_expert_sees_only_own_assignments_in_the_list(client, assignments, pool):
    client.force_login(pool[0].user)
    page = client.get(reverse("assessments:scorecards"))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [assignments[0]]


def test_anothers_scorecard_is_not_found(client, assignments, pool):
    client.force_login(pool[0].user)
    assert client.get(reverse("assessments:scorecard", args=[assignments[1].pk])).status_code == 404
    response = client.post(reverse("assessments:scorecard", args=[assignments[1].pk]),
                           {**{f"score_{pk}": "1" for pk in fraction_scores(1)}, "opinion": "差"})
    assert response.status_code == 404
    assignments[1].refresh_from_db()
    assert assignments[1].submitted_at is None


def test_expert_cannot_see_the_bureaus_assessment_page(client, assignments, pool, scoring_round):
    client.force_login(pool[0].user)
    assert client.get(scoring_round.get_absolute_url()).status_code == 404


def test_expert_does_not_see_other_experts_scores_on_own_page(client, assignments, pool):
    services.submit_score(assignments[1], by=pool[1].user, scores=fraction_scores(0.3), opinion="其他专家的意见")
    client.force_login(pool[0].user)
    page = client.get(reverse("assessments:scorecard", args=[assignments[0].pk])).content.decode()
    assert "其他专家的意见" not in page
    assert "30.00" not in page


def test_submitted_scorecard_is_read_only(client, assignments, pool):
    services.submit_score(assignments[0], by=pool[0].user, scores=fraction_scores(0.8), opinion="良好")
    client.force_login(pool[0].user)
    page = client.get(reverse("assessments:scorecard", args=[assignments[0].pk])).content.decode()
    assert "80.00" in page
    assert "js-scorecard" not in page
    response = client.post(reverse("assessments:scorecard", args=[assignments[0].pk]),
                           {**{f"score_{pk}": "1" for pk in fraction_scores(1)}, "opinion": "改"})
    assert response.status_code == 302
    assignments[0].refresh_from_db()
    assert assignments[0].opinion == "良好"


def test_scorecard_errors_keep_what_the_expert_typed(client, assignments, pool):
    client.force_login(pool[0].user)
    scores = {f"score_{pk}": "7.5" for pk in fraction_scores(1)}
    first = next(iter(scores))
    scores[first] = "99"
    response = client.post(reverse("assessments:scorecard", args=[assignments[0].pk]),
                           {**scores, "opinion": "我的意见草稿"})
    assert response.status_code == 200
    form = response.context["form"]
    assert first in form.errors
    page = response.content.decode()
    assert "我的意见草稿" in page
    assert 'value="99"' in page
