from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

EMAIL_BATCH = 200


def email_body(notification: Notification) -> str:
    """The message, and the page to act on as a full link when the portal's address is configured."""
    body = notification.body or notification.title
    site = settings.PORTAL.get("SITE_URL", "").rstrip("/")
    if site and notification.url:
        body = f"{body}\n\n{site}{notification.url}"
    return body


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """Email each notification not emailed yet; a retried task does not email twice.

    SMTP errors are ``OSError``s: the task is retried with exponential backoff, and the retry skips
    every notification that was emailed before the failure.
    """
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",)).select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True).first()
            )
            if notification is None or not notification.recipient.email:
                continue
            send_mail(notification.title, email_body(notification), settings.DEFAULT_FROM_EMAIL,
                      [notification.recipient.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_unsent_emails(*, older_than_minutes: int = 15, within_hours: int = 48) -> int:
    """Hand notifications whose email task was lost (broker down at commit, retries exhausted) to
    ``send_notification_emails`` again. Periodic; returns how many were handed over."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=older_than_minutes),
            created_at__gte=now - timedelta(hours=within_hours),
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)[:50 * EMAIL_BATCH]
    )
    for start in range(0, len(ids), EMAIL_BATCH):
        send_notification_emails.delay(notification_ids=ids[start:start + EMAIL_BATCH])
    return len(ids)
