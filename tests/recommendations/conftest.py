"""Fixtures of the district recommendation: a call, applications waiting in their district, letters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter

from alliances.services import submit_application
from tests.factories import CallFactory, district, district_reviewer, eligible_alliance, member_user

ZHANGDIAN, BOSHAN = "370303", "370304"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; the zh-Hans pages are checked in the HTTP tests."""
    with translation.override("en"):
        yield


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def letter(content: bytes | None = None, name: str = "推荐函.pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def waiting_application(call, *, district_code=ZHANGDIAN, name=None):
    """An eligible application of ``call`` whose chairman unit is in ``district_code``, submitted: it waits for
    its district's recommendation."""
    applicant = member_user()
    applicant.organisation.district = district(district_code)
    applicant.organisation.save(update_fields=["district"])
    kwargs = {"name": name} if name else {}
    alliance = eligible_alliance(chairman=applicant.organisation, call=call, **kwargs)
    submit_application(alliance, by=applicant)
    alliance.refresh_from_db()
    alliance.applicant = applicant
    return alliance


@pytest.fixture
def call(db):
    return CallFactory(title="第一批", district_quota=2)


@pytest.fixture
def reviewer(db):
    return district_reviewer(district(ZHANGDIAN), full_name="张店区科技局 刘科长")


@pytest.fixture
def other_reviewer(db):
    return district_reviewer(district(BOSHAN), full_name="博山区科技局 周科长")


@pytest.fixture
def waiting(call):
    return waiting_application(call, name="淄博先进陶瓷产业技术创新战略联盟")
