"""Fixtures of the calls tests: calls made through the services (with their copied scorecard)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfWriter

from calls import services
from tests.factories import SectorFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the Chinese catalogue is checked separately."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def sector(db):
    return SectorFactory()


def make_call(officer, *, opens_in=timedelta(days=-10), closes_in=timedelta(days=20), publish=True, sectors=(),
              documents=(), batch_number=1, **fields):
    """A call made by ``officer`` through the services; its window is relative to now."""
    now = timezone.now()
    defaults = {"year": 2026, "batch_number": batch_number, "title": f"2026年度第{batch_number}批产业技术创新战略联盟申报",
                "guide": "## 申报条件\n\n- 成员不少于5家", "opens_at": now + opens_in, "closes_at": now + closes_in,
                "requires_district_recommendation": False, "uses_site_visits": False}
    call = services.create_call(by=officer, sectors=sectors, documents=documents, **{**defaults, **fields})
    if publish:
        call = services.publish(call, by=officer)
    return call


@pytest.fixture
def open_call(officer):
    return make_call(officer)


def pdf_upload(name="营业执照.pdf", pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
