"""The alliance agreement: a PDF recognised by its content, size-limited, stored outside the web root and
downloadable only by those who may see the application."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliances import services
from alliances.models import AllianceAgreement
from alliances.uploads import inspect_pdf

from .conftest import invite_and_confirm, pdf_bytes, upload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def rejection(content, name="协议.pdf"):
    with pytest.raises(ValidationError) as refused:
        inspect_pdf(upload(content, name))
    return refused.value


def test_valid_pdf_is_measured():
    content = pdf_bytes(pages=3)
    info = inspect_pdf(upload(content))
    assert (info.size, info.pages, info.sha256) == (len(content), 3, hashlib.sha256(content).hexdigest())


def test_empty_file_is_rejected():
    error = rejection(b"")
    assert error.code == "empty"
    assert error.messages == ["The file is empty. Please choose the scanned agreement again."]


def test_png_named_pdf_is_rejected_by_content():
    error = rejection(PNG, name="协议.pdf")
    assert error.code == "not_pdf"
    assert "not a PDF document" in error.messages[0]


def test_text_file_is_rejected():
    assert rejection(b"hello, this is plain text " * 10, name="agreement.pdf").code == "not_pdf"


def test_broken_pdf_is_rejected():
    content = pdf_bytes()
    assert rejection(content[:120]).code == "broken_pdf"


def test_pdf_header_with_garbage_is_rejected():
    assert rejection(b"%PDF-1.7\n" + b"\x00garbage" * 50).code == "broken_pdf"


def test_encrypted_pdf_is_rejected():
    error = rejection(pdf_bytes(password="secret"))
    assert error.code == "encrypted_pdf"
    assert "password-protected" in error.messages[0]


def test_file_over_the_limit_is_rejected(settings):
    settings.UPLOAD_MAX_BYTES = 500
    error = rejection(pdf_bytes())
    assert error.code == "too_large"
    assert "at most 500" in error.messages[0]


def test_upload_is_stored_privately_with_its_fingerprint(draft, member):
    content = pdf_bytes(pages=2)
    agreement = services.upload_agreement(draft, by=member, file=upload(content, "联盟协议（盖章）.pdf"))
    assert (agreement.original_name, agreement.pages, agreement.size) == ("联盟协议（盖章）.pdf", 2, len(content))
    assert agreement.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(agreement.file.path)
    assert stored.read_bytes() == content
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert Path(settings.STATIC_ROOT) not in stored.parents
    assert stored.name.endswith(f"{agreement.sha256[:12]}.pdf")  # never the uploader's file name


def test_upload_page_shows_the_reason_beside_the_field(client, draft, member):
    client.force_login(member)
    response = client.post(reverse("alliances:step", args=[draft.pk, 4]),
                           {"file": upload(PNG, "协议.pdf"), "after": "stay"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a PDF document" in page
    assert "is-invalid" in page
    assert not AllianceAgreement.objects.filter(alliance=draft).exists()


def test_upload_through_the_page(client, draft, member):
    client.force_login(member)
    response = client.post(reverse("alliances:step", args=[draft.pk, 4]),
                           {"file": upload(pdf_bytes(), "协议.pdf"), "after": "next"})
    assert response.status_code == 302
    assert response["Location"] == reverse("alliances:step", args=[draft.pk, 5])
    assert AllianceAgreement.objects.get(alliance=draft).original_name == "协议.pdf"


@pytest.fixture
def agreement(draft, member):
    return services.upload_agreement(draft, by=member, file=upload(pdf_bytes(), "联盟协议.pdf"))


def test_chairman_downloads_the_agreement(client, draft, member, agreement):
    client.force_login(member)
    response = client.get(reverse("alliances:download_agreement", args=[draft.pk, agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == Path(agreement.file.path).read_bytes()


def test_confirmed_member_and_bureau_download(client, draft, member, officer, agreement):
    _membership, colleague_unit_user = invite_and_confirm(draft, member)
    for user in (colleague_unit_user, officer):
        client.force_login(user)
        response = client.get(reverse("alliances:download_agreement", args=[draft.pk, agreement.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # reading to the end closes the file


def test_invited_member_cannot_download(client, draft, member, agreement, other_member):
    services.invite_member(draft, by=member, credit_code=other_member.organisation.credit_code)
    client.force_login(other_member)
    assert client.get(reverse("alliances:detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("alliances:download_agreement", args=[draft.pk, agreement.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_member", "expert"])
def test_others_get_404(client, draft, agreement, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("alliances:download_agreement", args=[draft.pk, agreement.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, draft, agreement):
    response = client.get(reverse("alliances:download_agreement", args=[draft.pk, agreement.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_agreement_of_another_alliance_is_404(client, draft, member, agreement, other_member, sector):
    own = services.create_alliance(by=other_member, name="另一联盟", sector=sector)
    client.force_login(other_member)
    assert client.get(reverse("alliances:download_agreement", args=[own.pk, agreement.pk])).status_code == 404


def test_there_is_no_public_media_url(client, agreement):
    assert client.get("/media/" + agreement.file.name).status_code == 404
    assert client.get("/" + agreement.file.name).status_code == 404
