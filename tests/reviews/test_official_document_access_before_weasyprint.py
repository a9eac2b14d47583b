"""Access is checked before anything heavy: an outsider is refused without WeasyPrint being imported or a file
being read, and serving an issued PDF needs no WeasyPrint at all."""

import sys

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from reviews import services
from reviews.models import Designation, OfficialDocument
from tests.factories import AllianceFactory, member_user

from .pdf_helpers import downloaded, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(officer, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level=Designation.Level.PILOT, by=officer)
    return OfficialDocument.objects.get(designation=designation)


@pytest.fixture
def no_weasyprint(monkeypatch):
    """``import weasyprint`` fails from here on, as on a machine where it cannot load."""
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "weasyprint", None)


@pytest.fixture
def opened(monkeypatch):
    """Names of the files the storage opened."""
    names = []
    real = FileSystemStorage._open
    monkeypatch.setattr(FileSystemStorage, "_open", lambda self, name, mode="rb": names.append(name) or
                        real(self, name, mode))
    return names


def _urls(document):
    return [reverse("reviews:certificate_pdf", args=[document.designation_id]),
            reverse("reviews:document_pdf", args=[document.token])]


def test_outsider_is_refused_before_any_file_is_read(client, issued, no_weasyprint, opened):
    client.force_login(member_user())
    for url in _urls(issued):
        assert client.get(url).status_code == 404
    assert opened == []


def test_anonymous_is_sent_to_sign_in_for_a_certificate(client, issued, no_weasyprint, opened):
    for url in _urls(issued):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    assert opened == []


def test_member_downloads_without_weasyprint(client, issued, no_weasyprint):
    client.force_login(member_user(organisation=issued.alliance.chairman))
    for url in _urls(issued):
        assert downloaded(client.get(url)) == stored(issued)
