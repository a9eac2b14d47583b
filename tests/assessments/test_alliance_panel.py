"""The alliance page's assessment panel: current stage, last assessment, next due date."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from assessments import services
from tests.factories import health_ratings

pytestmark = pytest.mark.django_db

PANEL = Template('{% include "assessments/includes/alliance_panel.html" %}')


def render(alliance, user):
    request = RequestFactory().get("/")
    request.user = user
    return PANEL.render(Context({"alliance": alliance, "user": user, "request": request}))


def test_panel_shows_stage_last_assessment_and_next_due(pilot, officer, open_round):
    services.set_lifecycle_stage(pilot, by=officer, stage="growth", health=health_ratings(4, "项目增多"))
    html = render(pilot, officer)
    assert 'data-stage="growth"' in html
    assert html.count('data-rating="4"') == 6
    assert "项目增多（technology_development）" in html
    assert open_round.get_absolute_url() in html
    assert 'data-status="self_assessment"' in html


def test_panel_for_a_fresh_pilot_offers_the_officer_to_open_an_assessment(pilot, officer, chairman):
    html = render(pilot, officer)
    assert "2028" in html  # next due, two years after designation on 2026-03-02
    assert f"/assessments/open/?alliance={pilot.pk}" in html
    assert "/assessments/open/" not in render(pilot, chairman)


def test_panel_is_absent_for_an_application_in_draft(officer):
    from tests.factories import eligible_alliance

    assert 'id="assessment-panel"' not in render(eligible_alliance(), officer)


def test_alliance_page_carries_the_panel(client, pilot, chairman, open_round):
    from django.urls import reverse

    client.force_login(chairman)
    page = client.get(reverse("alliances:detail", args=[pilot.pk])).content.decode()
    assert 'id="assessment-panel"' in page
    assert open_round.get_absolute_url() in page
