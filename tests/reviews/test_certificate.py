"""The certificate: a printable page for the alliance and the bureau, and a PDF that carries the Chinese text."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from alliances.models import Alliance
from alliances.workflow import State
from reviews import services
from tests.factories import AllianceFactory, member_user

from .pdf_helpers import downloaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def designation(officer, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):  # the certificate is rendered after commit
        return services.designate(alliance, level="pilot", by=officer)


def test_pdf_contains_the_chinese_alliance_name_and_number(client, designation, officer):
    client.force_login(officer)
    response = client.get(reverse("reviews:certificate_pdf", args=[designation.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(downloaded(response)))
    assert len(reader.pages) == 1  # the certificate fits one sheet
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (842, 595)  # A4 landscape, in points
    text = "".join(page.extract_text() for page in reader.pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "淄博先进陶瓷产业技术创新战略联盟" in compact
    assert designation.certificate_number in compact
    assert "试点单位" in compact
    assert "淄博市发展和改革委员会" in compact


def test_certificate_page_for_the_alliance_members(client, designation):
    user = member_user(organisation=designation.alliance.chairman)
    client.force_login(user)
    content = client.get(reverse("reviews:certificate", args=[designation.pk])).content.decode()
    assert designation.certificate_number in content
    assert "certificate-frame" in content


def test_certificate_of_another_alliance_is_404(client, designation):
    client.force_login(member_user())
    assert client.get(reverse("reviews:certificate", args=[designation.pk])).status_code == 404
    assert client.get(reverse("reviews:certificate_pdf", args=[designation.pk])).status_code == 404


def test_certificate_needs_login(client, designation):
    response = client.get(reverse("reviews:certificate", args=[designation.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
