"""What a sweep is: a query for reminders that are due, a re-check before delivery, and the words."""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from ..ledger import Candidate
from ..models import Kind, Reminder


class Subject(NamedTuple):
    """What a message says about the reminder's subject: its name and where to act on it."""

    name: str
    url: str


class Sweep:
    """One kind of reminder. Subclasses set ``kind`` and ``subject_type`` and write three methods.

    ``candidates`` must read in a fixed number of queries (joins, never a query per subject), and
    ``still_due`` in one query per delivery batch; both return nothing for completed subjects.
    """

    kind: Kind
    subject_type: str

    def candidates(self, today: date) -> Iterator[Candidate]:
        """Every (subject, due date, stage, recipient) that has a reminder due on ``today``."""
        raise NotImplementedError

    def still_due(self, reminders: Sequence[Reminder], today: date) -> dict[int, Subject]:
        """The reminders (by id) whose subject still needs them now, with what to say about the subject."""
        raise NotImplementedError

    def message(self, reminder: Reminder, subject: Subject, today: date) -> tuple[str, str]:
        """Title and body of the notification, in the active language."""
        raise NotImplementedError

    def candidate(self, subject_id: int, due_date: date, stage: str, recipient_id: int) -> Candidate:
        return Candidate(self.subject_type, subject_id, self.kind.value, due_date, stage, recipient_id)

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def label(self) -> str:
        return self.kind.label


def pairs_by_subject(rows: Iterable[tuple]) -> dict:
    """``{subject_id: row}`` from rows whose first column is the subject id."""
    return {row[0]: row for row in rows}


def link(view_name: str, pk: int, fallback: str) -> str:
    """The subject's page; the fallback path keeps reminders useful while a page is not routed yet."""
    try:
        return reverse(view_name, args=[pk])
    except NoReverseMatch:
        return fallback


def long_date(day: date) -> str:
    """2026年11月23日 in zh-Hans, the active language's long date elsewhere."""
    return date_format(day, "DATE_FORMAT")
