"""Fixtures of assessments: a designated pilot alliance (through the real review workflow), experts of
the pool, and helpers that walk an assessment through its services."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from alliances.transitions import transition
from alliances.workflow import State
from assessments import services
from assessments.models import AssessmentCriterion, AssessmentRound, AssessmentRules
from reviews.models import Designation
from tests.factories import eligible_alliance, member_user
from tests.reviews.conftest import advance, freeze_version, make_department_reviewer, make_expert

# Designated on this day, the alliance is due for its biennial assessment on 2028-03-02.
DESIGNATED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def designate_pilot(chairman_user, officer, **kwargs):
    """An eligible alliance walked from draft to pilot status through reviews.services, as each role."""
    from reviews.models import Department

    alliance = eligible_alliance(chairman=chairman_user.organisation, **kwargs)
    transition(alliance, action="submit", by=chairman_user, before_save=freeze_version)
    reviewers = {dept.code: make_department_reviewer(dept.code)
                 for dept in Department.objects.filter(joins_joint_review=True)}
    experts = [make_expert(name=f"评审专家{i}") for i in range(3)]
    return advance(alliance, officer, to=State.PILOT, experts=experts, reviewers=reviewers)


@pytest.fixture
def chairman(db):
    """A member-unit user of the chairman unit of the assessed alliance."""
    return member_user(full_name="联盟秘书长 刘洋")


@pytest.fixture
def pilot(chairman, officer):
    """A pilot alliance designated on 2026-03-02 (its two-year clock starts there)."""
    with time_machine.travel(DESIGNATED, tick=False):
        alliance = designate_pilot(chairman, officer, name="淄博先进陶瓷产业技术创新战略联盟")
    assert alliance.state == State.PILOT
    assert Designation.objects.filter(alliance=alliance, level="pilot", revoked_at__isnull=True).exists()
    return alliance


@pytest.fixture
def pool(db):
    """Three experts of the pool with no tie to the alliance."""
    return [make_expert(name=f"考核专家{i}") for i in range(3)]


def at(day: str):
    """time_machine at 10:00 Shanghai time on ``day`` (YYYY-MM-DD), clock stopped."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


def fill_self_assessment(assessment: AssessmentRound, chairman):
    """Complete every part of the self-assessment and submit it as the chairman unit."""
    report = assessment.self_assessment
    values = dict.fromkeys(("projects_started", "projects_completed", "patents_applied", "patents_granted", "standards", "new_products", "activities_held", "members_joined", "members_left"), 3)
    values.update(investment_completed=Decimal("1850.5000"), revenue=Decimal("125000.0000"),
                  goals_summary="完成工作方案主要目标。", achievements="突破高性能陶瓷关键技术3项。",
                  problems="中小企业参与度不高。", next_steps="扩大成员单位，建设公共技术服务平台。")
    achievements = {row.pk: (row.target.target_value, "") for row in report.target_achievements.select_related("target")}
    services.save_self_assessment(report, by=chairman, values=values, achievements=achievements)
    return services.submit_self_assessment(report, by=chairman)


def fraction_scores(fraction) -> dict:
    return {c.pk: (c.max_score * Decimal(str(fraction))).quantize(Decimal("0.01"))
            for c in AssessmentCriterion.objects.filter(is_active=True)}


def score_all(assessment, experts, officer, *, fraction):
    """Assign each expert and submit a scorecard at ``fraction`` of full marks."""
    for expert in experts:
        assignment = services.assign_expert(assessment, expert=expert, by=officer)
        services.submit_score(assignment, by=expert.user, scores=fraction_scores(fraction), opinion="总体良好。")


def open_and_score(alliance, chairman, officer, experts, *, fraction, kind=AssessmentRound.Kind.BIENNIAL):
    assessment = services.open_assessment(alliance, by=officer, kind=kind)
    fill_self_assessment(assessment, chairman)
    score_all(assessment, experts, officer, fraction=fraction)
    assessment.refresh_from_db()
    return assessment


def failed_round(alliance, chairman, officer, experts):
    """A decided assessment that failed: the alliance is under rectification."""
    assessment = open_and_score(alliance, chairman, officer, experts, fraction=0.5)
    services.decide_outcome(assessment, by=officer, comment="多项目标未完成。",
                            rectification_deadline=timezone.localdate() + datetime.timedelta(days=90),
                            required_actions="1. 补充研发投入；2. 召开理事会。")
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def rules(db):
    return AssessmentRules.current()


@pytest.fixture
def open_round(pilot, officer):
    """The pilot's biennial assessment, opened on 2028-03-05, awaiting the self-assessment."""
    with at("2028-03-05"):
        return services.open_assessment(pilot, by=officer)


@pytest.fixture
def scoring_round(open_round, chairman):
    """The biennial assessment with the self-assessment submitted: experts may score."""
    fill_self_assessment(open_round, chairman)
    open_round.refresh_from_db()
    return open_round


@pytest.fixture
def fellow_member(pilot):
    """A user of a confirmed member unit of the pilot that is not its chairman unit."""
    membership = pilot.memberships.exclude(organisation=pilot.chairman).filter(status="confirmed").first()
    return member_user(organisation=membership.organisation)
