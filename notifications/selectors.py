"""Read-side queries of the notification centre. A user only ever sees their own notifications."""

from django.db.models import QuerySet

from .models import Notification


def notifications_of(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (served by the (recipient, read_at) index)."""
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")
