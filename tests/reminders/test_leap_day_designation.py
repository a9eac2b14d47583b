"""A designation on 29 February: the assessment falls due on 28 February two years on, and the officer's
due list, the alliance's summary and the reminders all say the same day (issue 18, finding 6)."""

from datetime import date, timedelta

import pytest

from assessments import selectors
from reminders.models import Reminder

from .factories import designated_alliance

pytestmark = pytest.mark.django_db

LEAP_DAY = date(2024, 2, 29)
DUE = date(2026, 2, 28)


def test_leap_day_designation_falls_due_on_28_february_everywhere(sweep_daily):
    people = designated_alliance(LEAP_DAY)
    alliance = people.alliance

    assert selectors.alliance_summary(alliance)["next_due"] == DUE
    assert not selectors.due_for_assessment(DUE - timedelta(days=1)).filter(pk=alliance.pk).exists()
    assert list(selectors.due_for_assessment(DUE)) == [alliance]
    assert list(selectors.due_for_assessment(DUE - timedelta(days=7), within_days=7)) == [alliance]

    created = sweep_daily("assessment", DUE - timedelta(days=7), DUE + timedelta(days=1))
    three = len(people.everyone)
    assert created == {DUE - timedelta(days=7): three, DUE + timedelta(days=1): three}
    assert set(Reminder.objects.values_list("due_date", flat=True)) == {DUE}


@pytest.mark.parametrize(("target", "years", "first_later"), [
    (date(2026, 2, 28), 2, date(2024, 3, 1)),  # 29 Feb 2024 falls due on 28 Feb 2026: included
    (date(2026, 2, 27), 2, date(2024, 2, 28)),
    (date(2028, 2, 29), 2, date(2026, 3, 1)),
    (date(2028, 2, 28), 4, date(2024, 2, 29)),  # 29 Feb 2024 falls due on 29 Feb 2028: not yet
    (date(2028, 3, 2), 2, date(2026, 3, 3)),
])
def test_clock_cutoff_matches_the_due_date(target, years, first_later):
    cutoff = selectors.clock_cutoff(target, years)
    assert cutoff.date() == first_later
    assert selectors.due_date(first_later - timedelta(days=1), years) <= target < selectors.due_date(first_later, years)
