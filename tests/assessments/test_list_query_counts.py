"""The assessment lists run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.workflow import State
from assessments import services
from reviews import services as review_services
from tests.factories import AllianceFactory, member_user
from tests.reviews.conftest import make_expert

pytestmark = pytest.mark.django_db


def make_rounds(count, officer, chairman=None, expert=None):
    """``count`` designated alliances under assessment, one or two with an expert assigned.

    Bulk rows for counting queries: the alliances start as pilots from the factory instead of walking the
    whole review workflow each (the journeys test that path); everything after goes through the services.
    """
    for i in range(count):
        kwargs = {"chairman": chairman.organisation} if chairman else {}
        alliance = AllianceFactory(state=State.PILOT, **kwargs)
        review_services.designate(alliance, level="pilot", by=officer)
        assessment = services.open_assessment(alliance, by=officer)
        if expert is not None and i % 2 == 0:
            services.assign_expert(assessment, expert=expert, by=officer)
    # A few alliances due for assessment, shown above the list to officers.
    for _ in range(count // 5 + 1):
        alliance = AllianceFactory(state=State.PILOT)
        review_services.designate(alliance, level="pilot", by=officer)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("filters", ["", "?status=self_assessment&deadline=overdue", "?kind=biennial&sector=1"])
def test_officer_list_queries_do_not_grow_with_rows(client, officer, filters):
    import time_machine

    expert = make_expert(name="数量专家")
    url = reverse("assessments:list") + filters
    make_rounds(3, officer, expert=expert)
    with time_machine.travel("2029-01-01 10:00+08:00", tick=False):  # the designations are now due
        client.force_login(officer)
        few, _ = count_queries(client, url)
    make_rounds(25, officer, expert=expert)
    with time_machine.travel("2029-01-01 10:00+08:00", tick=False):
        client.force_login(officer)
        many, response = count_queries(client, url)
    assert many == few
    if not filters:
        assert response.context["page"].paginator.count == 28
        assert len(response.context["due"]) == 7


def test_member_list_queries_do_not_grow_with_rows(client, officer):
    chairman = member_user()
    make_rounds(2, officer, chairman=chairman)
    client.force_login(chairman)
    few, _ = count_queries(client, reverse("assessments:list"))
    make_rounds(22, officer, chairman=chairman)
    many, response = count_queries(client, reverse("assessments:list"))
    assert many == few
    assert response.context["page"].paginator.count == 24


def test_expert_scorecard_list_queries_do_not_grow_with_rows(client, officer):
    expert = make_expert(name="数量专家")
    make_rounds(2, officer, expert=expert)
    client.force_login(expert.user)
    few, _ = count_queries(client, reverse("assessments:scorecards"))
    make_rounds(30, officer, expert=expert)
    many, response = count_queries(client, reverse("assessments:scorecards"))
    assert many == few
    assert response.context["page"].paginator.count == 16


def test_assessment_page_queries_do_not_grow_with_experts(client, officer, scoring_round):
    from .conftest import score_all

    client.force_login(officer)
    score_all(scoring_round, [make_expert(name=f"专家{i}") for i in range(2)], officer, fraction=0.8)
    few, _ = count_queries(client, scoring_round.get_absolute_url())
    score_all(scoring_round, [make_expert(name=f"更多专家{i}") for i in range(8)], officer, fraction=0.7)
    make_expert(name="备选专家")
    many, response = count_queries(client, scoring_round.get_absolute_url())
    assert many == few
    assert len(response.context["assignments"]) == 10
