"""API tokens: created in the admin and shown once, stored hashed, expiring, read-only by scope, throttled."""

from datetime import timedelta

import pytest
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from accounts.roles import Role
from alliance_portal.core.auth import TokenRateThrottle
from dashboards.models import ApiTokenScope
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import make_token, token_client


@pytest.fixture
def officer_user(db):
    return UserFactory(roles=[Role.OFFICER], username="dispatch")


def test_admin_creates_token_shows_it_once_and_stores_only_its_digest(client, admin_user, officer_user):
    client.force_login(admin_user)
    response = client.post("/admin/dashboards/apitokenscope/add/", {
        "label": "调度大屏", "scope": "read", "user": officer_user.pk, "valid_days": 30,
    }, follow=True)
    assert response.status_code == 200
    scope = ApiTokenScope.objects.select_related("token").get()
    assert scope.label == "调度大屏"
    assert scope.token.user == officer_user
    assert scope.created_by == admin_user
    messages = [str(m) for m in response.context["messages"]]
    plain = next(word for m in messages for word in m.split() if word.startswith(scope.token.token_key))
    assert scope.token.digest == hash_token(plain)  # only the digest is stored
    assert scope.token.digest != plain
    assert timedelta(days=29) < scope.token.expiry - scope.created_at <= timedelta(days=30)
    assert AuditEvent.objects.filter(action="api_token_created", user=admin_user).exists()
    # the plain token works, and the change page never shows it again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    assert api.get("/api/v1/me/").json()["username"] == "dispatch"
    change = client.get(f"/admin/dashboards/apitokenscope/{scope.pk}/change/")
    assert plain not in change.content.decode()


def test_admin_token_validity_is_bounded(client, admin_user, officer_user):
    client.force_login(admin_user)
    response = client.post("/admin/dashboards/apitokenscope/add/", {
        "label": "永久", "scope": "write", "user": officer_user.pk, "valid_days": 5000,
    })
    assert response.status_code == 200  # the form again, with the error beside the field
    assert "valid_days" in response.context["adminform"].form.errors
    assert not AuthToken.objects.exists()


def test_admin_deleting_scope_revokes_the_token(client, admin_user, officer_user):
    plain = make_token(officer_user)
    scope = ApiTokenScope.objects.get()
    client.force_login(admin_user)
    client.post(f"/admin/dashboards/apitokenscope/{scope.pk}/delete/", {"post": "yes"})
    assert not AuthToken.objects.exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    assert api.get("/api/v1/me/").status_code == 401


def test_read_only_token_reads_but_may_not_write(officer_user):
    Notification.objects.create(recipient=officer_user, kind="test", title="通知")
    api = token_client(officer_user, scope=ApiTokenScope.Scope.READ)
    me = api.get("/api/v1/me/").json()
    assert me["token"]["read_only"] is True
    response = api.post("/api/v1/notifications/mark-all-read/")
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_write_token_may_write(officer_user):
    Notification.objects.create(recipient=officer_user, kind="test", title="通知")
    api = token_client(officer_user, scope=ApiTokenScope.Scope.WRITE)
    assert api.get("/api/v1/me/").json()["token"]["read_only"] is False
    response = api.post("/api/v1/notifications/mark-all-read/")
    assert response.status_code == 200
    assert response.json() == {"marked": 1}


def test_token_without_scope_is_read_only(officer_user):
    api = token_client(officer_user, with_scope=False)
    assert api.get("/api/v1/me/").json()["token"]["read_only"] is True
    assert api.post("/api/v1/notifications/mark-all-read/").status_code == 403


def test_expired_token_is_refused_and_removed(officer_user):
    api = token_client(officer_user, valid=timedelta(seconds=-1))
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.exists()


def test_session_user_sees_no_token(client, officer_user):
    client.force_login(officer_user)
    assert client.get("/api/v1/me/").json()["token"] is None


def test_throttle_counts_each_token_separately(monkeypatch, officer_user):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {**TokenRateThrottle.THROTTLE_RATES, "token": "3/min"})
    first = token_client(officer_user)
    second = token_client(officer_user)
    assert [first.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    throttled = first.get("/api/v1/me/")
    assert throttled.json()["code"] == "throttled"
    assert "Retry-After" in throttled
    assert second.get("/api/v1/me/").status_code == 200  # another token has its own budget


def test_session_requests_are_not_counted_against_tokens(monkeypatch, client, officer_user):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {**TokenRateThrottle.THROTTLE_RATES, "token": "1/min"})
    client.force_login(officer_user)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]


def test_token_admin_pages_render_for_administrators(client, admin_user, officer_user):
    make_token(officer_user, scope=ApiTokenScope.Scope.WRITE)
    client.force_login(admin_user)
    listing = client.get("/admin/dashboards/apitokenscope/")
    assert listing.status_code == 200
    assert "大屏" in listing.content.decode()
    add = client.get("/admin/dashboards/apitokenscope/add/")
    assert add.status_code == 200
    assert 'name="valid_days"' in add.content.decode()
    # knox's own token admin is gone: every token is made here, with a label and a scope
    assert client.get("/admin/knox/authtoken/").status_code == 404


def test_the_throttle_counts_requests_in_a_window_that_starts_at_the_first(db):
    """One counter per key (not a list of request times): 1, 2, 3 …"""
    import uuid

    from alliance_portal.core.auth import _counted

    key = f"throttle_test_{uuid.uuid4().hex}"
    assert [_counted(key, 60) for _ in range(3)] == [1, 2, 3]
    assert _counted(f"{key}-other", 60) == 1


def test_a_token_request_runs_one_authentication_query_and_the_admin_clears_expired_tokens(
        client, admin_user, officer_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expired, _plain = AuthToken.objects.create(user=officer_user, expiry=timedelta(seconds=-1))
    api = token_client(officer_user)
    api.get("/api/v1/me/")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/me/").status_code == 200
    assert sum("knox_authtoken" in query["sql"] for query in queries.captured_queries) == 1
    assert AuthToken.objects.filter(pk=expired.pk).exists()  # another token's expiry is not checked per request

    client.force_login(admin_user)
    client.post("/admin/dashboards/apitokenscope/add/",
                {"label": "新大屏", "scope": "read", "user": officer_user.pk, "valid_days": 30})
    assert not AuthToken.objects.filter(pk=expired.pk).exists()
    assert AuthToken.objects.filter(user=officer_user).count() == 2
