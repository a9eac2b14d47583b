"""Running sweeps and delivering reminders: the only code that writes the reminder ledger.

A sweep writes pending ledger rows (one per natural key, ever) and, after commit, hands the rows it
created to delivery tasks. Delivery locks pending rows, asks the sweep whether each subject still
needs its reminder, and in one transaction creates the notifications and marks the rows sent (or
cancelled). A crash before that commit leaves the rows pending, to be delivered again; after it,
the rows are sent and no later run touches them.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from alliance_portal.outbox import services as outbox
from notifications import services as notification_services

from . import conf, ledger, sweeps
from .ledger import Candidate
from .models import Reminder

logger = logging.getLogger(__name__)


class SweepOutcome(NamedTuple):
    name: str
    today: date
    found: int  # reminders due today, including those already in the ledger
    created: int  # new ledger rows, handed to delivery
    candidates: list[Candidate]  # filled by dry runs only: what would be created


class DeliveryOutcome(NamedTuple):
    sent: int
    cancelled: int


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_sweep(name: str, *, today: date | None = None) -> SweepOutcome:
    """Write the reminders sweep ``name`` finds due on ``today`` (default: today, local time) and enqueue
    their delivery after commit. Idempotent: natural keys already in the ledger are skipped."""
    sweep = sweeps.get(name)
    today = today or timezone.localdate()
    found = created = 0
    with transaction.atomic():
        for chunk in chunked(sweep.candidates(today), conf.get("INSERT_BATCH_SIZE")):
            unique = list(dict.fromkeys(chunk))  # one recipient reached by two routes is one reminder
            found += len(unique)
            ids = ledger.insert_new(unique, now=timezone.now())
            created += len(ids)
            if ids:
                enqueue_delivery(ids)
    logger.info("reminder sweep %s on %s: %d due, %d new", name, today, found, created)
    return SweepOutcome(name, today, found, created, [])


def preview_sweep(name: str, *, today: date | None = None) -> SweepOutcome:
    """What ``run_sweep`` would create on ``today``, writing nothing (``--dry-run``)."""
    sweep = sweeps.get(name)
    today = today or timezone.localdate()
    found = list(dict.fromkeys(sweep.candidates(today)))
    due_dates = {c.due_date for c in found}
    existing = set(
        Reminder.objects.filter(kind=sweep.kind, due_date__in=due_dates).values_list(
            "subject_type", "subject_id", "kind", "due_date", "stage", "recipient_id"
        )
    ) if found else set()
    new = [c for c in found if tuple(c) not in existing]
    return SweepOutcome(name, today, len(found), len(new), new)


def enqueue_delivery(reminder_ids: Sequence[int]) -> None:
    """Hand reminders to delivery tasks, a batch per task, through the outbox (sent after commit)."""
    from .tasks import deliver_reminders  # tasks.py imports this module

    batches = chunked(reminder_ids, conf.get("DELIVERY_BATCH_SIZE"))
    outbox.enqueue_many(deliver_reminders, [{"reminder_ids": chunk} for chunk in batches])


def deliver(reminder_ids: Sequence[int], *, today: date | None = None) -> DeliveryOutcome:
    """Send the pending reminders among ``reminder_ids`` that nobody else is delivering right now.

    Precondition: none. Effect, in one transaction: a notification (in-app now, email after commit)
    for each reminder whose subject still needs it, marked sent; the others marked cancelled.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        reminders = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=list(reminder_ids), state=Reminder.State.PENDING)
            .order_by("pk")
        )
        if not reminders:
            return DeliveryOutcome(0, 0)
        by_kind = defaultdict(list)
        for reminder in reminders:
            by_kind[reminder.kind].append(reminder)
        wanted = {}
        for kind, group in by_kind.items():
            wanted.update(sweeps.get(kind).still_due(group, today))

        to_send, messages, cancelled = [], [], []
        with translation.override(settings.LANGUAGE_CODE):
            for reminder in reminders:
                subject = wanted.get(reminder.pk)
                if subject is None or not reminder.recipient.is_active:
                    cancelled.append(reminder.pk)
                    continue
                text = sweeps.get(reminder.kind).message(reminder, subject, today)
                to_send.append(reminder)
                messages.append(notification_services.Message(
                    reminder.recipient, f"reminder_{reminder.kind}", text.title, text.body, text.url
                ))
        notifications = notification_services.notify_each(messages)
        _record_delivery(to_send, notifications, cancelled, now=now)
    return DeliveryOutcome(len(to_send), len(cancelled))


def _record_delivery(sent: list[Reminder], notifications, cancelled: list[int], *, now) -> None:
    for reminder, notification in zip(sent, notifications, strict=True):
        reminder.state = Reminder.State.SENT
        reminder.sent_at = now
        reminder.attempts += 1
        reminder.notification = notification
    Reminder.objects.bulk_update(sent, ["state", "sent_at", "attempts", "notification"])
    if cancelled:
        Reminder.objects.filter(pk__in=cancelled).update(
            state=Reminder.State.CANCELLED, sent_at=now, attempts=F("attempts") + 1
        )


def redeliver_stale(*, now=None) -> int:
    """Hand pending reminders older than ``REDELIVER_AFTER_MINUTES`` to delivery again (their task was
    lost: broker down at commit, a worker gone for good). Delivery skips rows sent meanwhile."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=conf.get("REDELIVER_AFTER_MINUTES"))
    ids = list(
        Reminder.objects.filter(state=Reminder.State.PENDING, created_at__lt=cutoff)
        .order_by("pk").values_list("pk", flat=True)[: conf.get("INSERT_BATCH_SIZE")]
    )
    enqueue_delivery(ids)
    return len(ids)
