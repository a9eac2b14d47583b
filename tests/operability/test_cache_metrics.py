"""The degrading Redis cache counts what it went through, for /metrics: failures by operation and error, the
operations answered without asking while the circuit is open, and the circuit's openings. A port nobody listens
on is a refused Redis."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from prometheus_client import REGISTRY

from alliance_portal.redis_cache import DegradingRedisCache
from tests.resilience.conftest import free_port


def _counts() -> dict:
    value = REGISTRY.get_sample_value
    return {
        "get failed": value("portal_cache_errors_total", {"operation": "get", "error": "ConnectionError"}) or 0,
        "add failed": value("portal_cache_errors_total", {"operation": "add", "error": "ConnectionError"}) or 0,
        "set unasked": value("portal_cache_unasked_total", {"operation": "set"}) or 0,
        "delete unasked": value("portal_cache_unasked_total", {"operation": "delete"}) or 0,
        "get unasked": value("portal_cache_unasked_total", {"operation": "get"}) or 0,
        "opens": value("portal_cache_circuit_opens_total") or 0,
    }


@pytest.fixture
def refused_cache(settings):
    settings.REDIS_CACHE_CIRCUIT_FAILURES = 2
    settings.REDIS_CACHE_CIRCUIT_RESET_SECONDS = 60
    refused = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(CACHES={"default": {
            "BACKEND": "alliance_portal.redis_cache.DegradingRedisCache", "LOCATION": refused,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}):
        cache = caches["default"]
        assert isinstance(cache, DegradingRedisCache)
        yield cache


def test_cache_failures_are_counted_by_operation_and_the_circuit_opening(refused_cache):
    before = _counts()

    assert refused_cache.get("k", "miss") == "miss"  # asked: refused
    assert refused_cache.add("k", 1) is False  # asked: refused, the second failure in a row opens the circuit
    refused_cache.set("k", 1)  # not asked
    assert refused_cache.delete("k") is False  # not asked
    assert refused_cache.get("k") is None  # not asked

    after = _counts()
    assert {name: after[name] - before[name] for name in after} == {
        "get failed": 1, "add failed": 1, "set unasked": 1, "delete unasked": 1, "get unasked": 1, "opens": 1}


@pytest.mark.django_db
def test_metrics_endpoint_lists_the_cache_counters(refused_cache, client):
    refused_cache.get("k")
    refused_cache.get("k")
    refused_cache.get("k")

    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()

    for line in ('portal_cache_errors_total{error="ConnectionError",operation="get"}',
                 'portal_cache_unasked_total{operation="get"}', "portal_cache_circuit_opens_total "):
        assert line in body
