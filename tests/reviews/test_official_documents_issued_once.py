"""A certificate is rendered once, after the designation commits, stored with its SHA-256 and time of issue,
and served as stored: byte for byte, without rendering again, whatever happens to the templates later."""

import hashlib

import pytest
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from reviews import pdf, services
from reviews.models import OfficialDocument
from tests.factories import AllianceFactory

from .pdf_helpers import downloaded, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance():
    alliance = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    return alliance


def test_certificate_is_rendered_after_commit_and_stored_with_its_hash(alliance, officer,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        designation = services.designate(alliance, level="pilot", by=officer)
    document = OfficialDocument.objects.get(designation=designation)
    assert (document.kind, document.number, document.status) == ("certificate", designation.certificate_number,
                                                                 "valid")
    assert not document.is_ready  # nothing rendered inside the transaction

    for callback in callbacks:
        callback()

    document.refresh_from_db()
    content = stored(document)
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.issued_at >= designation.designated_at
    assert document.rendered_at >= document.issued_at


def test_page_says_being_prepared_until_the_file_exists(client, alliance, officer):
    designation = services.designate(alliance, level="pilot", by=officer)  # on_commit never runs here
    client.force_login(officer)

    page = client.get(reverse("reviews:certificate", args=[designation.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Being prepared" in page.content.decode()
    response = client.get(reverse("reviews:certificate_pdf", args=[designation.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("reviews:certificate",
                                                                         args=[designation.pk]))


def test_download_is_the_stored_file_byte_for_byte_and_never_rendered_again(
        client, alliance, officer, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level="pilot", by=officer)
    document = OfficialDocument.objects.get(designation=designation)
    content = stored(document)

    def no_rendering(*args, **kwargs):
        raise AssertionError("an issued document is never rendered again")

    monkeypatch.setattr(pdf, "render", no_rendering)
    monkeypatch.setattr(pdf, "FONT_FILE", pdf.FONT_FILE.with_name("changed-font.ttf"))  # a later font change
    client.force_login(officer)
    for url in (reverse("reviews:certificate_pdf", args=[designation.pk]),
                reverse("reviews:document_pdf", args=[document.token])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"] == f'"{document.sha256}"'
        assert downloaded(response) == content


def test_running_the_task_again_changes_nothing(alliance, officer, django_capture_on_commit_callbacks):
    from reviews.tasks import render_official_document

    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level="pilot", by=officer)
    document = OfficialDocument.objects.get(designation=designation)

    assert render_official_document.delay(document_id=document.pk).get() == document.sha256
    again = OfficialDocument.objects.get(pk=document.pk)
    assert (again.file.name, again.sha256, again.rendered_at) == (document.file.name, document.sha256,
                                                                  document.rendered_at)
    assert render_official_document.delay(document_id=document.pk + 1000).get() is None  # gone: quiet


def test_designating_twice_issues_one_certificate(alliance, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.designate(alliance, level="pilot", by=officer)
        services.designate(alliance, level="pilot", by=officer)
    assert OfficialDocument.objects.filter(alliance=alliance).count() == 1
