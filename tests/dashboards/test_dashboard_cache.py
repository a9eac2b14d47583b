"""The dashboard is cached, and never stale: a change to any row it counts shows on the next request.

The cache is keyed by the generations of the tables the board reads (``dashboards.invalidation``),
which move on every INSERT / UPDATE / DELETE, including the ``QuerySet.update()`` and ``bulk_create()``
paths that send no model signals.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliances.models import Alliance, Membership
from dashboards import invalidation
from dashboards.selectors import TABLES, Board, DashboardFilters
from notifications.models import Notification
from projects import services as project_services
from projects.workflow import ProjectState
from reviews.models import Designation
from tests.factories import AllianceFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory

from ..api.conftest import token_client
from .data import make_city

SUMMARY = "/api/v1/dashboard/summary/"


@pytest.fixture
def city(db):
    return make_city(alliances=12, seed=5)


def _summary(client) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SUMMARY)
    assert response.status_code == 200
    return response.json(), len(queries)


def _total(summary, section="alliances") -> int:
    return summary[section]["total"]["value"]


def _by_key(figures) -> dict:
    return {figure["key"]: figure["value"] for figure in figures}


def _authentication_queries(client) -> int:
    """What signing the request in costs (knox: the token and its user, the sweep of expired tokens)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/").status_code == 200
    return len(queries)


def test_a_cached_summary_runs_at_most_two_queries_beyond_authentication(city):
    client = token_client(city["officer"])
    first, cold = _summary(client)
    second, warm = _summary(client)
    assert second == first
    assert cold > 10
    assert warm - _authentication_queries(client) <= 2  # the user's roles (permission): no aggregate runs


def test_a_cached_board_asks_the_database_nothing(city):
    board = Board(city["officer"], DashboardFilters(sector=city["sectors"][0]))
    computed = board.summary(), board.time_series(), board.breakdown("sector"), board.watch_list()
    with CaptureQueriesContext(connection) as queries:
        cached = board.summary(), board.time_series(), board.breakdown("sector"), board.watch_list()
    assert len(queries) == 0
    assert cached == computed


def test_a_new_alliance_shows_on_the_next_request(city):
    client = token_client(city["officer"])
    before, _ = _summary(client)
    AllianceFactory(sector=city["sectors"][0])
    after, _ = _summary(client)
    assert _total(after) == _total(before) + 1


def test_a_designation_revoked_with_queryset_update_shows_on_the_next_request(city):
    """The revoking services use ``update()``, which sends no ``post_save``: the generations still move."""
    client = token_client(city["officer"])
    before, _ = _summary(client)
    levels = _by_key(before["alliances"]["by_designation_level"])
    standing = Designation.objects.filter(revoked_at__isnull=True, alliance__state__in=["pilot", "assessment"],
                                          level=Designation.Level.PILOT).exclude(
        alliance__designations__level=Designation.Level.DEMONSTRATION, alliance__designations__revoked_at=None)
    alliance_id = standing.values_list("alliance_id", flat=True).first()
    assert alliance_id is not None
    Designation.objects.filter(alliance_id=alliance_id).update(revoked_at=timezone.now(), revoke_reason="测试")
    after, _ = _summary(client)
    assert _by_key(after["alliances"]["by_designation_level"]) == {
        **levels, "pilot": levels["pilot"] - 1, "none": levels["none"] + 1}


def test_bulk_created_memberships_show_on_the_next_request(city):
    """The importer bulk-creates memberships: no model signal either."""
    client = token_client(city["officer"])
    before, _ = _summary(client)
    alliance = Alliance.objects.filter(sector=city["sectors"][0]).first()
    units = [OrganisationFactory() for _ in range(3)]
    Membership.objects.bulk_create([Membership(alliance=alliance, organisation=unit,
                                               status=Membership.Status.CONFIRMED) for unit in units])
    after, _ = _summary(client)
    assert _total(after, "member_units") == _total(before, "member_units") + 3


def test_a_project_approved_through_the_service_shows_on_the_next_request(city):
    client = token_client(city["officer"])
    project = ProjectFactory(alliance=city["alliances"][0], state=ProjectState.SUBMITTED,
                             submitted_at=timezone.now())
    before, _ = _summary(client)
    project_services.approve_project(project, by=city["officer"], granted_funding=Decimal("100"))
    after, _ = _summary(client)
    assert after["projects"]["approved"]["value"] == before["projects"]["approved"]["value"] + 1
    assert Decimal(after["projects"]["total_investment"]["value"]) == (
        Decimal(before["projects"]["total_investment"]["value"]) + project.total_investment)


def test_a_write_to_a_table_the_board_does_not_read_keeps_the_cache(city):
    client = token_client(city["officer"])
    _summary(client)
    Notification.objects.create(recipient=city["officer"], kind="test", title="与看板无关")
    _again, warm = _summary(client)
    assert warm - _authentication_queries(client) <= 2


def test_each_user_filter_and_language_has_its_own_entry(city):
    client = token_client(city["officer"])
    everything, _ = _summary(client)
    sector = city["sectors"][0]
    narrowed = client.get(SUMMARY, {"sector": sector.pk}).json()
    assert _total(narrowed) == Alliance.objects.filter(sector=sector).count() < _total(everything)
    english = client.get(SUMMARY, HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get(SUMMARY, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["alliances"]["total"]["label"] == "Alliances"
    assert chinese["alliances"]["total"]["label"] == "联盟"


def test_the_board_declares_every_table_it_reads(city):
    """``TABLES`` is what retires a cached board: it must name every table the board's queries read."""
    invalidation.bump(TABLES)
    filters = [DashboardFilters(), DashboardFilters(sector=city["sectors"][1], district=city["districts"][0],
                                                    year=2025)]
    with invalidation.tables_read() as read:
        for chosen in filters:
            board = Board(city["officer"], chosen)
            board.summary(), board.time_series(), board.breakdown("sector"), board.breakdown("district")
            board.watch_list()
    assert "projects_project" in read
    assert read <= TABLES


def test_inside_a_transaction_the_board_is_computed_and_not_kept(city):
    """A transaction may roll back: what it read is neither served from nor stored in the cache."""
    board = Board(city["officer"], DashboardFilters())
    with transaction.atomic():
        AllianceFactory(sector=city["sectors"][0])
        inside = board.summary()
        with CaptureQueriesContext(connection) as queries:
            board.summary()
        assert len(queries) > 0
        transaction.set_rollback(True)
    outside = board.summary()
    assert _total_of(outside) == _total_of(inside) - 1


def _total_of(summary) -> int:
    return summary["alliances"]["total"].value


def test_officers_share_the_computed_board_and_a_write_retires_it_for_all(city):
    """Everyone allowed on the board sees every alliance: the second officer's first summary is computed
    from the sections the first officer's request kept (no counting query on the alliances or projects)."""
    from accounts.roles import Role
    from tests.factories import UserFactory

    colleague = token_client(UserFactory(roles=[Role.OFFICER]))  # a new role retires the board: before it is kept
    first, _ = _summary(token_client(city["officer"]))
    with CaptureQueriesContext(connection) as queries:
        shared = colleague.get(SUMMARY).json()
    counted = [q["sql"] for q in queries.captured_queries
               if '"alliances_alliance"' in q["sql"] or '"projects_project"' in q["sql"]]
    assert shared == first
    assert counted == []
    AllianceFactory()
    after, _ = _summary(colleague)
    assert _total(after) == _total(first) + 1
