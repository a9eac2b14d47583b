"""Fixtures of the review workflow: experts, department reviewers, applications at each stage."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts.roles import Role
from alliances.models import ApplicationVersion
from alliances.transitions import transition
from alliances.workflow import State
from reviews import services
from reviews.models import (
    Department,
    DepartmentMembership,
    ExpertProfile,
    PublicNotice,
    ScoreCriterion,
    ScreeningCheckItem,
)
from tests.factories import SectorFactory, UserFactory, eligible_alliance, member_user


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; the zh-Hans pages are checked in the HTTP tests."""
    with translation.override("en"):
        yield


def freeze_version(locked):
    """Number and freeze the submitted version, as the applicant's submission does."""
    locked.current_version += 1
    ApplicationVersion.objects.create(alliance=locked, number=locked.current_version,
                                      snapshot={"name": locked.name})


def submit(alliance, user):
    """Submit or resubmit through the alliances app's service when it exists, else through ``transition``."""
    try:
        from alliances.services import submit_application
    except ImportError:
        action = "resubmit" if alliance.state == State.RETURNED else "submit"
        return transition(alliance, action=action, by=user, before_save=freeze_version)
    return submit_application(alliance, by=user)


def make_expert(*, sectors=None, affiliation=None, name="专家", **kwargs) -> ExpertProfile:
    user = UserFactory(roles=[Role.EXPERT], full_name=name)
    profile = ExpertProfile.objects.create(user=user, affiliation=affiliation, title="教授", phone="13900000000",
                                           **kwargs)
    profile.sectors.set(sectors if sectors is not None else [SectorFactory()])
    return profile


def make_department_reviewer(code: str, name: str = "部门审核人"):
    user = UserFactory(roles=[Role.DEPARTMENT_REVIEWER], full_name=name)
    DepartmentMembership.objects.create(user=user, department=Department.objects.get(code=code))
    return user


@pytest.fixture
def applicant(db):
    return member_user()


@pytest.fixture
def submitted(applicant):
    """An eligible application, submitted by its chairman unit (version 1)."""
    alliance = eligible_alliance(chairman=applicant.organisation, name="淄博先进陶瓷产业技术创新战略联盟")
    submit(alliance, applicant)
    return alliance


@pytest.fixture
def experts(db):
    return [make_expert(name=f"专家{i}") for i in range(3)]


@pytest.fixture
def department_reviewers(db):
    return {dept.code: make_department_reviewer(dept.code, f"{dept.name}审核人")
            for dept in Department.objects.filter(joins_joint_review=True)}


def tick_all(alliance, officer):
    services.record_screening(alliance, passed_item_ids=ScreeningCheckItem.objects.values_list("pk", flat=True),
                              by=officer)


def full_marks(fraction=1.0):
    return {c.pk: (c.max_score * Decimal(str(fraction)), "")
            for c in ScoreCriterion.objects.filter(is_active=True)}


def score(assignment, *, fraction=1.0, recommendation="approve"):
    user = assignment.expert.user
    services.respond_to_assignment(assignment, accept=True, by=user)
    return services.save_scorecard(assignment, scores=full_marks(fraction), comments="方案完整，目标明确。",
                                   recommendation=recommendation, submit=True, by=user)


def advance(alliance, officer, *, to, experts=None, reviewers=None):
    """Walk a submitted application through the services up to state ``to``."""
    order = [State.SCREENING, State.EXPERT_REVIEW, State.JOINT_REVIEW, State.PUBLIC_NOTICE, State.PILOT]
    for state in order[: order.index(to) + 1]:
        if state == State.SCREENING:
            transition(alliance, action="start_screening", by=officer)
        elif state == State.EXPERT_REVIEW:
            tick_all(alliance, officer)
            transition(alliance, action="send_to_experts", by=officer)
        elif state == State.JOINT_REVIEW:
            due = timezone.localdate() + datetime.timedelta(days=14)
            for assignment in services.assign_experts(alliance, experts=experts, due_date=due, by=officer):
                score(assignment)
            transition(alliance, action="send_to_joint_review", by=officer)
        elif state == State.PUBLIC_NOTICE:
            for reviewer in reviewers.values():  # the last agreement starts the public notice by itself
                services.record_opinion(alliance, opinion="agree", remarks="", by=reviewer)
        elif state == State.PILOT:
            end_notice(alliance)
            services.grant_pilot(alliance, by=officer)
    alliance.refresh_from_db()
    return alliance


def end_notice(alliance):
    """Move the notice period into the past (the calendar is not ours to wait for)."""
    today = timezone.localdate()
    PublicNotice.objects.filter(alliance=alliance).update(starts_on=today - datetime.timedelta(days=10),
                                                          ends_on=today - datetime.timedelta(days=1))
