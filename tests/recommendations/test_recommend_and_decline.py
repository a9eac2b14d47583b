"""The district recommends with its signed letter (→ submitted) or declines with a reason (→ not recommended)."""

import pytest

from accounts.models import AuditEvent
from alliance_portal.core.errors import WorkflowError
from alliances.models import StateTransition
from alliances.transitions import transition
from alliances.workflow import State
from notifications.models import Notification
from recommendations import services
from recommendations.models import DistrictRecommendation
from recommendations.services import LetterRefused

from .conftest import PNG, letter, pdf_bytes

pytestmark = pytest.mark.django_db


def test_submission_in_a_call_with_district_step_waits_for_the_district(waiting):
    assert waiting.state == State.DISTRICT_REVIEW


def test_recommend_with_letter_moves_to_submitted(waiting, reviewer, call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.recommend(waiting, letter=letter(pdf_bytes(pages=2)), by=reviewer)
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED
    assert (record.source, record.target, record.actor) == (State.DISTRICT_REVIEW, State.SUBMITTED, reviewer)
    recommendation = DistrictRecommendation.objects.get(alliance=waiting)
    assert (recommendation.decision, recommendation.rank, recommendation.call, recommendation.district_id,
            recommendation.letter_pages, recommendation.letter_name) == (
        "recommended", 1, call, reviewer.district_id, 2, "推荐函.pdf")
    with recommendation.letter.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="district_recommended", object_id=str(recommendation.pk)).exists()
    told = Notification.objects.filter(recipient=waiting.applicant, kind="district_recommended").get()
    assert told.title == f"张店区 recommended {waiting.name}"


def test_recommend_twice_is_a_quiet_repeat(waiting, reviewer):
    services.recommend(waiting, letter=letter(), by=reviewer)
    assert services.recommend(waiting, letter=letter(), by=reviewer) is None
    assert DistrictRecommendation.objects.filter(alliance=waiting).count() == 1
    assert StateTransition.objects.filter(alliance=waiting, action="recommend").count() == 1


def test_recommend_without_letter_is_refused(waiting, reviewer):
    with pytest.raises(LetterRefused) as refusal:
        services.recommend(waiting, letter=None, by=reviewer)
    assert refusal.value.message == "Upload the signed recommendation letter (推荐函) as PDF."
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_forged_letter_named_pdf_is_refused_by_content(waiting, reviewer):
    with pytest.raises(LetterRefused) as refusal:
        services.recommend(waiting, letter=letter(PNG, name="推荐函.pdf"), by=reviewer)
    assert refusal.value.message.startswith("This file is not a PDF document (its content was checked, not its name).")
    assert "recommendation letter" in refusal.value.message
    assert not DistrictRecommendation.objects.exists()
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_broken_pdf_letter_is_refused(waiting, reviewer):
    with pytest.raises(LetterRefused) as refusal:
        services.recommend(waiting, letter=letter(b"%PDF-1.7\n" + b"\x00garbage" * 50), by=reviewer)
    assert refusal.value.message == "This PDF is damaged and cannot be opened. Please save or scan it again."


def test_decline_requires_a_reason(waiting, reviewer):
    with pytest.raises(WorkflowError) as refusal:
        services.decline(waiting, reason="   ", by=reviewer)
    assert refusal.value.message == "Please write down the reason for “Decline to recommend”."
    assert not DistrictRecommendation.objects.exists()


def test_decline_with_reason_closes_and_tells_the_applicant(waiting, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(waiting, reason="研发投入不足，不符合本区推荐条件。", by=reviewer)
    waiting.refresh_from_db()
    assert waiting.state == State.NOT_RECOMMENDED
    recommendation = DistrictRecommendation.objects.get(alliance=waiting)
    assert (recommendation.decision, recommendation.rank, recommendation.reason) == (
        "declined", None, "研发投入不足，不符合本区推荐条件。")
    told = Notification.objects.get(recipient=waiting.applicant, kind="application_not_recommended")
    assert told.body == "研发投入不足，不符合本区推荐条件。"
    assert transition(waiting, action="decline_recommendation", by=reviewer, comment="x") is None


def test_generic_transition_cannot_recommend_without_letter(waiting, reviewer):
    with pytest.raises(WorkflowError) as refusal:
        transition(waiting, action="recommend", by=reviewer)
    assert refusal.value.message == ("Recommend through the district recommendation page, with the signed "
                                     "recommendation letter.")
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW


def test_a_refused_recommendation_leaves_no_file_behind(waiting, reviewer, call, settings):
    call.district_quota = 0
    call.save(update_fields=["district_quota"])
    with pytest.raises(WorkflowError):
        services.recommend(waiting, letter=letter(), by=reviewer)
    letters = settings.MEDIA_ROOT / "recommendation-letters"
    assert not letters.exists() or not any(letters.rglob("*.pdf"))


def test_generic_transition_cannot_decline_without_the_districts_record(waiting, reviewer):
    with pytest.raises(WorkflowError) as refusal:
        transition(waiting, action="decline_recommendation", by=reviewer, comment="不推荐")
    assert refusal.value.message == "Decline through the district recommendation page, with the reason."
    waiting.refresh_from_db()
    assert waiting.state == State.DISTRICT_REVIEW
