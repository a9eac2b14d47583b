"""The one notification service: in-app notification rows now, email after commit."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.utils import timezone

from alliance_portal.outbox import services as outbox

from .models import Notification
from .tasks import send_notification_emails


class Message(NamedTuple):
    """One notification to one person (reminders give each recipient its own wording)."""

    recipient: object
    kind: str
    title: str
    body: str = ""
    url: str = ""


def notify(recipients: Iterable, *, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create a notification for each distinct active recipient; email them once the transaction commits."""
    seen, messages = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        messages.append(Message(user, kind, title, body, url))
    return notify_each(messages)


def notify_each(messages: Sequence[Message]) -> list[Notification]:
    """Create one notification per message, in order, and email them once the transaction commits.

    The caller chose the recipients: nobody is skipped here. In a transaction that rolls back, neither
    the notifications nor their emails happen.
    """
    rows = [
        Notification(recipient=m.recipient, kind=m.kind, title=str(m.title)[:200], body=str(m.body), url=m.url)
        for m in messages
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # SQLite and PostgreSQL both return primary keys from bulk_create
    if ids:
        # Through the outbox: written with the notifications, sent to the broker after commit or, when the
        # broker is away, by the periodic relay once it is back.
        outbox.enqueue(send_notification_emails, notification_ids=ids)
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, notification_id: int, by) -> Notification:
    """Mark one of ``by``'s own notifications read. Precondition: it is theirs (else DoesNotExist).

    Idempotent: a notification that is already read keeps its first ``read_at``.
    """
    notification = Notification.objects.get(pk=notification_id, recipient=by)
    if notification.read_at is None:
        now = timezone.now()
        # A conditional UPDATE instead of a lock: two clicks at once cannot both change read_at.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, by, before=None) -> int:
    """Mark every unread notification of ``by`` read (only those created before ``before`` when given);
    returns how many changed."""
    unread = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if before is not None:
        unread = unread.filter(created_at__lt=before)
    return unread.update(read_at=timezone.now())
