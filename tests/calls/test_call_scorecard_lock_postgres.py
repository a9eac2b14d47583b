"""Under real concurrency (PostgreSQL, one connection per thread) a scorecard edit and the first submitted score
cannot both succeed: both hold the call's row, so whichever comes second sees what the first did."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from alliance_portal.core.errors import WorkflowError
from calls import services
from calls.errors import CallError
from reviews import services as reviews
from reviews.models import Scorecard, ScoreCriterion

from .conftest import make_call
from .test_call_scorecard import CALL_CRITERIA, in_expert_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def first_holds_second_waits(first, second):
    """Run ``first`` in a transaction kept open until ``second`` (started meanwhile in another thread) has had a
    second to finish; returns (whether ``second`` finished while ``first`` was open, outcome of ``second``)."""
    held, release, finished = threading.Event(), threading.Event(), threading.Event()
    outcome, errors = {}, []

    def hold():
        try:
            with transaction.atomic():
                first()
                held.set()
                release.wait(timeout=30)
        except Exception as error:  # re-raised in the test thread
            errors.append(error)
            held.set()
        finally:
            connection.close()

    def follow():
        try:
            held.wait(timeout=30)
            outcome["value"] = second()
        except WorkflowError as refusal:
            outcome["value"] = refusal
        except Exception as error:
            errors.append(error)
        finally:
            finished.set()
            connection.close()

    threads = [threading.Thread(target=hold), threading.Thread(target=follow)]
    threads[0].start()
    assert held.wait(timeout=30)
    threads[1].start()
    finished_early = finished.wait(timeout=1)
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert not errors, errors
    return finished_early, outcome.get("value")


def full_marks(call):
    return {c.pk: (Decimal(c.max_score), "") for c in ScoreCriterion.objects.filter(call=call, is_active=True)}


def test_an_edit_waits_for_the_first_score_and_is_refused(using_postgres, officer, member):
    call = make_call(officer)
    assignment = in_expert_review(officer, member, call)
    before = sorted(ScoreCriterion.objects.filter(call=call, is_active=True).values_list("pk", flat=True))
    scores = full_marks(call)

    finished_early, outcome = first_holds_second_waits(
        lambda: reviews.save_scorecard(assignment, scores=scores, comments="很好。", recommendation="approve",
                                       submit=True, by=assignment.expert.user),
        lambda: services.update_criteria(call, by=officer, criteria=CALL_CRITERIA),
    )

    assert not finished_early  # it waited for the call's row
    assert isinstance(outcome, CallError)
    assert sorted(ScoreCriterion.objects.filter(call=call, is_active=True).values_list("pk", flat=True)) == before
    assert Scorecard.objects.filter(assignment=assignment, submitted_at__isnull=False).count() == 1


def test_a_first_score_waits_for_an_edit_and_is_refused_on_the_old_criteria(using_postgres, officer, member):
    call = make_call(officer)
    assignment = in_expert_review(officer, member, call)
    stale = full_marks(call)  # what the expert's page showed before the edit

    finished_early, outcome = first_holds_second_waits(
        lambda: services.update_criteria(call, by=officer, criteria=CALL_CRITERIA),
        lambda: reviews.save_scorecard(assignment, scores=stale, comments="很好。", recommendation="approve",
                                       submit=True, by=assignment.expert.user),
    )

    assert not finished_early
    assert isinstance(outcome, WorkflowError)
    assert not Scorecard.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()
    assert list(ScoreCriterion.objects.filter(call=call, is_active=True).values_list("name", flat=True)) == [
        "产业带动作用", "协同创新机制"]
