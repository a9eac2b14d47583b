"""The documents a call asks for: uploaded as checked PDFs on their own page; missing required ones block
submission and are listed on the check page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from calls.models import ApplicationDocument
from tests.factories import eligible_alliance

from .conftest import make_call, pdf_upload

pytestmark = pytest.mark.django_db

DOCUMENTS = [{"name": "区县推荐函", "is_required": True}, {"name": "营业执照", "is_required": True},
             {"name": "联盟章程", "is_required": False}]


@pytest.fixture
def application(officer, member):
    call = make_call(officer, documents=DOCUMENTS)
    return eligible_alliance(chairman=member.organisation, call=call)


def upload(client, alliance, document, file):
    return client.post(reverse("calls:documents", args=[alliance.pk]),
                       {"required_document": document.pk, "file": file})


def test_missing_required_documents_block_submission_and_link_to_the_upload_page(client, member, application):
    client.force_login(member)
    response = client.post(reverse("alliances:step", args=[application.pk, 6]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Documents required by the call have not been uploaded: 区县推荐函、营业执照." in page
    problem = page[page.index('data-problem="call_documents_missing"'):]
    assert reverse("calls:documents", args=[application.pk]) in problem[:problem.index("</li>")]
    assert Alliance.objects.get(pk=application.pk).state == State.DRAFT


def test_uploading_the_required_documents_allows_submission(client, member, application):
    client.force_login(member)
    required = list(application.call.required_documents.filter(is_required=True))
    for document in required:
        response = upload(client, application, document, pdf_upload())
        assert response["Location"] == reverse("calls:documents", args=[application.pk])
    rows = ApplicationDocument.objects.filter(alliance=application)
    assert sorted((row.required_document_id, row.uploaded_by_id, row.pages) for row in rows) == sorted(
        (document.pk, member.pk, 1) for document in required)
    response = client.post(reverse("alliances:step", args=[application.pk, 6]))
    assert response["Location"] == reverse("alliances:detail", args=[application.pk])
    assert Alliance.objects.get(pk=application.pk).state == State.SUBMITTED


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(client, member, application):
    client.force_login(member)
    document = application.call.required_documents.first()
    fake = SimpleUploadedFile("推荐函.pdf", b"GIF89a not a pdf at all", content_type="application/pdf")
    response = upload(client, application, document, fake)
    assert response.status_code == 200
    assert "This file is not a PDF document" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_documents_page_lists_each_document_with_its_state(client, member, application):
    client.force_login(member)
    first = application.call.required_documents.first()
    upload(client, application, first, pdf_upload("推荐函扫描件.pdf"))
    page = client.get(reverse("calls:documents", args=[application.pk])).content.decode()
    status = page[page.index('id="document-status"'):]
    assert status.count("Uploaded") == 1
    assert status.count("Missing") == 1
    assert status.count("Optional") == 1
    assert "推荐函扫描件.pdf" in status


def test_another_organisation_cannot_see_or_upload(client, other_member, application):
    client.force_login(other_member)
    document = application.call.required_documents.first()
    assert client.get(reverse("calls:documents", args=[application.pk])).status_code == 404
    assert upload(client, application, document, pdf_upload()).status_code == 404
    assert not ApplicationDocument.objects.exists()


def test_no_uploads_once_submitted(client, member, application):
    Alliance.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    client.force_login(member)
    document = application.call.required_documents.first()
    assert upload(client, application, document, pdf_upload()).status_code == 403
    assert not ApplicationDocument.objects.exists()


def test_the_bureau_downloads_an_uploaded_document(client, member, officer, application):
    client.force_login(member)
    upload(client, application, application.call.required_documents.first(), pdf_upload())
    stored = ApplicationDocument.objects.get()
    client.force_login(officer)
    response = client.get(reverse("calls:download_document", args=[application.pk, stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
