"""An illegal transition is a 409 with the reason in the API; a second click is one transition, not two."""

import pytest
from django.urls import reverse

from alliances.models import Alliance, StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening(officer):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.SUBMITTED, current_version=1)
    alliance.refresh_from_db()
    return alliance


def api_transition(client, alliance, action, **extra):
    return client.post(f"/api/v1/reviews/applications/{alliance.pk}/transition/", {"action": action, **extra},
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_api_illegal_transition_is_409_with_the_reason(client, officer, screening):
    client.force_login(officer)
    response = api_transition(client, screening, "grant_pilot")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This application is “Submitted”; “Grant pilot status” is not possible now. "
        "Someone else may have acted on it already: reload the page.")
    screening.refresh_from_db()
    assert screening.state == State.SUBMITTED


def test_api_guard_refusal_is_409_with_the_reason(client, officer, screening):
    client.force_login(officer)
    assert api_transition(client, screening, "start_screening").status_code == 200
    response = api_transition(client, screening, "send_to_experts")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("The completeness checklist is not complete:")


def test_api_wrong_role_is_403_with_the_reason(client, expert, screening):
    client.force_login(expert)
    response = api_transition(client, screening, "start_screening")
    assert response.status_code in (403, 404)  # the expert may not even see the application


def test_second_click_makes_no_second_transition(client, officer, screening):
    client.force_login(officer)
    url = reverse("reviews:transition", args=[screening.pk])
    client.post(url, {"action": "start_screening"})
    response = client.post(url, {"action": "start_screening"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Someone else already did this" in response.content.decode()
    assert StateTransition.objects.filter(alliance=screening, action="start_screening").count() == 1


def test_stale_page_action_is_refused_with_the_reason(client, officer, screening):
    transition(screening, action="start_screening", by=officer)
    transition(screening, action="reject", by=officer, comment="不符合条件")
    client.force_login(officer)
    response = client.post(reverse("reviews:transition", args=[screening.pk]), {"action": "send_to_experts"},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "This application is “Rejected”" in response.content.decode()
