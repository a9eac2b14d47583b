"""Read responses come from the cache until a table they read is written, per user, language and URL; a
change of any kind (save, queryset update, a new membership, a new role) shows in the very next response."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from alliances.models import Alliance, Membership
from dashboards import invalidation
from notifications.models import Notification
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, confirmed_member, member_user

from .conftest import session_client, token_client

AUTHENTICATION_TABLES = {"knox_authtoken", "accounts_user", "auth_group", "accounts_user_groups"}


def _get(client, url, **params):
    """The response's data, and the tables its queries read other than the authentication's."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    read = set().union(*(invalidation.tables_in(query["sql"]) for query in queries.captured_queries))
    return response.json(), read - AUTHENTICATION_TABLES


def _names(body) -> list[str]:
    return [row["name"] for row in body["results"]]


def test_the_second_request_is_served_from_the_cache_and_equal(db):
    officer = UserFactory(roles=[Role.OFFICER])
    for _ in range(3):
        confirmed_member(AllianceFactory())
    client = token_client(officer)
    first, cold = _get(client, "/api/v1/alliances/")  # learns which tables the response reads
    second, _ = _get(client, "/api/v1/alliances/")  # computes and keeps it
    third, warm = _get(client, "/api/v1/alliances/")
    assert first == second == third
    assert first["count"] == 3
    assert {"alliances_alliance", "alliances_membership"} <= cold
    assert warm == set()  # only authentication and permissions ran SQL


def test_the_cache_off_computes_every_time(db, settings):
    settings.RESPONSE_CACHE = False
    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory()
    client = token_client(officer)
    for _ in range(3):
        assert "alliances_alliance" in _get(client, "/api/v1/alliances/")[1]


def test_a_saved_change_shows_in_the_next_response(db):
    officer = UserFactory(roles=[Role.OFFICER])
    alliance = AllianceFactory(name="旧名称联盟")
    client = token_client(officer)
    assert _names(_get(client, "/api/v1/alliances/")[0]) == ["旧名称联盟"]
    alliance.name = "新名称联盟"
    alliance.save(update_fields=["name"])
    assert _names(_get(client, "/api/v1/alliances/")[0]) == ["新名称联盟"]
    detail, _ = _get(client, f"/api/v1/alliances/{alliance.pk}/")
    assert detail["name"] == "新名称联盟"


def test_a_queryset_update_of_another_table_shows_in_the_next_response(db):
    """The member count is a subquery on memberships: an ``update()`` (no model signal) there retires it."""
    officer = UserFactory(roles=[Role.OFFICER])
    alliance = AllianceFactory()
    confirmed_member(alliance)
    confirmed_member(alliance)
    client = token_client(officer)
    before = _get(client, "/api/v1/alliances/")[0]["results"][0]["member_count"]
    Membership.objects.filter(alliance=alliance, role=Membership.Role.MEMBER).update(status=Membership.Status.LEFT)
    after = _get(client, "/api/v1/alliances/")[0]["results"][0]["member_count"]
    assert after < before


def test_each_user_has_their_own_responses(db):
    """An officer's cached list (every alliance) is never what a member unit gets for the same URL."""
    officer = UserFactory(roles=[Role.OFFICER])
    member = member_user()
    own = AllianceFactory(chairman=member.organisation, name="本单位联盟")
    AllianceFactory(name="他人联盟")
    assert len(_names(_get(token_client(officer), "/api/v1/alliances/")[0])) == 2
    assert _names(_get(token_client(member), "/api/v1/alliances/")[0]) == ["本单位联盟"]
    response = token_client(member).get(f"/api/v1/alliances/{Alliance.objects.exclude(pk=own.pk).get().pk}/")
    assert response.status_code == 404


def test_a_new_role_or_membership_shows_in_the_next_response(db):
    """The user's own rows (groups) decide visibility without being read by the list's queries."""
    member = member_user()
    AllianceFactory(chairman=member.organisation, name="本单位联盟")
    other = AllianceFactory(name="他人联盟")
    client = token_client(member)
    assert _names(_get(client, "/api/v1/alliances/")[0]) == ["本单位联盟"]
    Membership.objects.create(alliance=other, organisation=member.organisation, role=Membership.Role.MEMBER,
                              status=Membership.Status.CONFIRMED)
    assert sorted(_names(_get(client, "/api/v1/alliances/")[0])) == ["他人联盟", "本单位联盟"]

    outsider = member_user()
    client = token_client(outsider)
    assert _names(_get(client, "/api/v1/alliances/")[0]) == []
    outsider.groups.add(Group.objects.get(name=Role.OFFICER.value))
    assert len(_names(_get(client, "/api/v1/alliances/")[0])) == 2


