"""Fixtures for API tests: a DRF client, tokens with a scope, and a small world of two alliances."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from alliances.models import Membership
from dashboards.models import ApiTokenScope
from tests.factories import AllianceFactory, OrganisationFactory, confirmed_member, member_user


@pytest.fixture(autouse=True)
def _generous_throttles(monkeypatch):
    """Throttle counters live in the cache, which CI shares (Redis) between parallel workers: anonymous
    requests of several tests from 127.0.0.1 would add up. Tests get generous rates; the throttle test
    sets its own small one."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"anon": "100000/min", "user": "100000/min", "token": "100000/min"})


@contextmanager
def connection_kept_across_requests():
    """Django's test client keeps the test's database connection across requests; schemathesis' WSGI client
    goes through the whole handler, whose ``close_old_connections`` would close it (and the test's
    transaction) after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api():
    return APIClient()


def make_token(user, *, scope=ApiTokenScope.Scope.READ, valid=timedelta(days=30), with_scope=True) -> str:
    """A knox token for ``user`` as the admin page creates it; returns the plain token."""
    token, plain = AuthToken.objects.create(user=user, expiry=valid)
    if with_scope:
        ApiTokenScope.objects.create(token=token, label="大屏", scope=scope)
    return plain


def token_client(user, **kwargs) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user, **kwargs)}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=None)
    client.force_login(user)
    return client


@pytest.fixture
def world(db):
    """Alliance A (chairman: member's organisation, one more confirmed member) and alliance B (foreign)."""
    member = member_user()
    alliance_a = AllianceFactory(chairman=member.organisation, name="淄博新材料产业技术创新战略联盟A")
    colleague = confirmed_member(alliance_a)
    foreign = member_user()
    alliance_b = AllianceFactory(chairman=foreign.organisation, name="淄博生物医药产业技术创新战略联盟B")
    outsider_org = OrganisationFactory(name="无关单位")
    return {
        "member": member,
        "foreign": foreign,
        "alliance_a": alliance_a,
        "alliance_b": alliance_b,
        "colleague_membership": colleague,
        "outsider_org": outsider_org,
        "membership_b": Membership.objects.get(alliance=alliance_b, organisation=foreign.organisation),
    }
