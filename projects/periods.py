"""Reporting periods, computed in the city's time zone (Asia/Shanghai).

Periods are calendar-aligned blocks of 1, 3, 6 or 12 months (a quarterly project reports for
January–March, April–June …). A report is due ``PROJECT_REPORT_GRACE_DAYS`` days after its period
ends, and late when it arrives after that day (local time).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

DEFAULT_GRACE_DAYS = 15


def grace_days() -> int:
    return getattr(settings, "PROJECT_REPORT_GRACE_DAYS", DEFAULT_GRACE_DAYS)


def local_today() -> date:
    return timezone.localdate()


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    months: int

    @property
    def due_date(self) -> date:
        return self.end + timedelta(days=grace_days())

    @property
    def label(self) -> str:
        year = self.start.year
        index = (self.start.month - 1) // self.months + 1
        if self.months == 12:
            return _("%(year)s") % {"year": year}
        if self.months == 6:
            return _("%(year)s H%(n)s") % {"year": year, "n": index}
        if self.months == 3:
            return _("%(year)s Q%(n)s") % {"year": year, "n": index}
        return f"{date_format(self.start, 'YEAR_MONTH_FORMAT')}"

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end

    def next(self) -> "Period":
        return period_containing(self.end + timedelta(days=1), self.months)


def period_containing(day: date, months: int) -> Period:
    if months not in (1, 3, 6, 12):
        raise ValueError(f"unsupported reporting period: {months} months")
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    start = date(day.year, first_month, 1)
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start, end, months)


def project_periods(*, start_date: date, end_date: date, months: int, from_date: date | None = None) -> list[Period]:
    """Every reporting period from the one containing ``from_date`` (default: the start) to the end date."""
    period = period_containing(max(start_date, from_date or start_date), months)
    last = max(end_date, start_date)
    periods = []
    while period.start <= last:
        periods.append(period)
        period = period.next()
    return periods


def first_reporting_day(project) -> date:
    """Reports cover the project's plan from its start, or from its approval when approved later."""
    approved = timezone.localdate(project.approved_at) if project.approved_at else project.start_date
    return max(project.start_date, approved) if approved <= project.end_date else project.start_date


def unreported_periods(project, reported: list[tuple[date, date]]) -> list[Period]:
    """The project's periods that no existing report (start, end) overlaps, in order."""
    periods = project_periods(start_date=project.start_date, end_date=project.end_date,
                              months=project.report_period_months, from_date=first_reporting_day(project))
    return [p for p in periods if not any(p.overlaps(start, end) for start, end in reported)]
