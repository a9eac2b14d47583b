"""The lists' row count comes from the cache, and is never stale: it is kept per SQL statement (so per
user and filters) and retired as soon as a table the statement reads is written, whichever way."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from alliance_portal.pagination import CachedCountPaginator
from alliances.models import Alliance, Membership
from projects.models import Project
from projects.workflow import ProjectState
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, member_user
from tests.projects.factories import ProjectFactory

from .conftest import session_client


def _count(client, url, **params) -> tuple[int, int]:
    """The list's ``count`` and the number of queries the request ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["count"], len(queries)


def test_the_second_request_takes_the_count_from_the_cache(db):
    officer = UserFactory(roles=[Role.OFFICER])
    for _ in range(3):
        AllianceFactory()
    client = session_client(officer)
    count, cold = _count(client, "/api/v1/alliances/")
    again, warm = _count(client, "/api/v1/alliances/")
    assert count == again == Alliance.objects.count()
    assert warm == cold - 1


def test_a_new_row_shows_in_the_next_count(db):
    officer = UserFactory(roles=[Role.OFFICER])
    client = session_client(officer)
    AllianceFactory()
    before, _ = _count(client, "/api/v1/alliances/")
    AllianceFactory()
    after, _ = _count(client, "/api/v1/alliances/")
    assert after == before + 1


def test_rows_changed_by_queryset_update_and_bulk_create_show_in_the_next_count(db):
    """No model signal is sent for either; the count still follows."""
    officer = UserFactory(roles=[Role.OFFICER])
    client = session_client(officer)
    alliances = [AllianceFactory() for _ in range(3)]
    pilots, _ = _count(client, "/api/v1/alliances/", state="pilot")
    assert pilots == 0
    Alliance.objects.filter(pk__in=[a.pk for a in alliances[:2]]).update(state="pilot")
    pilots, _ = _count(client, "/api/v1/alliances/", state="pilot")
    assert pilots == 2

    members, _ = _count(client, "/api/v1/memberships/", alliance=alliances[0].pk)
    Membership.objects.bulk_create([Membership(alliance=alliances[0], organisation=OrganisationFactory(),
                                               status=Membership.Status.CONFIRMED) for _ in range(4)])
    assert _count(client, "/api/v1/memberships/", alliance=alliances[0].pk)[0] == members + 4


def test_a_deleted_row_leaves_the_count(db):
    officer = UserFactory(roles=[Role.OFFICER])
    client = session_client(officer)
    project = ProjectFactory(state=ProjectState.SUBMITTED, submitted_at=timezone.now())
    ProjectFactory(alliance=project.alliance, state=ProjectState.SUBMITTED, submitted_at=timezone.now())
    assert _count(client, "/api/v1/projects/")[0] == 2
    Project.objects.filter(pk=project.pk).delete()
    assert _count(client, "/api/v1/projects/")[0] == 1


def test_users_who_see_different_rows_never_share_a_count(db):
    officer = UserFactory(roles=[Role.OFFICER])
    member = member_user()
    AllianceFactory(chairman=member.organisation)
    for _ in range(4):
        AllianceFactory()
    assert _count(session_client(officer), "/api/v1/alliances/")[0] == 5
    assert _count(session_client(member), "/api/v1/alliances/")[0] == 1
    assert _count(session_client(member_user()), "/api/v1/alliances/")[0] == 0


def test_each_filter_has_its_own_count(db):
    officer = UserFactory(roles=[Role.OFFICER])
    client = session_client(officer)
    first = AllianceFactory()
    AllianceFactory()
    Alliance.objects.filter(pk=first.pk).update(state="submitted")
    assert _count(client, "/api/v1/alliances/")[0] == 2
    assert _count(client, "/api/v1/alliances/", state="submitted")[0] == 1
    assert _count(client, "/api/v1/alliances/", state="draft")[0] == 1


def test_the_list_page_shows_the_current_count_and_keeps_its_filter_choices_cached(db, client):
    officer = UserFactory(roles=[Role.OFFICER])
    client.force_login(officer)
    AllianceFactory()
    url = reverse("alliances:list")

    def shown():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.context["page"].paginator.count, len(queries)

    count, cold = shown()
    again, warm = shown()
    assert count == again == 1
    assert warm == cold - 3  # the count, the sectors and the districts offered by the filters
    AllianceFactory()
    assert shown()[0] == 2


def test_the_paginator_counts_plain_lists_too():
    assert CachedCountPaginator(list(range(45)), 20).num_pages == 3


def test_an_empty_queryset_counts_zero_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert CachedCountPaginator(Alliance.objects.none(), 20).count == 0


def test_without_the_read_cache_every_request_counts_and_computes(db, settings):
    """``READ_CACHE = False`` (production without a shared Redis): nothing is kept, every request counts."""
    settings.READ_CACHE = False
    officer = UserFactory(roles=[Role.OFFICER])
    for _ in range(3):
        AllianceFactory()
    client = session_client(officer)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/alliances/")
        assert response.json()["count"] == 3
        statements = [query["sql"] for query in queries.captured_queries]
        assert any(sql.startswith('SELECT COUNT(*)') and "alliances_alliance" in sql for sql in statements)
        assert any("alliances_membership" in sql for sql in statements)  # the list itself, computed
