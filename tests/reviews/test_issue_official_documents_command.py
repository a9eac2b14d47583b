"""``manage.py issue_official_documents`` catches up: certificates for designations from before documents were
stored, and the rendering of documents whose task was lost. Running it again changes nothing."""

import io

import pytest
from django.core.management import call_command

from alliances.models import Alliance
from alliances.workflow import State
from reviews import services
from reviews.models import Designation, OfficialDocument
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("issue_official_documents", *args, stdout=out)
    return out.getvalue()


def test_renders_a_document_whose_task_was_lost_and_then_nothing(officer):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    designation = services.designate(alliance, level="pilot", by=officer)  # its on_commit task never runs here

    assert "0 documents issued, 1 rendered" in _run()
    document = OfficialDocument.objects.get(designation=designation)
    assert document.is_ready
    assert "0 documents issued, 0 rendered" in _run("--missing")
    assert OfficialDocument.objects.get(designation=designation).sha256 == document.sha256


def test_issues_certificates_for_designations_without_one():
    alliance = AllianceFactory()
    designation = Designation.objects.create(alliance=alliance, level="pilot", year=2023, sequence=7,
                                             certificate_number=Designation.format_number(2023, 7))
    revoked = Designation.objects.create(alliance=AllianceFactory(), level="pilot", year=2023, sequence=8,
                                         certificate_number=Designation.format_number(2023, 8),
                                         revoked_at=designation.designated_at)

    assert "1 documents issued, 1 rendered" in _run("--missing")
    assert OfficialDocument.objects.get(designation=designation).number == "〔2023〕007"
    assert not OfficialDocument.objects.filter(designation=revoked).exists()
    assert "0 documents issued, 0 rendered" in _run("--missing")
