"""The QR code on each certificate opens a public page for that certificate alone: alliance, level, number, date
of issue, valid / superseded / revoked with the date, and the SHA-256 of the file as issued. The public register
finds certificates by their number, however it is typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance
from alliances.workflow import State
from reviews import documents, services
from reviews.models import Designation, OfficialDocument
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db

NAME = "淄博先进陶瓷产业技术创新战略联盟"


@pytest.fixture
def pilot(officer, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name=NAME)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        return services.designate(alliance, level=Designation.Level.PILOT, by=officer)


def test_qr_code_holds_the_certificates_own_verification_address(settings, officer, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": "https://portal.example.gov.cn/"}
    encoded = []
    real = documents.qr_svg
    monkeypatch.setattr(documents, "qr_svg", lambda url: encoded.append(url) or real(url))
    alliance = AllianceFactory(name=NAME)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level=Designation.Level.PILOT, by=officer)

    document = OfficialDocument.objects.get(designation=designation)
    assert encoded == [f"https://portal.example.gov.cn/reviews/verify/{document.token}/"]
    assert encoded[0] == "https://portal.example.gov.cn" + reverse("reviews:verify", args=[document.token])


def test_verification_page_is_public_and_shows_one_valid_certificate(client, pilot):
    document = OfficialDocument.objects.get(designation=pilot)
    other = AllianceFactory(name="淄博生物医药产业技术创新战略联盟")

    response = client.get(reverse("reviews:verify", args=[document.token]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    content = response.content.decode()
    assert NAME in content
    assert other.name not in content
    assert pilot.certificate_number in content
    assert "试点单位" in content
    assert timezone.localdate(document.issued_at).strftime("%Y年%-m月%-d日") in content
    assert document.sha256 in content
    assert len(document.sha256) == 64
    assert 'data-status="valid"' in content


def test_verification_page_says_superseded_with_the_date_and_the_replacement(client, pilot, officer):
    first = OfficialDocument.objects.get(designation=pilot)
    second = documents.reissue_certificate(pilot, reason="联盟名称更正", by=officer)

    content = client.get(reverse("reviews:verify", args=[first.token]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-status="superseded"' in content
    assert f"superseded on {timezone.localdate(second.issued_at):%b}" in content.replace(".", "")
    assert reverse("reviews:verify", args=[second.token]) in content


def test_verification_page_says_revoked_with_the_date(client, pilot, officer):
    document = OfficialDocument.objects.get(designation=pilot)
    services.revoke_designations(pilot.alliance, reason="未按期整改", by=officer)

    content = client.get(reverse("reviews:verify", args=[document.token]), HTTP_ACCEPT_LANGUAGE="zh-hans")\
        .content.decode()

    assert 'data-status="revoked"' in content
    assert "撤销" in content


def test_unknown_key_is_404(client):
    assert client.get(reverse("reviews:verify", args=["no-such-document"])).status_code == 404


@pytest.mark.parametrize("typed", ["〔{year}〕001", "{year}-1", "[{year}]001", "{year} 001", "（{year}）1号"])
def test_register_finds_a_certificate_by_number_however_typed(client, pilot, typed):
    content = client.get(reverse("reviews:register"), {"q": typed.format(year=pilot.year)}).content.decode()
    assert NAME in content
    document = OfficialDocument.objects.get(designation=pilot)
    assert reverse("reviews:verify", args=[document.token]) in content


def test_register_search_by_number_also_finds_revoked_certificates(client, pilot, officer):
    services.revoke_designations(pilot.alliance, reason="未按期整改", by=officer)
    content = client.get(reverse("reviews:register"), {"q": pilot.certificate_number}).content.decode()
    assert 'id="certificate-matches"' in content
    assert 'data-status="revoked"' in content
