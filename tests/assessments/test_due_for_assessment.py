"""Which designated alliances are due: two years after designation, or after their last assessment."""

import datetime

import pytest

from alliances.workflow import State
from assessments import selectors, services
from assessments.selectors import add_years

from .conftest import at, open_and_score

pytestmark = pytest.mark.django_db


def test_pilot_falls_due_two_years_after_designation(pilot):
    assert not selectors.due_for_assessment(datetime.date(2028, 3, 1)).filter(pk=pilot.pk).exists()
    due = selectors.due_for_assessment(datetime.date(2028, 3, 2))
    assert list(due) == [pilot]
    assert due[0].designated_at.date() == datetime.date(2026, 3, 2)


def test_within_days_looks_ahead(pilot):
    assert selectors.due_for_assessment(datetime.date(2028, 2, 1), within_days=30).filter(pk=pilot.pk).exists()
    assert not selectors.due_for_assessment(datetime.date(2028, 1, 31), within_days=30).exists()


def test_alliance_under_assessment_is_not_due(open_round):
    assert not selectors.due_for_assessment(datetime.date(2030, 1, 1)).exists()


def test_clock_restarts_from_the_last_assessment(pilot, chairman, officer, pool):
    with at("2028-03-05"):
        assessment = open_and_score(pilot, chairman, officer, pool, fraction=0.7)
        services.decide_outcome(assessment, by=officer)
    assert not selectors.due_for_assessment(datetime.date(2030, 3, 4)).exists()
    assert list(selectors.due_for_assessment(datetime.date(2030, 3, 5))) == [pilot]


def test_cycle_length_is_configurable(pilot, rules):
    rules.cycle_years = 3
    rules.save()
    assert not selectors.due_for_assessment(datetime.date(2028, 3, 2)).exists()
    assert selectors.due_for_assessment(datetime.date(2029, 3, 2)).exists()


def test_revoked_and_rectifying_alliances_are_never_due(pilot, chairman, officer, pool):
    from .conftest import failed_round

    with at("2028-03-05"):
        failed_round(pilot, chairman, officer, pool)
    pilot.refresh_from_db()
    assert pilot.state == State.RECTIFICATION
    assert not selectors.due_for_assessment(datetime.date(2035, 1, 1)).exists()


def test_next_due_date_shows_on_the_summary(pilot):
    assert selectors.alliance_summary(pilot)["next_due"] == datetime.date(2028, 3, 2)


def test_leap_day_falls_back_to_the_28th():
    assert add_years(datetime.date(2028, 2, 29), 2) == datetime.date(2030, 2, 28)
    assert add_years(datetime.date(2026, 3, 2), -2) == datetime.date(2024, 3, 2)
