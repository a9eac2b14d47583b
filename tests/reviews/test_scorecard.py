"""Scorecards: each criterion 0 … maximum, comments and a recommendation; final once submitted."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance_portal.core.errors import IllegalTransition, WorkflowError
from alliances.workflow import State
from reviews import selectors, services
from reviews.models import ReviewSettings, ScoreCriterion

from .conftest import advance, full_marks, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    [one] = services.assign_experts(submitted, experts=experts[:1], due_date=due, by=officer)
    return one


def test_weighted_total_of_full_marks_is_100(assignment):
    card = score(assignment)
    assert card.weighted_total == Decimal("100.00")


def test_weighted_total_weights_criteria(assignment):
    services.respond_to_assignment(assignment, accept=True, by=assignment.expert.user)
    criteria = list(ScoreCriterion.objects.order_by("position"))
    scores = {c.pk: (Decimal(c.max_score), "") for c in criteria}
    first = criteria[0]  # weight 20 of 100: scoring it 0 costs 20 points
    scores[first.pk] = (Decimal(0), "未体现企业主导")
    card = services.save_scorecard(assignment, scores=scores, comments="意见", recommendation="revise", submit=True,
                                   by=assignment.expert.user)
    assert card.weighted_total == Decimal("80.00")


def test_scores_are_final_once_submitted(assignment):
    score(assignment)
    with pytest.raises(IllegalTransition, match="final"):
        services.save_scorecard(assignment, scores=full_marks(0.5), comments="改主意", recommendation="reject",
                                submit=True, by=assignment.expert.user)
    assignment.scorecard.refresh_from_db()
    assert assignment.scorecard.weighted_total == Decimal("100.00")


def test_draft_may_be_saved_incomplete_and_changed(assignment):
    user = assignment.expert.user
    services.respond_to_assignment(assignment, accept=True, by=user)
    first = ScoreCriterion.objects.first()
    card = services.save_scorecard(assignment, scores={first.pk: (Decimal(5), "")}, comments="", recommendation="",
                                   submit=False, by=user)
    assert card.submitted_at is None
    card = services.save_scorecard(assignment, scores={first.pk: (Decimal(7), "")}, comments="草稿",
                                   recommendation="", submit=False, by=user)
    assert [s.score for s in card.scores.all()] == [Decimal(7)]


def test_submit_refused_when_incomplete(assignment):
    user = assignment.expert.user
    services.respond_to_assignment(assignment, accept=True, by=user)
    first = ScoreCriterion.objects.first()
    with pytest.raises(WorkflowError, match="Score every criterion"):
        services.save_scorecard(assignment, scores={first.pk: (Decimal(5), "")}, comments="x",
                                recommendation="approve", submit=True, by=user)


def test_score_above_maximum_refused(assignment):
    user = assignment.expert.user
    services.respond_to_assignment(assignment, accept=True, by=user)
    scores = full_marks()
    criterion = ScoreCriterion.objects.first()
    scores[criterion.pk] = (Decimal(criterion.max_score + 1), "")
    with pytest.raises(WorkflowError, match=f"is scored from 0 to {criterion.max_score}"):
        services.save_scorecard(assignment, scores=scores, comments="x", recommendation="approve", submit=True,
                                by=user)


def test_scoring_refused_before_accepting(assignment):
    with pytest.raises(IllegalTransition, match="Accept the assignment"):
        services.save_scorecard(assignment, scores=full_marks(), comments="x", recommendation="approve",
                                submit=True, by=assignment.expert.user)


def test_form_shows_errors_beside_fields_and_keeps_input(client, assignment):
    user = assignment.expert.user
    services.respond_to_assignment(assignment, accept=True, by=user)
    client.force_login(user)
    criterion = ScoreCriterion.objects.first()
    response = client.post(reverse("reviews:assignment", args=[assignment.pk]),
                           {f"score_{criterion.pk}": "999", "comments": "我的意见保留", "submit": "1"},
                           HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Ensure this value is less than or equal to {criterion.max_score}" in content
    assert "Choose a recommendation before submitting." in content
    assert "我的意见保留" in content
    assert 'value="999"' in content


def test_decline_needs_a_reason_and_can_be_replaced(client, assignment, officer, experts):
    user = assignment.expert.user
    client.force_login(user)
    response = client.post(reverse("reviews:respond", args=[assignment.pk]), {"accept": "no", "reason": ""},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Please give a reason for declining." in response.content.decode()
    client.post(reverse("reviews:respond", args=[assignment.pk]), {"accept": "no", "reason": "出差"},
                HTTP_ACCEPT_LANGUAGE="en")
    assignment.refresh_from_db()
    assert assignment.status == "declined"
    due = timezone.localdate() + datetime.timedelta(days=5)
    new = services.replace_assignment(assignment, expert=experts[1], due_date=due, by=officer)
    assert new.replaces == assignment
    with pytest.raises(IllegalTransition, match="already been replaced"):
        services.replace_assignment(assignment, expert=experts[2], due_date=due, by=officer)


def test_open_assignment_not_yet_overdue_cannot_be_replaced(assignment, officer, experts):
    with pytest.raises(WorkflowError, match="declined, withdrawn or overdue"):
        services.replace_assignment(assignment, expert=experts[1],
                                    due_date=timezone.localdate() + datetime.timedelta(days=5), by=officer)


def test_overdue_assignment_can_be_replaced(assignment, officer, experts):
    type(assignment).objects.filter(pk=assignment.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    new = services.replace_assignment(assignment, expert=experts[1],
                                      due_date=timezone.localdate() + datetime.timedelta(days=5), by=officer)
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"
    assert new.expert == experts[1]


def test_summary_flags_strong_disagreement(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    high, low = services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    score(high, fraction=0.9)
    score(low, fraction=0.6, recommendation="revise")
    summary = selectors.score_summary(submitted)
    assert (summary.mean_total, summary.spread_total) == (Decimal("75.00"), Decimal("30.00"))
    assert summary.disagree
    assert all(row.disagree for row in summary.rows)
    assert summary.recommendations == {"approve": 1, "revise": 1}
    ReviewSettings.objects.filter(pk=1).update(disagreement_threshold=Decimal("31"))
    assert not selectors.score_summary(submitted).disagree  # the totals' flag reads the totals only
    assert all(row.disagree for row in selectors.score_summary(submitted).rows)  # the criteria stay marked


def test_the_flag_reads_the_totals_and_a_criterion_apart_is_worded_on_its_own(client, submitted, officer, experts):
    """Issue 20, point 3: two experts 14 points apart in total with one criterion 2 of 10 points apart were
    flagged "≥ 20" by the criterion's relative spread. The flag now reads the totals; criteria are marked by
    their own threshold (% of their maximum) and said so."""
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    first, second = services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    criteria = list(ScoreCriterion.objects.filter(is_active=True).order_by("position", "pk"))
    score(first, fraction=1)
    marks = full_marks(0.9)  # every criterion 10 % of its maximum below the first expert …
    widest = max(criteria, key=lambda c: (c.max_score, -c.position))
    marks[widest.pk] = (widest.max_score * Decimal("0.6"), "")  # … but one, 40 % below
    user = second.expert.user
    services.respond_to_assignment(second, accept=True, by=user)
    services.save_scorecard(second, scores=marks, comments="一般。", recommendation="revise", submit=True, by=user)

    summary = selectors.score_summary(submitted)
    assert summary.spread_total < 20
    assert not summary.disagree
    assert summary.spread_total == Decimal("16.00")  # 10 % of 80 points + 40 % of 20
    assert [row.criterion for row in summary.criteria_apart] == [widest]
    client.force_login(officer)
    content = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="disagreement-flag"' not in content
    assert "1 criterion with scores 30 % of its maximum apart or more" in content
    zh = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "1 项评分指标的专家评分相差达到该指标满分的 30% 或以上" in zh


def test_officer_page_shows_each_expert_and_the_flag(client, submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    due = timezone.localdate() + datetime.timedelta(days=10)
    high, low = services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    score(high, fraction=1)
    score(low, fraction=0.5, recommendation="reject")
    client.force_login(officer)
    content = client.get(reverse("reviews:application", args=[submitted.pk]),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="disagreement-flag"' in content
    assert str(high.expert) in content
    assert str(low.expert) in content
    assert '<td class="text-end" id="mean-total">75.00</td>' in content  # means always with two decimals
