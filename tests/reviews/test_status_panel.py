"""Issue 20, point 9: an application's page shows its last six steps; the rest of a long history is one click
away ("full history"), not a 40-row table on every visit."""

import pytest
from django.urls import reverse

from alliances.workflow import State
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db


def _history(alliance, steps: int):
    for number in range(steps):
        source, target = (State.SUBMITTED, State.SCREENING) if number % 2 else (State.SCREENING, State.SUBMITTED)
        alliance.transitions.create(action=f"step-{number}", source=source, target=target, comment=f"第{number}步")


def test_a_long_history_shows_the_last_six_steps_and_folds_the_rest(client, officer):
    alliance = AllianceFactory()
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.SCREENING, current_version=1)
    _history(alliance, 10)
    client.force_login(officer)
    html = client.get(reverse("reviews:application", args=[alliance.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    folded, _sep, shown = html.partition("</details>")
    assert "Full history: 4 earlier steps" in folded
    assert [f"第{n}步" in folded for n in range(10)] == [True] * 4 + [False] * 6
    assert [f"第{n}步" in shown for n in range(10)] == [False] * 4 + [True] * 6


def test_a_short_history_is_shown_whole(client, officer):
    alliance = AllianceFactory()
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.SCREENING, current_version=1)
    _history(alliance, 3)
    client.force_login(officer)
    html = client.get(reverse("reviews:application", args=[alliance.pk])).content.decode()
    assert 'id="full-history"' not in html
    assert all(f"第{n}步" in html for n in range(3))
