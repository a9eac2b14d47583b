"""The life-cycle stage the bureau sets from an assessment, supported by the six health dimensions rated 1–5
with a comment each; every change is kept and the latest row is current."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from assessments import selectors, services
from assessments.errors import InvalidInput
from assessments.models import HealthDimension, HealthScore, LifecycleStage
from tests.factories import health_ratings

pytestmark = pytest.mark.django_db

DIMENSIONS = [
    "technology_development", "economic_condition", "industry_position", "structural_stability",
    "management_mechanisms", "innovation_goals",
]


def _form(stage="growth", rating=4, comment="稳定", **overrides):
    data = {"stage": stage, "reason": ""}
    for dimension in DIMENSIONS:
        data[f"{dimension}_rating"] = str(rating)
        data[f"{dimension}_comment"] = f"{comment}·{dimension}"
    data.update(overrides)
    return data


def test_the_six_dimensions_are_those_of_the_source():
    assert HealthDimension.values == DIMENSIONS


def test_stage_history_keeps_every_change_and_the_latest_is_current(open_round, officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="formation", health=health_ratings(3, "新组建"))
    services.set_lifecycle_stage(pilot, by=officer, stage="growth", health=health_ratings(4, "成员增加"),
                                 assessment=open_round)
    current = selectors.current_stage(pilot)
    assert current.stage == LifecycleStage.Stage.GROWTH
    assert current.round == open_round
    assert [(row.dimension, row.rating, row.comment) for row in current.health] == [
        (dimension, 4, f"成员增加（{dimension}）") for dimension in DIMENSIONS]
    assert [row.stage for row in selectors.stage_history(pilot)] == ["growth", "formation"]


def test_the_same_stage_and_ratings_again_changes_nothing(officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="maturity", health=health_ratings(5, "稳定"))
    assert services.set_lifecycle_stage(pilot, by=officer, stage="maturity", health=health_ratings(5, "仍稳定")) is None
    assert LifecycleStage.objects.count() == 1
    assert HealthScore.objects.count() == 6


def test_a_changed_rating_in_the_same_stage_is_recorded(officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="maturity", health=health_ratings(5, "稳定"))
    ratings = health_ratings(5, "稳定")
    ratings["economic_condition"] = (2, "主要成员营收下滑")
    row = services.set_lifecycle_stage(pilot, by=officer, stage="maturity", health=ratings)
    assert row is not None
    assert {score.dimension: score.rating for score in row.health}["economic_condition"] == 2
    assert LifecycleStage.objects.count() == 2


def test_every_dimension_needs_a_rating_and_a_comment(officer, pilot):
    ratings = health_ratings()
    ratings["industry_position"] = (6, "超出量表")
    ratings["innovation_goals"] = (3, "  ")
    del ratings["structural_stability"]
    with pytest.raises(InvalidInput) as refusal:
        services.set_lifecycle_stage(pilot, by=officer, stage="decline", health=ratings)
    assert set(refusal.value.field_errors) == {
        "industry_position_rating", "innovation_goals_comment", "structural_stability_rating",
        "structural_stability_comment"}
    assert LifecycleStage.objects.count() == 0
    assert AuditEvent.objects.filter(action="lifecycle_stage_set", outcome=AuditEvent.Outcome.REFUSED).exists()


def test_setting_the_stage_is_audited_with_the_ratings(officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="growth", health=health_ratings(4))
    event = AuditEvent.objects.get(action="lifecycle_stage_set", outcome=AuditEvent.Outcome.OK)
    assert event.detail["stage"] == "growth"
    assert event.detail["health"] == dict.fromkeys(DIMENSIONS, 4)


def test_stage_rows_and_scores_are_append_only(officer, pilot):
    row = services.set_lifecycle_stage(pilot, by=officer, stage="growth", health=health_ratings())
    row.reason = "改写"
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    score = row.health[0]
    score.rating = 1
    with pytest.raises(ValueError, match="append-only"):
        score.save()


def test_officer_rates_the_six_dimensions_on_the_assessment_page(client, open_round, officer, chairman):
    client.force_login(officer)
    response = client.post(reverse("assessments:set_stage", args=[open_round.pk]),
                           _form("regeneration", 3, "技术更新后重新成长",
                                 technology_development_rating="5",
                                 technology_development_comment="新一代工艺投产"))
    assert response.status_code == 302
    assert response["Location"].endswith("#lifecycle")
    row = selectors.current_stage(open_round.alliance)
    assert {score.dimension: score.rating for score in row.health}["technology_development"] == 5
    client.force_login(chairman)
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert 'data-stage="regeneration"' in page
    assert 'data-dimension="technology_development" data-rating="5"' in page
    assert "新一代工艺投产" in page


def test_stage_form_errors_keep_the_input(client, open_round, officer):
    client.force_login(officer)
    response = client.post(reverse("assessments:set_stage", args=[open_round.pk]),
                           _form("decline", 2, "成员流失", economic_condition_comment="",
                                 industry_position_rating=""))
    assert response.status_code == 400
    errors = response.context["stage_form"].errors
    assert set(errors) == {"economic_condition_comment", "industry_position_rating"}
    page = response.content.decode()
    assert 'value="decline" selected' in page
    assert 'value="成员流失·structural_stability"' in page
    assert LifecycleStage.objects.count() == 0


def test_the_form_starts_from_the_current_ratings(client, open_round, officer, pilot):
    ratings = health_ratings(4, "平稳")
    ratings["economic_condition"] = (2, "营收下滑")
    services.set_lifecycle_stage(pilot, by=officer, stage="maturity", health=ratings)
    client.force_login(officer)
    form = client.get(open_round.get_absolute_url()).context["stage_form"]
    assert form["stage"].value() == "maturity"
    assert form["economic_condition_rating"].value() == 2
    assert form["economic_condition_comment"].value() == "营收下滑"


def test_the_detail_page_query_count_does_not_grow_with_the_stage_history(client, open_round, officer, pilot,
                                                                          django_assert_max_num_queries):
    client.force_login(officer)
    services.set_lifecycle_stage(pilot, by=officer, stage="formation", health=health_ratings(3))
    with django_assert_max_num_queries(80) as one:
        client.get(open_round.get_absolute_url())
    for stage, rating in (("growth", 4), ("maturity", 5), ("decline", 2), ("regeneration", 3)):
        services.set_lifecycle_stage(pilot, by=officer, stage=stage, health=health_ratings(rating))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(open_round.get_absolute_url())


def test_the_api_records_the_stage_with_its_health(client, officer, pilot):
    from tests.factories import health_payload

    client.force_login(officer)
    response = client.post("/api/v1/lifecycle-stages/record/",
                           {"alliance": pilot.pk, "stage": "growth", "health": health_payload(4, "平稳")},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["dimension"] for row in body["health"]] == DIMENSIONS
    assert {row["rating"] for row in body["health"]} == {4}
    incomplete = health_payload(4)[:5]
    response = client.post("/api/v1/lifecycle-stages/record/",
                           {"alliance": pilot.pk, "stage": "decline", "health": incomplete},
                           content_type="application/json")
    assert response.status_code == 400
    assert "health" in response.json()
