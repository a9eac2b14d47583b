"""The findings of a visit: every item verified or not (with a note), a conclusion, photos and documents;
joint review waits for them, and discrepancies let the officer return or reject."""

import datetime

import pytest

from accounts.models import AuditEvent
from alliance_portal.core.errors import WorkflowError
from alliances.transitions import transition
from alliances.workflow import State
from reviews import services as review_services
from site_visits import services
from site_visits.models import SiteVisitAttachment, SiteVisitCheck
from site_visits.services import AttachmentRefused

from .conftest import ALL_MATCH, jpeg_bytes, pdf_bytes, png_bytes, today, upload

pytestmark = pytest.mark.django_db

DISCREPANT = {**ALL_MATCH, "investment": (False, "自筹资金到位仅300万元，申报为1200.5万元。")}


@pytest.fixture
def visit(scored, officer, visitor_expert):
    return services.schedule_visit(scored, date=today(), place="张店区人民西路1号", team=[visitor_expert], by=officer)


def test_joint_review_waits_for_the_findings(scored, visit, officer):
    with pytest.raises(WorkflowError) as refusal:
        transition(scored, action="send_to_joint_review", by=officer)
    assert refusal.value.message == ("Record the findings of the site visit before sending the application to joint "
                                     "review.")
    services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="与申报材料一致。", by=officer)
    transition(scored, action="send_to_joint_review", by=officer)
    scored.refresh_from_db()
    assert scored.state == State.JOINT_REVIEW


def test_findings_are_recorded_with_checks_and_attachments(visit, officer):
    files = [upload(png_bytes(), "实验室.png"), upload(jpeg_bytes(), "生产线.jpg"), upload(pdf_bytes(), "协议原件.pdf")]
    done = services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found",
                                    summary="投入资金与申报不符。", attachments=files, by=officer)
    assert (done.status, done.conclusion, done.summary, done.concluded_by) == (
        "concluded", "discrepancies_found", "投入资金与申报不符。", officer)
    checks = dict(SiteVisitCheck.objects.filter(visit=visit).values_list("item", "verified"))
    assert checks == {"facilities": True, "staff": True, "investment": False, "agreement_originals": True}
    kinds = list(SiteVisitAttachment.objects.filter(visit=visit).values_list("original_name", "content_type"))
    assert kinds == [("实验室.png", "image/png"), ("生产线.jpg", "image/jpeg"), ("协议原件.pdf", "application/pdf")]
    assert AuditEvent.objects.filter(action="site_visit_findings", object_id=str(visit.pk)).exists()
    assert services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="x", by=officer) is None


@pytest.mark.parametrize(("checks", "conclusion", "summary", "expected"), [
    ({k: v for k, v in ALL_MATCH.items() if k != "staff"}, "confirmed", "ok",
     "Say for each item whether it matched the application: R&D staff."),
    ({**ALL_MATCH, "staff": (False, "")}, "discrepancies_found", "ok",
     "Describe what did not match for “R&D staff”."),
    (DISCREPANT, "confirmed", "ok",
     "Some items did not match the application; the conclusion cannot be “confirmed”."),
    (ALL_MATCH, "perhaps", "ok", "Choose a conclusion."),
    (ALL_MATCH, "confirmed", "  ", "Write a summary of the findings."),
])
def test_incomplete_findings_are_refused(visit, officer, checks, conclusion, summary, expected):
    with pytest.raises(WorkflowError) as refusal:
        services.record_findings(visit, checks=checks, conclusion=conclusion, summary=summary, by=officer)
    assert refusal.value.message == expected
    visit.refresh_from_db()
    assert visit.status == "scheduled"


def test_findings_wait_for_the_day_of_the_visit(scored, officer, visitor_expert):
    visit = services.schedule_visit(scored, date=today() + datetime.timedelta(days=3), place="现场",
                                    team=[visitor_expert], by=officer)
    with pytest.raises(WorkflowError, match="record its findings on or after that day"):
        services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="ok", by=officer)


@pytest.mark.parametrize(("content", "name", "code_words"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100, "照片.jpg", "is not a JPEG or PNG photo"),
    (pdf_bytes(), "照片.jpg", "its content is a PDF document"),
    (png_bytes(), "报告.pdf", "its content is a PNG image"),
    (b"<html><script>alert(1)</script></html>", "照片.png", "is not a JPEG or PNG photo"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "坏图.png", "damaged image"),
    (b"%PDF-1.7\n" + b"\x00garbage" * 50, "坏文件.pdf", "damaged PDF"),
    (b"", "空.png", "is empty"),
])
def test_attachments_that_lie_about_their_type_are_refused(visit, officer, content, name, code_words):
    with pytest.raises(AttachmentRefused) as refusal:
        services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="ok",
                                 attachments=[upload(png_bytes(), "好图.png"), upload(content, name)], by=officer)
    assert code_words in refusal.value.message
    assert name in refusal.value.message
    visit.refresh_from_db()
    assert visit.status == "scheduled"
    assert not SiteVisitAttachment.objects.exists()


def test_oversized_attachment_is_refused(visit, officer, settings):
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(AttachmentRefused, match="files may be at most"):
        services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="ok",
                                 attachments=[upload(png_bytes(), "大图.png")], by=officer)


def test_only_officers_record_findings(visit, visitor_expert):
    from alliance_portal.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="ok", by=visitor_expert)


def test_discrepancies_let_the_officer_reject(scored, visit, officer):
    services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found", summary="不符", by=officer)
    transition(scored, action="reject", by=officer, comment="实地考察发现投入严重不实。")
    scored.refresh_from_db()
    assert scored.state == State.REJECTED


def test_discrepancies_let_the_officer_return_for_revision(scored, visit, officer):
    services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found", summary="不符", by=officer)
    review_services.return_for_revision(scored, guidance={"work_plan": "请如实填写研发投入。"}, by=officer)
    scored.refresh_from_db()
    assert scored.state == State.RETURNED
