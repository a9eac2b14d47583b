"""The stage of a deadline on a given day: lead stages, then one overdue stage per repeat period."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from assessments.selectors import add_years
from reminders.schedule import stage_on

LEAD = (60, 30, 7)


def stage(days_before: int, *, lead=LEAD, repeat=7, overdue=True):
    due = date(2028, 3, 2)
    return stage_on(due, due - timedelta(days=days_before), lead_days=lead, repeat_days=repeat, overdue=overdue)


def test_lead_stages_cover_their_windows():
    assert [stage(d) for d in (61, 60, 31, 30, 8, 7, 1, 0)] == [None, "60d", "60d", "30d", "30d", "7d", "7d", "7d"]


def test_overdue_stages_change_every_repeat_period():
    assert [stage(-d) for d in (1, 7, 8, 14, 15)] == ["overdue-1", "overdue-1", "overdue-2", "overdue-2", "overdue-3"]


def test_overdue_once_when_repeat_is_zero():
    assert {stage(-d, repeat=0) for d in (1, 30, 400)} == {"overdue-1"}


def test_no_overdue_stage_when_not_wanted():
    assert stage(-3, overdue=False) is None


@given(lead=st.sets(st.integers(min_value=1, max_value=120), min_size=1, max_size=4),
       repeat=st.integers(min_value=0, max_value=30))
def test_daily_sweeps_meet_every_stage_once_in_order(lead, repeat):
    lead = tuple(sorted(lead, reverse=True))
    seen = []
    for days_before in range(lead[0] + 5, -60, -1):
        current = stage(days_before, lead=lead, repeat=repeat)
        if current and (not seen or seen[-1] != current):
            seen.append(current)
    assert seen[: len(lead)] == [f"{d}d" for d in lead]
    assert len(seen) == len(set(seen))  # no stage comes back after another one
    assert all(s.startswith("overdue-") for s in seen[len(lead):])


def test_add_years_keeps_the_day_and_moves_29_february():
    assert add_years(date(2026, 3, 2), 2) == date(2028, 3, 2)
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
