"""Fixtures of the reminder tests: time travel to Beijing dates, running sweeps with their after-commit work."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reminders import services

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(day: date, at: time = time(8, 0)) -> datetime:
    return datetime.combine(day, at, tzinfo=BEIJING)


@pytest.fixture
def travel():
    """``travel(date)`` moves the clock to 08:00 Beijing time that day (when beat runs the sweeps)."""
    travellers = []

    def go(day: date, at: time = time(8, 0)):
        traveller = time_machine.travel(beijing(day, at), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """``sweep(name)`` runs a sweep as beat would: its deliveries (eager tasks) run after commit."""

    def run(name: str, today: date | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.run_sweep(name, today=today)

    return run


@pytest.fixture
def sweep_daily(travel, sweep):
    """``sweep_daily(name, first, last)`` runs the sweep every morning from ``first`` to ``last`` and returns
    ``{day: reminders created that day}`` for the days it created any."""

    def run(name: str, first: date, last: date) -> dict[date, int]:
        created = {}
        day = first
        while day <= last:
            travel(day)
            if outcome := sweep(name).created:
                created[day] = outcome
            day += timedelta(days=1)
        return created

    return run
