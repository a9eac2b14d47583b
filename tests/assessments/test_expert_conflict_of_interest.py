"""The reviews expert pool's conflict-of-interest check applies to assessments, with the reason shown."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.errors import ConflictOfInterest
from assessments.models import AssessmentExpertAssignment
from reviews.models import DeclaredConflict
from tests.reviews.conftest import make_expert

pytestmark = pytest.mark.django_db


def test_expert_from_a_member_unit_is_refused_with_the_reason(open_round, officer, pilot):
    member_unit = pilot.memberships.exclude(organisation=pilot.chairman).first().organisation
    insider = make_expert(name="成员单位专家", affiliation=member_unit)
    with pytest.raises(ConflictOfInterest) as refusal:
        services.assign_expert(open_round, expert=insider, by=officer)
    assert member_unit.name in refusal.value.message
    assert not AssessmentExpertAssignment.objects.exists()


def test_declared_conflict_with_the_alliance_is_refused(open_round, officer, pilot):
    expert = make_expert(name="申报回避专家")
    DeclaredConflict.objects.create(expert=expert, alliance=pilot, reason="曾任联盟顾问")
    with pytest.raises(ConflictOfInterest) as refusal:
        services.assign_expert(open_round, expert=expert, by=officer)
    assert "曾任联盟顾问" in refusal.value.message


def test_conflict_refusal_is_shown_on_the_page_and_listed_beforehand(client, open_round, officer, pilot):
    member_unit = pilot.memberships.exclude(organisation=pilot.chairman).first().organisation
    insider = make_expert(name="成员单位专家", affiliation=member_unit)
    client.force_login(officer)
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "成员单位专家" in page
    assert member_unit.name in page  # the reason is listed before anyone tries
    # … and the expert is not offered at all, as in the application's assignment (issue 20, point 5)
    options = page.partition('name="expert"')[2].partition("</select>")[0]
    assert f'value="{insider.pk}"' not in options
    assert "成员单位专家" not in options
    response = client.post(reverse("assessments:assign_expert", args=[open_round.pk]), {"expert": insider.pk})
    assert response.status_code == 400
    assert member_unit.name in response.content.decode()
    assert not AssessmentExpertAssignment.objects.exists()


def test_unrelated_expert_is_assigned_once(open_round, officer, pool):
    first = services.assign_expert(open_round, expert=pool[0], by=officer)
    assert services.assign_expert(open_round, expert=pool[0], by=officer) == first
    assert AssessmentExpertAssignment.objects.count() == 1
