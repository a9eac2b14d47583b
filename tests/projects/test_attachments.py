"""Attachments: checked by content, size-limited, stored privately and downloaded through a permission check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from projects.models import ProjectAttachment

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _upload(client, project, name, content, content_type="application/octet-stream"):
    return client.post(f"/projects/{project.pk}/attachments/",
                       {"file": SimpleUploadedFile(name, content, content_type=content_type), "description": "可研报告"},
                       follow=True)


def test_pdf_is_attached_and_downloaded_by_the_alliance(client, project, lead_user, plain_member):
    client.force_login(lead_user)
    _upload(client, project, "可行性研究报告.pdf", _pdf())
    attachment = ProjectAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "可行性研究报告.pdf"
    assert attachment.file.name.startswith(f"projects/{project.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert len(attachment.sha256) == 64
    client.force_login(plain_member)
    response = client.get(f"/projects/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf()
    assert "attachment;" in response["Content-Disposition"]


def test_image_with_the_right_content_is_accepted(client, project, lead_user):
    client.force_login(lead_user)
    _upload(client, project, "现场.png", PNG)
    assert ProjectAttachment.objects.get().content_type == "image/png"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("报告.pdf", b"MZ\x90\x00" + b"\0" * 60, "does not match"),  # a program named .pdf
    ("程序.exe", b"MZ\x90\x00" + b"\0" * 60, "Only PDF"),
    ("空.pdf", b"", "empty"),
    ("坏.pdf", b"%PDF-1.4\n garbage", "cannot be read"),
])
def test_bad_files_are_refused_with_the_reason(client, project, lead_user, name, content, reason):
    client.force_login(lead_user)
    page = _upload(client, project, name, content).content.decode()
    assert reason in page
    assert ProjectAttachment.objects.count() == 0


def test_size_limit(client, project, lead_user, settings):
    settings.PROJECT_UPLOAD_MAX_BYTES = 100
    client.force_login(lead_user)
    assert "larger than" in _upload(client, project, "大.png", PNG + b"\0" * 100).content.decode()
    assert ProjectAttachment.objects.count() == 0


def test_other_alliance_cannot_download_and_others_cannot_attach(client, project, lead_user, outsider, plain_member):
    client.force_login(lead_user)
    _upload(client, project, "现场.png", PNG)
    attachment = ProjectAttachment.objects.get()
    client.force_login(outsider)
    assert client.get(f"/projects/attachments/{attachment.pk}/").status_code == 404
    assert client.post(f"/projects/attachments/{attachment.pk}/delete/").status_code == 404
    client.force_login(plain_member)
    assert _upload(client, project, "x.png", PNG).status_code == 403


def test_attachments_are_frozen_once_submitted(client, project, lead_user, django_capture_on_commit_callbacks):
    from projects import services

    client.force_login(lead_user)
    _upload(client, project, "现场.png", PNG)
    services.submit_project(project, by=lead_user)
    attachment = ProjectAttachment.objects.get()
    page = client.post(f"/projects/attachments/{attachment.pk}/delete/", follow=True).content.decode()
    assert "only while the project is editable" in page
    assert ProjectAttachment.objects.count() == 1


def test_removing_a_draft_attachment_deletes_the_file(client, project, lead_user, django_capture_on_commit_callbacks):
    client.force_login(lead_user)
    _upload(client, project, "现场.png", PNG)
    attachment = ProjectAttachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/projects/attachments/{attachment.pk}/delete/")
    assert ProjectAttachment.objects.count() == 0
    assert not storage.exists(name)
