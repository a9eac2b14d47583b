"""The officer assigns experts: suggestions match the sector, conflicted experts are refused with the reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from alliances.models import Sector
from alliances.workflow import State
from reviews import selectors
from reviews.models import DeclaredConflict, ExpertAssignment, ReviewSettings

from .conftest import advance, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_expert_review(submitted, officer):
    return advance(submitted, officer, to=State.EXPERT_REVIEW)


def test_suggestions_match_the_sector_and_skip_conflicts(in_expert_review):
    alliance = in_expert_review
    other_sector = Sector.objects.exclude(pk=alliance.sector_id).first()
    matching = [make_expert(name=f"对口专家{i}", sectors=[alliance.sector]) for i in range(3)]
    make_expert(name="其他领域专家", sectors=[other_sector])
    DeclaredConflict.objects.create(expert=matching[2], alliance=alliance)
    assert selectors.suggested_experts(alliance) == matching[:2]


def test_suggestions_limited_to_configured_count(in_expert_review):
    alliance = in_expert_review
    for i in range(4):
        make_expert(name=f"对口专家{i}", sectors=[alliance.sector])
    ReviewSettings.objects.filter(pk=1).update(experts_per_application=3)
    assert len(selectors.suggested_experts(alliance)) == 3


def test_page_shows_conflict_reason_and_disables_the_box(client, in_expert_review, officer):
    alliance = in_expert_review
    unit = alliance.memberships.exclude(organisation=alliance.chairman).first().organisation
    conflicted = make_expert(name="成员单位专家", affiliation=unit, sectors=[alliance.sector])
    client.force_login(officer)
    content = client.get(reverse("reviews:application", args=[alliance.pk]),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape(f"The expert's organisation “{unit.name}” is a member unit of this alliance.") in content
    assert f'value="{conflicted.pk}" id="expert-{conflicted.pk}" disabled' in content


def test_posting_a_conflicted_expert_is_refused_with_the_reason(client, in_expert_review, officer):
    alliance = in_expert_review
    expert = make_expert(name="申报回避专家")
    DeclaredConflict.objects.create(expert=expert, alliance=alliance, reason="亲属任职")
    client.force_login(officer)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(reverse("reviews:assign_experts", args=[alliance.pk]),
                           {"experts": [expert.pk], "due_date": due}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "申报回避专家: The expert declared a conflict of interest with this alliance. (亲属任职)" in (
        response.content.decode())
    assert not ExpertAssignment.objects.exists()


def test_due_date_in_the_past_is_refused(client, in_expert_review, officer, experts):
    client.force_login(officer)
    response = client.post(reverse("reviews:assign_experts", args=[in_expert_review.pk]),
                           {"experts": [experts[0].pk], "due_date": "2020-01-01"}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "The due date must be in the future." in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def test_assigning_twice_is_refused(client, in_expert_review, officer, experts):
    client.force_login(officer)
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    url = reverse("reviews:assign_experts", args=[in_expert_review.pk])
    client.post(url, {"experts": [experts[0].pk], "due_date": due})
    response = client.post(url, {"experts": [experts[0].pk], "due_date": due}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "has already been asked to review this version" in response.content.decode()
    assert ExpertAssignment.objects.count() == 1
