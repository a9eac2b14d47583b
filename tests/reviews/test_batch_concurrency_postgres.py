"""Under real concurrency (PostgreSQL, one connection per thread): twenty simultaneous designations of one batch
make one designation document, and its certificate numbers are consecutive in the batch's order."""

import pytest
from django.utils import timezone

from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from calls.models import Call
from reviews import batches
from reviews.models import BatchDecision, Designation, StagedOutcome

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review
from .test_concurrency_postgres import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_twenty_simultaneous_batch_designations_make_one_document(using_postgres, officer):
    call = batch_call()
    rows = [in_joint_review(call, f"联盟{i:02d}") for i in range(6)]
    for position, alliance in zip((3, 1, 2, 6, 5, 4), rows, strict=True):
        batches.stage_outcome(alliance, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, position=position, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)

    results = run_together(20, lambda i: batches.designate_batch(Call.objects.get(pk=call.pk), by=officer)
                           .document_number)

    decision = BatchDecision.objects.get(call=call)
    year = timezone.localdate().year
    assert set(results) == {f"淄科字〔{year}〕1号"}
    assert decision.document_number == f"淄科字〔{year}〕1号"
    assert BatchDecision.objects.filter(document_sequence__isnull=False).count() == 1
    entries = list(batches.document_entries(decision))
    assert [d.alliance.name for d in entries] == ["联盟01", "联盟02", "联盟00", "联盟05", "联盟04", "联盟03"]
    assert [d.sequence for d in entries] == [1, 2, 3, 4, 5, 6]
    assert Designation.objects.count() == 6
    assert StateTransition.objects.filter(action="grant_pilot").count() == 6
    assert set(Alliance.objects.filter(call=call).values_list("state", flat=True)) == {State.PILOT}
