"""The designation document (认定文件) of a batch: a public printable page like the official paper and a PDF whose
text carries the Chinese names and numbers; each alliance's certificate stays available."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reviews import batches
from reviews.models import Designation, StagedOutcome

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review
from .pdf_helpers import downloaded

pytestmark = pytest.mark.django_db

NAMES = ("淄博先进陶瓷产业技术创新战略联盟", "淄博生物医药产业技术创新战略联盟")


@pytest.fixture
def designated(officer, django_capture_on_commit_callbacks):
    call = batch_call(title="2026年度第一批产业技术创新战略联盟申报")
    rows = [in_joint_review(call, name) for name in NAMES]
    for row in rows:
        batches.stage_outcome(row, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)
    with django_capture_on_commit_callbacks(execute=True):  # the documents are rendered after commit
        return batches.designate_batch(call, by=officer), rows


def test_document_page_is_public_and_looks_like_the_paper(client, designated):
    decision, rows = designated
    response = client.get(reverse("reviews:batch_document", args=[decision.call_id]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    content = response.content.decode()
    year = timezone.localdate().year
    assert f"淄科字〔{year}〕1号" in content
    assert "document-head" in content
    assert "淄博市科学技术局" in content
    for row, number in zip(rows, (f"〔{year}〕001", f"〔{year}〕002"), strict=True):
        assert row.name in content
        assert number in content


def test_document_pdf_carries_the_chinese_text(client, designated):
    decision, _rows = designated
    response = client.get(reverse("reviews:batch_document_pdf", args=[decision.call_id]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(downloaded(response)))
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 portrait, in points
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for name in NAMES:
        assert name in text
    assert decision.document_number in text
    for designation in Designation.objects.all():
        assert designation.certificate_number in text
    assert "淄博市科学技术局" in text


def test_each_certificate_stays_available(client, designated):
    decision, rows = designated
    client.force_login(rows[0].applicant)
    designation = Designation.objects.get(alliance=rows[0])
    assert designation.batch == decision
    response = client.get(reverse("reviews:certificate", args=[designation.pk]))
    assert designation.certificate_number in response.content.decode()


def test_no_document_before_designation(client, officer):
    call = batch_call()
    alliance = in_joint_review(call, NAMES[0])
    batches.stage_outcome(alliance, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.release_batch(call, by=officer)
    assert client.get(reverse("reviews:batch_document", args=[call.pk])).status_code == 404
    assert client.get(reverse("reviews:batch_document_pdf", args=[call.pk])).status_code == 404
