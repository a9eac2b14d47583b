"""Celery tasks of assessments: ids in, re-fetch, call the service, return quietly when gone."""

import logging

from celery import shared_task
from django.utils import timezone

from accounts.rules import SYSTEM
from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance

from . import selectors, services
from .models import AssessmentRound

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def open_due_assessments() -> int:
    """Open the biennial assessment of every designated alliance whose two-year clock has run out.

    Idempotent: an alliance already under assessment is no longer due, and ``open_assessment``
    returns the open round on a repeat. Returns how many assessments this run opened.
    """
    opened = 0
    due = list(selectors.due_for_assessment(timezone.localdate()).values_list("pk", flat=True))
    for alliance_id in due:
        alliance = Alliance.objects.filter(pk=alliance_id).first()
        if alliance is None:
            continue
        try:
            services.open_assessment(alliance, by=SYSTEM, kind=AssessmentRound.Kind.BIENNIAL)
        except WorkflowError as refusal:  # the alliance moved on since the query (revoked, opened by hand)
            logger.info("assessment of alliance %s not opened: %s", alliance_id, refusal.message)
            continue
        opened += 1
    return opened
