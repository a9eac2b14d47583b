"""The one notification service: in-app notification rows now, email after commit."""

from collections.abc import Iterable

from django.db import transaction

from .models import Notification


def notify(recipients: Iterable, *, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create a notification for each distinct active recipient; email them once the transaction commits."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=str(title)[:200], body=str(body), url=url))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # SQLite and PostgreSQL both return primary keys from bulk_create
    if ids:
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(notification_ids=ids))
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
