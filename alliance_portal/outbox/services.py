"""The transactional outbox: tasks decided in a transaction reach Celery once, even across a broker outage.

``enqueue(task, **kwargs)`` writes an ``OutboxMessage`` in the caller's transaction (nothing is sent if it
rolls back) and, once it commits, tries to hand that message to the broker at once. When the broker is
away the row waits; the periodic task ``outbox.tasks.relay_outbox`` (every 30 seconds, from beat) hands
every waiting message over when the broker is back. Each message is handed over under a row lock and
marked sent in the same transaction, so two relays never send it twice; the tasks themselves are
idempotent (they lock their rows and skip work already done), which covers a relay that dies between
the broker's acknowledgement and its commit.

After a broker failure a web process stops trying on commit for ``OUTBOX_BROKER_RETRY_SECONDS`` (a
circuit): a page that commits during an outage answers at once and leaves its messages to the relay.
On the embedded default (``CELERY_TASK_ALWAYS_EAGER``) handing over runs the task in the process.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

import pybreaker
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

RELAY_BATCH = 500



def _is_broker_failure(exc: BaseException) -> bool:
    return isinstance(exc, pybreaker.CircuitBreakerError | OperationalError | ConnectionError | TimeoutError)


broker_circuit = pybreaker.CircuitBreaker(
    fail_max=1,
    reset_timeout=settings.OUTBOX_BROKER_RETRY_SECONDS,
    exclude=[lambda exc: not _is_broker_failure(exc)],  # a task's own error is no outage
    throw_new_error_on_trip=False,  # the failure that opens the circuit is recorded as itself
    name="broker",
)


def enqueue(task, /, **kwargs) -> OutboxMessage:
    """Send ``task`` with ``kwargs`` once the current transaction commits (never, if it rolls back).

    ``task`` is the Celery task itself (its registered name is stored); ``kwargs`` must be JSON.
    """
    message = OutboxMessage.objects.create(task=task.name, kwargs=kwargs)
    transaction.on_commit(lambda: relay_on_commit(message.pk), robust=True)
    return message


def enqueue_many(task, /, kwargs_list: Sequence[dict]) -> list[OutboxMessage]:
    """``enqueue`` for several messages of one task, in one INSERT (a sweep's delivery batches)."""
    messages = OutboxMessage.objects.bulk_create(OutboxMessage(task=task.name, kwargs=kw) for kw in kwargs_list)
    if messages:
        ids = [message.pk for message in messages]  # UUIDs made here, not by the database
        transaction.on_commit(lambda: relay_on_commit(*ids), robust=True)
    return messages


def relay_on_commit(*message_ids) -> None:
    """Hand messages to the broker right after their commit, unless the broker failed moments ago."""
    if broker_circuit.current_state == pybreaker.STATE_OPEN:
        logger.info("outbox: broker failed recently; %d message(s) left to the periodic relay", len(message_ids))
        return
    relay(ids=message_ids)


def relay(*, ids=None, limit: int = RELAY_BATCH) -> int:
    """Hand waiting messages (oldest first; only ``ids`` when given) to the broker; returns how many.

    Stops at the first broker failure (the rest would fail the same way) and leaves the rows waiting
    with the error recorded. Rows another relay is handing over right now are skipped, not waited for.
    """
    sent = 0
    with transaction.atomic():
        waiting = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
        if ids is not None:
            waiting = waiting.filter(pk__in=ids)
        for message in waiting.order_by("created_at", "id")[:limit]:
            try:
                with transaction.atomic():  # an eager task that fails leaves the relay's transaction usable
                    _hand_over(message)
            except Exception as exc:  # recorded on the row and logged; the row waits
                message.attempts += 1
                message.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
                message.save(update_fields=["attempts", "last_error"])
                logger.warning("outbox: %s not sent (%s); it waits for the next relay", message, message.last_error)
                if _is_broker_failure(exc):
                    break
                continue
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
    return sent


def _hand_over(message: OutboxMessage) -> None:
    task = current_app.tasks[message.task]
    if current_app.conf.task_always_eager:
        task.apply_async(kwargs=message.kwargs, task_id=str(message.pk))
        return
    # One attempt, no publish retries: the relay itself is the retry.
    broker_circuit.call(task.apply_async, kwargs=message.kwargs, task_id=str(message.pk), retry=False)


def purge_sent(*, older_than_days: int = 30) -> int:
    """Delete messages handed over more than ``older_than_days`` ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()[0]
