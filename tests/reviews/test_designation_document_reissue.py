"""A corrected designation document is a new document; the one it replaces stays, superseded, and its own
verification page says so. Only officers reissue, with a reason."""

import pytest
from django.urls import reverse

from alliance_portal.core.errors import NotPermitted, WorkflowError
from reviews import batches, documents
from reviews.models import OfficialDocument, StagedOutcome
from tests.factories import member_user

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review
from .pdf_helpers import downloaded, stored

pytestmark = pytest.mark.django_db
Status = OfficialDocument.Status


@pytest.fixture
def decision(officer, django_capture_on_commit_callbacks):
    call = batch_call()
    row = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    batches.stage_outcome(row, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)
    with django_capture_on_commit_callbacks(execute=True):
        return batches.designate_batch(call, by=officer)


def test_reissue_supersedes_and_the_download_is_the_new_file(client, decision, officer,
                                                             django_capture_on_commit_callbacks):
    first = OfficialDocument.objects.get(batch=decision)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:batch_document_reissue", args=[decision.call_id]),
                               {"reason": "成员单位名称更正"})
    assert response.status_code == 302

    first.refresh_from_db()
    second = OfficialDocument.objects.get(batch=decision, status=Status.VALID)
    assert (first.status, first.superseded_by, first.status_reason) == (Status.SUPERSEDED, second,
                                                                       "成员单位名称更正")
    assert (second.number, second.reason) == (decision.document_number, "成员单位名称更正")
    pdf = downloaded(client.get(reverse("reviews:batch_document_pdf", args=[decision.call_id])))
    assert pdf == stored(second)
    assert downloaded(client.get(reverse("reviews:document_pdf", args=[first.token]))) == stored(first)
    page = client.get(reverse("reviews:verify", args=[first.token])).content.decode()
    assert 'data-status="superseded"' in page


def test_only_officers_and_with_a_reason(client, decision, officer):
    with pytest.raises(NotPermitted):
        documents.reissue_designation_document(decision, reason="更正", by=member_user())
    with pytest.raises(WorkflowError):
        documents.reissue_designation_document(decision, reason="", by=officer)
    client.force_login(member_user())
    assert client.post(reverse("reviews:batch_document_reissue", args=[decision.call_id]),
                       {"reason": "更正"}).status_code == 403
    assert OfficialDocument.objects.filter(batch=decision).count() == 1
