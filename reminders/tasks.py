"""Celery tasks of the reminders: one per sweep (scheduled by django-celery-beat), delivery, recovery.

Every task acknowledges late and is rejected back to the queue when its worker dies, so a crash
means "run again": the ledger's natural keys and the row locks of ``services.deliver`` make a second
run send nothing twice. Arguments are plain keywords; ``today`` is an ISO date for re-runs by hand.
"""

from datetime import date

from celery import shared_task
from django.db import DatabaseError

from . import services
from .models import Kind

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}
RETRIED = {**RELIABLE, "autoretry_for": (DatabaseError,), "retry_backoff": True, "max_retries": 5}


def _sweep(kind: Kind, today: str | None) -> int:
    return services.run_sweep(kind.value, today=date.fromisoformat(today) if today else None).created


@shared_task(**RETRIED)
def deliver_reminders(*, reminder_ids: list[int]) -> int:
    """Deliver these reminders (those still pending and not locked by another worker)."""
    return services.deliver(reminder_ids).sent


@shared_task(**RELIABLE)
def redeliver_stale_reminders() -> int:
    """Periodic: pending reminders whose delivery task was lost go to delivery again."""
    return services.redeliver_stale()


@shared_task(**RETRIED)
def sweep_resubmissions(*, today: str | None = None) -> int:
    """Returned applications not resubmitted after ``RESUBMISSION_DAYS``."""
    return _sweep(Kind.RESUBMISSION, today)


@shared_task(**RETRIED)
def sweep_assessments(*, today: str | None = None) -> int:
    """Biennial assessments due (60, 30, 7 days ahead) and overdue (weekly)."""
    return _sweep(Kind.ASSESSMENT, today)


@shared_task(**RETRIED)
def sweep_self_assessments(*, today: str | None = None) -> int:
    """Self-assessment reports of open assessments due and overdue."""
    return _sweep(Kind.SELF_ASSESSMENT, today)


@shared_task(**RETRIED)
def sweep_rectifications(*, today: str | None = None) -> int:
    """Rectification deadlines approaching and passed."""
    return _sweep(Kind.RECTIFICATION, today)


@shared_task(**RETRIED)
def sweep_expert_reviews(*, today: str | None = None) -> int:
    """Expert reviews due in 3 days and overdue."""
    return _sweep(Kind.EXPERT_REVIEW, today)


@shared_task(**RETRIED)
def sweep_public_notices(*, today: str | None = None) -> int:
    """Public notice periods that have ended: ready for designation."""
    return _sweep(Kind.PUBLIC_NOTICE, today)


@shared_task(**RETRIED)
def sweep_progress_reports(*, today: str | None = None) -> int:
    """Project progress reports due and overdue."""
    return _sweep(Kind.PROGRESS_REPORT, today)


@shared_task(**RETRIED)
def sweep_annual_plans(*, today: str | None = None) -> int:
    """Annual development plans due (January) and missing (March)."""
    return _sweep(Kind.ANNUAL_PLAN, today)


# The Celery task of each sweep, by sweep name (the beat schedule and the tests look them up here).
SWEEP_TASKS = {
    Kind.RESUBMISSION.value: sweep_resubmissions,
    Kind.ASSESSMENT.value: sweep_assessments,
    Kind.SELF_ASSESSMENT.value: sweep_self_assessments,
    Kind.RECTIFICATION.value: sweep_rectifications,
    Kind.EXPERT_REVIEW.value: sweep_expert_reviews,
    Kind.PUBLIC_NOTICE.value: sweep_public_notices,
    Kind.PROGRESS_REPORT.value: sweep_progress_reports,
    Kind.ANNUAL_PLAN.value: sweep_annual_plans,
}
