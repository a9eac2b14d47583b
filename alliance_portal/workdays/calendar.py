"""Working days as a Chinese public office counts them: Monday to Friday, without public holidays, with the
make-up working days (调休) on weekends.

The days come from chinese-calendar (a maintained package that follows the State Council's yearly notices) or,
for a year the administrator entered (``CalendarYear``), from that table alone: for years the package does not
know yet, or to correct it. A period that runs into a year neither knows is refused (``UnknownCalendarYear``,
whose message tells the administrator what to fill in) rather than counted short.
"""

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear

LOOK_AHEAD_DAYS = 90  # the entered days read at once: longer than any notice or objection window


class UnknownCalendarYear(Exception):
    def __init__(self, year: int):
        self.year = year
        super().__init__(_(
            "Working days in %(year)s cannot be counted yet: the calendar knows no public holidays or make-up "
            "working days for %(year)s. An administrator must enter them (admin → Working-day calendar → "
            "calendar years: %(url)s) from the State Council's notice for %(year)s."
        ) % {"year": year, "url": reverse("admin:workdays_calendaryear_add")})


class Calendar:
    """The working days of one computation: the administrator's years read once, then day by day."""

    def __init__(self, start: date, end: date):
        self.entered_years = set(CalendarYear.objects.filter(year__range=(start.year, end.year))
                                 .values_list("year", flat=True))
        self.entered_days = dict(CalendarDay.objects.filter(date__range=(start, end))
                                 .values_list("date", "is_workday"))

    def is_workday(self, day: date) -> bool:
        if day.year in self.entered_years:
            return self.entered_days.get(day, day.weekday() < 5)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UnknownCalendarYear(day.year) from None


def working_days(start: date) -> Iterator[date]:
    """The working days from ``start`` on (``start`` itself if it is one)."""
    day = start
    while True:
        calendar = Calendar(day, day + timedelta(days=LOOK_AHEAD_DAYS))
        for _offset in range(LOOK_AHEAD_DAYS):
            if calendar.is_workday(day):
                yield day
            day += timedelta(days=1)


def nth_working_day(start: date, count: int) -> date:
    """The ``count``-th working day counting from ``start`` (1: the first working day on or after it)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    for number, day in enumerate(working_days(start), start=1):
        if number == count:
            return day
    raise AssertionError("unreachable: working_days never ends")


def is_workday(day: date) -> bool:
    return Calendar(day, day).is_workday(day)
