"""A call with both optional stages, through the real services: submitted in the window, recommended by the
district with its letter, screened, scored on the call's own scorecard, visited (findings recorded), jointly
reviewed, staged, released after the window closed, and designated with its batch and certificate number."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.transitions import transition
from alliances.workflow import State
from calls.selectors import funnel, scorecard_locked
from recommendations import services as recommendations
from recommendations.models import DistrictRecommendation
from reviews import batches
from reviews import services as reviews
from reviews.models import BatchDecision, Department, Designation, StagedOutcome
from reviews.selectors import criteria_for
from site_visits import services as site_visits
from site_visits.models import SiteVisit
from tests.factories import district, district_reviewer
from tests.recommendations.conftest import ZHANGDIAN, letter, waiting_application
from tests.reviews.batch_fixtures import close_window, end_batch_notice
from tests.reviews.conftest import advance, make_department_reviewer, make_expert
from tests.site_visits.conftest import ALL_MATCH

from .conftest import make_call

pytestmark = pytest.mark.django_db

DISCREPANT = {**ALL_MATCH, "staff": (False, "专职研发人员仅12人，申报为86人。")}


def state_of(alliance) -> str:
    alliance.refresh_from_db()
    return alliance.state


def score_on_the_call_scorecard(alliance, experts, officer, *, fraction):
    """Assign ``experts``, who accept and submit scores at ``fraction`` of each criterion's maximum."""
    due = timezone.localdate() + datetime.timedelta(days=14)
    cards = []
    for assignment in reviews.assign_experts(alliance, experts=experts, due_date=due, by=officer):
        user = assignment.expert.user
        reviews.respond_to_assignment(assignment, accept=True, by=user)
        scores = {c.pk: (Decimal(c.max_score) * Decimal(fraction), "") for c in criteria_for(alliance)}
        cards.append(reviews.save_scorecard(assignment, scores=scores, comments="方案完整，目标明确。",
                                            recommendation="approve", submit=True, by=user))
    return cards


def visit(alliance, officer, visitor, *, checks, conclusion, summary):
    scheduled = site_visits.schedule_visit(alliance, date=timezone.localdate(), place="张店区人民西路1号",
                                           team=[officer, visitor], by=officer)
    assert state_of(alliance) == State.SITE_VISIT
    assert site_visits.record_findings(scheduled, checks=checks, conclusion=conclusion, summary=summary,
                                       by=officer).status == SiteVisit.Status.CONCLUDED


def test_a_call_with_district_recommendation_and_site_visits_from_submission_to_designation(
        officer, django_capture_on_commit_callbacks):
    call = make_call(officer, title="2026年度第二批产业技术创新战略联盟申报", requires_district_recommendation=True,
                     district_quota=2, uses_site_visits=True)
    reviewer = district_reviewer(district(ZHANGDIAN), full_name="张店区科技局 刘科长")
    experts = [make_expert(name=f"评审专家{i}") for i in range(2)]
    visitor = make_expert(name="考察专家 孙教授").user
    department_reviewers = [make_department_reviewer(d.code, f"{d.name}审核人")
                            for d in Department.objects.filter(joins_joint_review=True, is_active=True)]

    # Submitted while the window is open: each waits for the chairman unit's district.
    ceramics = waiting_application(call, name="淄博先进陶瓷产业技术创新战略联盟")
    medicine = waiting_application(call, name="淄博生物医药产业技术创新战略联盟")
    chemicals = waiting_application(call, name="淄博精细化工产业技术创新战略联盟")
    assert call.is_open()
    assert [state_of(a) for a in (ceramics, medicine, chemicals)] == [State.DISTRICT_REVIEW] * 3
    assert [a.current_version for a in (ceramics, medicine, chemicals)] == [1, 1, 1]

    # The district recommends two, each with its signed letter, and declines the third with a reason.
    recommendations.recommend(ceramics, letter=letter(), by=reviewer)
    recommendations.recommend(medicine, letter=letter(), by=reviewer)
    recommendations.decline(chemicals, reason="不属于本区重点发展产业。", by=reviewer)
    assert [state_of(a) for a in (ceramics, medicine, chemicals)] == [State.SUBMITTED, State.SUBMITTED,
                                                                     State.NOT_RECOMMENDED]
    assert list(DistrictRecommendation.objects.filter(call=call, decision="recommended").order_by("rank")
                .values_list("alliance", "rank", "letter_name")) == [(ceramics.pk, 1, "推荐函.pdf"),
                                                                     (medicine.pk, 2, "推荐函.pdf")]

    # Screened, then scored on the call's own scorecard, which the first submitted score locks.
    assert not scorecard_locked(call)
    for alliance, fraction in ((ceramics, "0.9"), (medicine, "0.6")):
        advance(alliance, officer, to=State.EXPERT_REVIEW)
        assert alliance.state == State.EXPERT_REVIEW
        cards = score_on_the_call_scorecard(alliance, experts, officer, fraction=fraction)
        assert {card.weighted_total for card in cards} == {Decimal(fraction) * 100}
    assert scorecard_locked(call)

    # Both are visited; the findings confirm the ceramics alliance, the medicine one is rejected on them.
    visit(ceramics, officer, visitor, checks=ALL_MATCH, conclusion="confirmed", summary="与申报材料一致。")
    visit(medicine, officer, visitor, checks=DISCREPANT, conclusion="discrepancies_found",
          summary="研发人员数量与申报不符。")
    transition(medicine, action="reject", comment="实地考察发现研发人员数量与申报严重不符。", by=officer)
    transition(ceramics, action="send_to_joint_review", by=officer)
    assert (state_of(ceramics), state_of(medicine)) == (State.JOINT_REVIEW, State.REJECTED)

    # Every department agrees; an application of a call waits for its batch.
    for department_reviewer in department_reviewers:
        reviews.record_opinion(ceramics, opinion="agree", by=department_reviewer)
    assert state_of(ceramics) == State.JOINT_REVIEW
    batches.stage_outcome(ceramics, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    assert "release its batch after the window closes" in " ".join(batches.release_blockers(call))

    # The window closes, the batch is released to public notice: no certificate yet.
    close_window(call)
    assert batches.release_blockers(call) == []
    with django_capture_on_commit_callbacks(execute=True):
        batches.release_batch(call, by=officer)
    assert state_of(ceramics) == State.PUBLIC_NOTICE
    assert not Designation.objects.filter(alliance=ceramics).exists()
    assert batches.designate_blockers(call) != []  # the notice is still running

    # The notice ends, the batch is designated: the first certificate number of the year.
    end_batch_notice(call)
    decision = batches.designate_batch(call, by=officer)
    year = timezone.localdate().year
    assert state_of(ceramics) == State.PILOT
    designation = Designation.objects.get(alliance=ceramics)
    assert (designation.level, designation.certificate_number, designation.batch) == (
        Designation.Level.PILOT, f"〔{year}〕001", decision)
    assert decision.document_number == BatchDecision.format_document_number(year, 1)
    assert [d.alliance_id for d in batches.document_entries(decision)] == [ceramics.pk]
    assert (state_of(medicine), state_of(chemicals)) == (State.REJECTED, State.NOT_RECOMMENDED)

    assert funnel(call) == {"drafts": 0, "submitted": 3, "recommended": 2, "screened": 2, "scored": 2,
                            "visited": 2, "decided": 1, "designated": 1}
