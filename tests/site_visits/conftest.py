"""Fixtures of site visits: an application of a call with site visits, scored by experts, and files."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfWriter

from accounts.roles import Role
from alliances.services import submit_application
from alliances.workflow import State
from reviews import services as review_services
from site_visits.models import SiteVisitCheck
from tests.factories import CallFactory, UserFactory, eligible_alliance, member_user
from tests.reviews.conftest import advance, make_department_reviewer, make_expert, score


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


ALL_MATCH = dict.fromkeys(SiteVisitCheck.Item.values, (True, ""))


def scored_application(officer, *, uses_site_visits=True):
    """An application of a call (no district step) in expert review, scored by two experts."""
    applicant = member_user()
    call = CallFactory(requires_district_recommendation=False, uses_site_visits=uses_site_visits)
    alliance = eligible_alliance(chairman=applicant.organisation, call=call, name="淄博先进陶瓷产业技术创新战略联盟")
    submit_application(alliance, by=applicant)
    advance(alliance, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=14)
    for assignment in review_services.assign_experts(alliance, experts=[make_expert(name=f"评审专家{i}")
                                                                         for i in range(2)], due_date=due, by=officer):
        score(assignment)
    alliance.refresh_from_db()
    alliance.applicant = applicant
    return alliance


@pytest.fixture
def scored(officer):
    return scored_application(officer)


@pytest.fixture
def visitor_expert(db):
    return make_expert(name="考察专家 孙教授").user


@pytest.fixture
def second_officer(db):
    return UserFactory(roles=[Role.OFFICER], full_name="科技局 赵科员")


@pytest.fixture
def joint_reviewer(db):
    return make_department_reviewer("science-technology", "科技局会审人")


def today():
    return timezone.localdate()
