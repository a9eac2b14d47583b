"""An expert whose organisation is a member unit of the alliance, or who declared a conflict, is refused."""

import datetime

import pytest
from django.utils import timezone

from alliance_portal.core.errors import WorkflowError
from alliances.models import Membership
from alliances.workflow import State
from reviews import services
from reviews.models import DeclaredConflict, ExpertAssignment
from tests.factories import OrganisationFactory

from .conftest import advance, make_expert

pytestmark = pytest.mark.django_db


def test_conflict_none_for_an_unrelated_expert(submitted):
    expert = make_expert(affiliation=OrganisationFactory())
    assert services.conflict_of_interest(expert, submitted) is None


def test_conflict_when_affiliation_is_a_member_unit(submitted):
    unit = submitted.memberships.exclude(organisation=submitted.chairman).first().organisation
    expert = make_expert(affiliation=unit)
    reason = services.conflict_of_interest(expert, submitted)
    assert reason == f"The expert's organisation “{unit.name}” is a member unit of this alliance."


def test_conflict_when_affiliation_is_the_chairman_unit(submitted):
    expert = make_expert(affiliation=submitted.chairman)
    assert submitted.chairman.name in services.conflict_of_interest(expert, submitted)


def test_conflict_when_only_invited_member(submitted):
    unit = OrganisationFactory()
    Membership.objects.create(alliance=submitted, organisation=unit, status=Membership.Status.INVITED)
    assert services.conflict_of_interest(make_expert(affiliation=unit), submitted) is not None


def test_conflict_none_when_membership_declined(submitted):
    unit = OrganisationFactory()
    Membership.objects.create(alliance=submitted, organisation=unit, status=Membership.Status.DECLINED)
    assert services.conflict_of_interest(make_expert(affiliation=unit), submitted) is None


def test_conflict_when_declared_for_the_alliance(submitted):
    expert = make_expert()
    DeclaredConflict.objects.create(expert=expert, alliance=submitted, reason="曾担任该联盟顾问")
    assert services.conflict_of_interest(expert, submitted) == (
        "The expert declared a conflict of interest with this alliance. (曾担任该联盟顾问)"
    )


def test_conflict_when_declared_for_a_member_unit(submitted):
    unit = submitted.memberships.filter(organisation__kind="university").first().organisation
    expert = make_expert()
    DeclaredConflict.objects.create(expert=expert, organisation=unit)
    assert services.conflict_of_interest(expert, submitted) == (
        f"The expert declared a conflict of interest with “{unit.name}”, a member unit of this alliance."
    )


def test_conflict_none_when_declared_for_an_unrelated_organisation(submitted):
    expert = make_expert()
    DeclaredConflict.objects.create(expert=expert, organisation=OrganisationFactory())
    assert services.conflict_of_interest(expert, submitted) is None


def test_assign_refuses_member_unit_expert_with_reason(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    unit = submitted.memberships.exclude(organisation=submitted.chairman).first().organisation
    conflicted = make_expert(affiliation=unit, name="冲突专家")
    due = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(WorkflowError) as refusal:
        services.assign_experts(submitted, experts=[experts[0], conflicted], due_date=due, by=officer)
    assert refusal.value.message == f"冲突专家: The expert's organisation “{unit.name}” is a member unit of this alliance."
    assert not ExpertAssignment.objects.exists()  # all or nothing


def test_assign_refuses_declared_conflict(submitted, officer):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    expert = make_expert(name="申报回避专家")
    DeclaredConflict.objects.create(expert=expert, alliance=submitted)
    with pytest.raises(WorkflowError, match="申报回避专家: The expert declared a conflict"):
        services.assign_experts(submitted, experts=[expert], due_date=timezone.localdate() + datetime.timedelta(days=3),
                                by=officer)


def test_conflicts_of_interest_counts_queries_once(submitted, django_assert_num_queries):
    pool = [make_expert() for _ in range(6)]
    with django_assert_num_queries(2):
        assert services.conflicts_of_interest(pool, submitted) == {}
