"""List pages and the timeline cost the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Alliance
from alliances.selectors import timeline
from alliances.transitions import transition
from alliances.workflow import State
from reviews import services
from reviews.models import Designation
from tests.factories import AllianceFactory, OrganisationFactory, SectorFactory

from .conftest import make_expert

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_applications(n, state=State.SCREENING):
    sector = SectorFactory()
    for _ in range(n):
        alliance = AllianceFactory(sector=sector, chairman=OrganisationFactory())
        Alliance.objects.filter(pk=alliance.pk).update(state=state, current_version=1)


def test_review_queue_queries_do_not_grow(client, officer):
    client.force_login(officer)
    make_applications(5)
    five = count_queries(client, reverse("reviews:queue"))
    make_applications(45)
    fifty = count_queries(client, reverse("reviews:queue"))
    assert five == fifty
    assert fifty <= 12


def test_register_queries_do_not_grow(client, officer):
    def designate(n):
        for _ in range(n):
            alliance = AllianceFactory(chairman=OrganisationFactory())
            Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
            services.designate(alliance, level=Designation.Level.PILOT, by=officer)

    designate(5)
    five = count_queries(client, reverse("reviews:register"))
    designate(20)
    assert count_queries(client, reverse("reviews:register")) == five


def test_timeline_queries_do_not_grow(django_assert_num_queries, admin_user):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    for _ in range(3):
        transition(alliance, action="open_assessment", by=admin_user)
        transition(alliance, action="keep_pilot", by=admin_user)
    with django_assert_num_queries(1):
        rows = [(step.actor.username, step.target) for step in timeline(alliance)]
    assert len(rows) == 6
    for _ in range(20):
        transition(alliance, action="open_assessment", by=admin_user)
        transition(alliance, action="keep_pilot", by=admin_user)
    with django_assert_num_queries(1):
        assert len([step.actor.username for step in timeline(alliance)]) == 46


def test_review_page_queries_do_not_grow_with_timeline_and_pool(client, officer, admin_user):
    alliance = AllianceFactory()
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT, current_version=1)
    client.force_login(officer)
    url = reverse("reviews:application", args=[alliance.pk])
    transition(alliance, action="open_assessment", by=admin_user)
    make_expert()
    count_queries(client, url)  # the first visit also records the version seen
    few = count_queries(client, url)
    for _ in range(10):
        transition(alliance, action="keep_pilot", by=admin_user)
        transition(alliance, action="open_assessment", by=admin_user)
        make_expert()
    assert count_queries(client, url) == few


def test_expert_candidates_queries_do_not_grow(django_assert_max_num_queries, officer, applicant):
    from tests.factories import eligible_alliance

    alliance = eligible_alliance(chairman=applicant.organisation)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.EXPERT_REVIEW, current_version=1)
    alliance.refresh_from_db()
    for _ in range(3):
        make_expert()
    from reviews.selectors import expert_candidates

    with CaptureQueriesContext(connection) as three:
        expert_candidates(alliance)
    for _ in range(20):
        make_expert()
    with CaptureQueriesContext(connection) as many:
        assert len(expert_candidates(alliance)) == 23
    assert len(three) == len(many)
