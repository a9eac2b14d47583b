"""Every official PDF is set in the bundled Noto Serif SC: with the system's CJK fonts hidden from fontconfig,
the alliance's Chinese name and the numbers are still in the PDF's text."""

import pytest
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from reviews import batches, services
from reviews.models import OfficialDocument, StagedOutcome
from tests.factories import AllianceFactory

from .batch_fixtures import batch_call, end_batch_notice, in_joint_review
from .pdf_helpers import downloaded, embedded_fonts, fonts_only_conf, pdf_text

pytestmark = pytest.mark.django_db

NAME = "淄博先进陶瓷产业技术创新战略联盟"


@pytest.fixture(autouse=True)
def no_system_cjk_font(monkeypatch, tmp_path):
    """fontconfig reads FONTCONFIG_FILE each time WeasyPrint builds a FontConfiguration (one per PDF)."""
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_only_conf(tmp_path)))


def test_certificate_pdf_carries_the_chinese_name_and_number(client, officer, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name=NAME)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level="pilot", by=officer)
    client.force_login(officer)

    content = downloaded(client.get(reverse("reviews:certificate_pdf", args=[designation.pk])))

    text = pdf_text(content)
    assert NAME in text
    assert designation.certificate_number in text
    assert "证书" in text
    assert embedded_fonts(content) == {"Noto-Serif-SC", "Noto-Serif-SC-Bold"}


def test_designation_document_pdf_carries_the_chinese_names_and_numbers(client, officer,
                                                                      django_capture_on_commit_callbacks):
    call = batch_call(title="2026年度第一批产业技术创新战略联盟申报")
    row = in_joint_review(call, NAME)
    batches.stage_outcome(row, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.release_batch(call, by=officer)
    end_batch_notice(call)
    with django_capture_on_commit_callbacks(execute=True):
        decision = batches.designate_batch(call, by=officer)

    content = downloaded(client.get(reverse("reviews:batch_document_pdf", args=[call.pk])))

    text = pdf_text(content)
    assert NAME in text
    assert decision.document_number in text
    assert row.designations.get().certificate_number in text
    assert embedded_fonts(content) <= {"Noto-Serif-SC", "Noto-Serif-SC-Bold"}
    assert OfficialDocument.objects.filter(batch=decision, kind="designation_document").count() == 1


def test_a_character_the_bundled_font_lacks_is_reported(officer, caplog, django_capture_on_commit_callbacks):
    alliance = AllianceFactory(name="淄博𪚥材产业技术创新战略联盟")  # 𪚥: CJK extension B, outside GB2312
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(alliance, level="pilot", by=officer)
    assert [r.getMessage() for r in caplog.records if r.name == "reviews.documents"] == [
        f"Certificate {designation.certificate_number}: the bundled font lacks 𪚥; add them to "
        "tools/subset_cjk_font.py and subset again (this PDF draws them from a system font, or as empty boxes)"]