def test_language_and_query_string_are_part_of_the_key(db):
    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory(state="draft")
    AllianceFactory(state="pilot")
    client = session_client(officer)
    chinese = client.get("/api/v1/alliances/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = client.get("/api/v1/alliances/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {row["state_label"] for row in chinese["results"]} != {row["state_label"] for row in english["results"]}
    assert _get(client, "/api/v1/alliances/", state="pilot")[0]["count"] == 1
    assert _get(client, "/api/v1/alliances/")[0]["count"] == 2


def test_the_dashboard_follows_a_new_alliance(db):
    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory()
    client = token_client(officer)
    before, _ = _get(client, "/api/v1/dashboard/summary/")
    _get(client, "/api/v1/dashboard/summary/")
    again, warm = _get(client, "/api/v1/dashboard/summary/")
    assert again == before
    assert warm == set()
    AllianceFactory()
    after, _ = _get(client, "/api/v1/dashboard/summary/")
    assert after != before


def test_the_alliance_list_page_follows_changes_and_keeps_the_layout_per_request(db, client):
    officer = UserFactory(roles=[Role.OFFICER])
    OrganisationFactory()
    AllianceFactory(name="第一联盟")
    client.force_login(officer)
    url = reverse("alliances:list")
    first = client.get(url).content.decode()
    assert "第一联盟" in first
    AllianceFactory(name="第二联盟")
    second = client.get(url).content.decode()
    assert "第一联盟" in second
    assert "第二联盟" in second
    client.get(url)  # kept in the cache from here on
    # the content comes from the cache; the layout around it (CSRF tokens, menu) is rendered for each request
    with CaptureQueriesContext(connection) as queries:
        third = client.get(url).content.decode()
    assert not any("alliances_alliance" in query["sql"] for query in queries.captured_queries)
    assert 'name="csrfmiddlewaretoken"' in third
    assert third.count("第二联盟") == second.count("第二联盟")


def test_a_learned_result_follows_the_tables_of_nested_cached_results(db):
    """``remembered_reads`` learns tables from SQL; a nested cached result that ran no SQL still counts."""
    calls = []
    user = UserFactory()

    def inner():
        return Notification.objects.count()

    def outer():
        calls.append(1)
        return invalidation.remembered("test|inner", ["notifications_notification"], inner, timeout=60)

    inner_value = invalidation.remembered("test|inner", ["notifications_notification"], inner, timeout=60)
    assert inner_value == 0  # the inner result is cached before the outer one ever runs its SQL
    for _ in range(3):
        assert invalidation.remembered_reads("test|outer", outer, timeout=60) == 0
    assert len(calls) == 2  # learned on the first call, stored on the second, served on the third
    Notification.objects.create(recipient=user, kind="test", title="一")
    assert invalidation.remembered_reads("test|outer", outer, timeout=60) == 1


@pytest.mark.parametrize("path", ["/api/v1/alliances/999999/", "/api/v1/alliances/?sector=999999"])
def test_errors_are_not_cached(db, path):
    officer = UserFactory(roles=[Role.OFFICER])
    client = token_client(officer)
    first = client.get(path)
    assert first.status_code in (400, 404)
    assert client.get(path).status_code == first.status_code


def _csrf_tokens(html: str) -> list[str]:
    import re

    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_a_cached_page_carries_each_requests_own_csrf_token_and_it_works(db):
    from django.test import Client

    from alliance_portal.response_cache import CSRF_PLACEHOLDER

    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory(name="第一联盟")
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = reverse("alliances:list")
    pages = [client.get(url).content.decode() for _ in range(4)]  # learn, keep, then served from the cache
    assert all("第一联盟" in page for page in pages)
    assert not any(CSRF_PLACEHOLDER in page for page in pages)
    tokens = _csrf_tokens(pages[-1])
    assert tokens
    assert _csrf_tokens(pages[-2]) != tokens  # masked anew for every request, as Django does
    response = client.post(reverse("set_language"), {"language": "en", "next": url,
                                                     "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_a_page_with_a_message_waiting_is_computed_and_shows_it(db, client, rf):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory()
    client.force_login(officer)
    url = reverse("alliances:list")
    for _ in range(3):
        client.get(url)
    # a message waiting in the cookie, as the default storage leaves it after a redirect
    request = rf.get(url)
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "已保存测试消息")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "已保存测试消息" in client.get(url).content.decode()
    assert "已保存测试消息" not in client.get(url).content.decode()  # shown once, as always


def test_a_migrate_retires_every_kept_response(db):
    """A deploy runs ``migrate``: responses kept by the previous release's code are not served by the new one."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    officer = UserFactory(roles=[Role.OFFICER])
    AllianceFactory()
    client = token_client(officer)
    for _ in range(2):
        _get(client, "/api/v1/alliances/")  # learn, then keep
    assert _get(client, "/api/v1/alliances/")[1] == set()  # served from the cache
    post_migrate.send(sender=apps.get_app_config("dashboards"), app_config=apps.get_app_config("dashboards"),
                      verbosity=0, interactive=False, using="default", apps=apps, plan=[])
    assert "alliances_alliance" in _get(client, "/api/v1/alliances/")[1]  # computed again


def test_a_cached_page_shows_each_requests_own_notification_bell(db, client):
    """The bell is kept out of the cached page: a new notification shows at once and retires no page."""
    officer, colleague = UserFactory(roles=[Role.OFFICER]), UserFactory(roles=[Role.OFFICER])
    AllianceFactory(name="第一联盟")
    client.force_login(officer)
    url = reverse("alliances:list")
    for _ in range(2):
        client.get(url)  # learn, keep
    Notification.objects.create(recipient=officer, kind="test", title="待办一")
    Notification.objects.create(recipient=colleague, kind="test", title="别人的")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert not any("alliances_alliance" in query["sql"] for query in queries.captured_queries)  # from the cache
    assert '<span class="badge rounded-pill text-bg-warning notification-count">1</span>' in page
    assert "kept-out:" not in page
    assert "第一联盟" in page


def test_another_users_sign_up_retires_nothing_but_ones_own_row_changes_the_response(db, client):
    officer = UserFactory(roles=[Role.OFFICER], full_name="王建国")
    AllianceFactory(name="第一联盟")
    client.force_login(officer)
    url = reverse("alliances:list")
    for _ in range(2):
        client.get(url)  # learn, keep
    UserFactory(full_name="新注册用户")  # someone signs up
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert not any("alliances_alliance" in query["sql"] for query in queries.captured_queries)  # still kept
    assert "王建国" in page
    officer.full_name = "王建民"
    officer.save(update_fields=["full_name"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert any("alliances_alliance" in query["sql"] for query in queries.captured_queries)  # computed again
    assert "王建民" in page
    assert "王建国" not in page
