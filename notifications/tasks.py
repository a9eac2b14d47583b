from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """Email each notification not emailed yet; a retried task does not email twice."""
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update().select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True).first()
            )
            if notification is None or not notification.recipient.email:
                continue
            send_mail(notification.title, notification.body or notification.title, settings.DEFAULT_FROM_EMAIL,
                      [notification.recipient.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent
