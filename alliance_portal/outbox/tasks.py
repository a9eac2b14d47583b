from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def relay_outbox() -> int:
    """Periodic (beat, every 30 seconds): hand every waiting outbox message to the broker; purge old ones."""
    sent = services.relay()
    services.purge_sent()
    return sent
