"""Celery tasks of the review workflow: ids in as keyword arguments, re-fetched, quiet when gone."""

from celery import shared_task

from . import documents


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def render_official_document(*, document_id: int) -> str | None:
    """Render an issued certificate or designation document once and store it; its SHA-256, or None."""
    document = documents.render_document(document_id)
    return document.sha256 if document is not None else None
