"""What a sweep is: a query for reminders that are due, a re-check before delivery, and the words."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from .. import conf, schedule
from ..ledger import Candidate
from ..models import Kind, Reminder


class Subject(NamedTuple):
    """What a message says about the reminder's subject, as found at delivery time."""

    name: str
    url: str
    detail: dict | None = None  # anything else the sweep's message needs (people, counts)


class Text(NamedTuple):
    title: str
    body: str
    url: str


class Sweep:
    """One kind of reminder. Subclasses set ``kind`` and ``subject_type`` and write three methods.

    ``candidates`` must read in a fixed number of queries (joins and subqueries, never a query per
    subject), and ``still_due`` in one or two per delivery batch; both leave completed subjects out.
    """

    kind: Kind
    subject_type: str

    def candidates(self, today: date) -> Iterator[Candidate]:
        """Every (subject, due date, stage, recipient) that has a reminder due on ``today``."""
        raise NotImplementedError

    def still_due(self, reminders: Sequence[Reminder], today: date) -> dict[int, Subject]:
        """The reminders (by id) whose subject still needs them now, with what to say about the subject."""
        raise NotImplementedError

    def message(self, reminder: Reminder, subject: Subject, today: date) -> Text:
        """Title, body and link of the notification, in the active language."""
        raise NotImplementedError

    def candidate(self, subject_id: int, due_date: date, stage: str, recipient_id: int) -> Candidate:
        return Candidate(self.subject_type, subject_id, self.kind.value, due_date, stage, recipient_id)

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def label(self) -> str:
        return self.kind.label


class DeadlineSweep(Sweep):
    """A deadline reminded ``lead_days_setting`` days ahead, then every ``OVERDUE_REPEAT_DAYS`` while overdue."""

    lead_days_setting: str
    overdue = True

    def lead_days(self) -> tuple[int, ...]:
        return conf.lead_days(self.lead_days_setting)

    def latest_due(self, today: date) -> date:
        """The furthest due date that has a stage today; earlier ones are all in a stage (or overdue)."""
        return today + timedelta(days=max(self.lead_days(), default=0))

    def stage(self, due: date, today: date) -> str | None:
        return schedule.stage_on(due, today, lead_days=self.lead_days(), repeat_days=conf.get("OVERDUE_REPEAT_DAYS"),
                                 overdue=self.overdue)


def link(view_name: str, *args, fallback: str = "") -> str:
    """A page's path; the fallback keeps reminders useful while a page is not routed yet."""
    try:
        return reverse(view_name, args=args)
    except NoReverseMatch:
        return fallback


def long_date(day: date) -> str:
    """2026年11月23日 in zh-Hans, the active language's long date elsewhere."""
    return date_format(day, "DATE_FORMAT")


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def days_word(due: date, today: date) -> dict:
    """Placeholders shared by deadline messages: the date and how far away it is."""
    return {"date": long_date(due), "days": abs((due - today).days)}
