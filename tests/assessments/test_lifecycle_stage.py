"""The life-cycle stage the bureau sets from an assessment, with its history; the latest row is current."""

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.errors import InvalidInput
from assessments.models import LifecycleStage

pytestmark = pytest.mark.django_db


def test_stage_history_keeps_every_change_and_the_latest_is_current(open_round, officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="formation", reason="新组建。")
    services.set_lifecycle_stage(pilot, by=officer, stage="growth", reason="成员增加，项目启动率高。",
                                 assessment=open_round)
    assert selectors.current_stage(pilot).stage == LifecycleStage.Stage.GROWTH
    assert [row.stage for row in selectors.stage_history(pilot)] == ["growth", "formation"]
    assert selectors.current_stage(pilot).round == open_round


def test_setting_the_same_stage_again_changes_nothing(officer, pilot):
    services.set_lifecycle_stage(pilot, by=officer, stage="maturity", reason="稳定。")
    assert services.set_lifecycle_stage(pilot, by=officer, stage="maturity", reason="仍然稳定。") is None
    assert LifecycleStage.objects.count() == 1


def test_stage_needs_a_reason(officer, pilot):
    with pytest.raises(InvalidInput) as refusal:
        services.set_lifecycle_stage(pilot, by=officer, stage="decline", reason=" ")
    assert "reason" in refusal.value.field_errors


def test_stage_rows_are_append_only(officer, pilot):
    row = services.set_lifecycle_stage(pilot, by=officer, stage="growth", reason="增长。")
    row.reason = "改写"
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_officer_sets_the_stage_on_the_assessment_page(client, open_round, officer, chairman):
    client.force_login(officer)
    response = client.post(reverse("assessments:set_stage", args=[open_round.pk]),
                           {"stage": "regeneration", "reason": "技术更新后重新成长。"})
    assert response.status_code == 302
    assert response["Location"].endswith("#lifecycle")
    client.force_login(chairman)
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert 'data-stage="regeneration"' in page
    assert "技术更新后重新成长。" in page


def test_stage_form_errors_keep_the_input(client, open_round, officer):
    client.force_login(officer)
    response = client.post(reverse("assessments:set_stage", args=[open_round.pk]), {"stage": "decline", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["stage_form"].errors
    assert 'value="decline" selected' in response.content.decode()
