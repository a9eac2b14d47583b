"""The cache is an accelerator: with Redis refusing connections or hanging, no page, API request, session or
throttle fails, each costs at most the short timeouts once, and a circuit then stops asking.

No Redis server is needed: a port nobody listens on refuses; a socket that listens and never answers is
a hung Redis (the kernel accepts the connection, nothing replies).
"""

import socket
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

from alliance_portal.redis_cache import DegradingRedisCache
from tests.api.conftest import token_client

from .conftest import free_port

pytestmark = pytest.mark.resilience

TIMEOUT = 0.2
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def redis_cache_at(url: str) -> dict:
    return {"default": {"BACKEND": "alliance_portal.redis_cache.DegradingRedisCache", "LOCATION": url,
                        "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT}}}


@pytest.fixture
def refused():
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def hung():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@pytest.fixture(params=["refused", "hung"])
def dead_redis(request):
    url = request.getfixturevalue(request.param)
    with override_settings(CACHES=redis_cache_at(url)):
        cache = caches["default"]
        assert isinstance(cache, DegradingRedisCache)
        yield request.param, cache


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def test_every_operation_answers_as_a_miss_and_the_circuit_stops_asking(dead_redis, report, caplog):
    kind, cache = dead_redis
    with caplog.at_level("WARNING", logger="alliance_portal.redis_cache"):
        first, first_seconds = timed(lambda: cache.get("k", "default"))
        second, _ = timed(lambda: cache.add("k", 1, 60))
        answers, seconds = timed(lambda: [
            cache.get("k", "fallback"), cache.set("k", 1), cache.add("k", 1), cache.delete("k"),
            cache.get_many(["k", "l"]), cache.has_key("k"), cache.touch("k"), cache.get_or_set("k", 7)])
    assert (first, second) == ("default", False)
    assert answers == ["fallback", None, False, False, {}, False, False, 7]
    with pytest.raises(ValueError, match="unavailable"):
        cache.incr("k")
    assert first_seconds < 2 * TIMEOUT + 0.1
    assert seconds < 0.05, "the circuit is open: nothing more is asked of Redis"
    assert any("cache circuit open" in r.getMessage() for r in caplog.records)
    report(f"Redis {kind}: first miss in {first_seconds * 1000:.0f} ms, then the circuit opened; "
           f"eight more operations in {seconds * 1000:.1f} ms, each answered as a miss")


@pytest.mark.django_db
def test_signed_in_pages_token_api_and_health_answer_without_redis(dead_redis, officer, client, settings, report):
    kind, _cache = dead_redis
    settings.REDIS_CACHE_URL = settings.CACHES["default"]["LOCATION"]
    client.force_login(officer)
    with override_settings(CACHES=LOCAL):  # the process's first page (templates, URLs) is not Redis's cost
        assert client.get("/alliances/").status_code == token_client(officer).get("/api/v1/alliances/").status_code
    page, page_seconds = timed(lambda: client.get("/alliances/"))
    api, api_seconds = timed(lambda: token_client(officer).get("/api/v1/alliances/"))
    health = client.get("/healthz")  # with the session cookie
    live = client.get("/livez")
    assert (page.status_code, api.status_code, health.status_code, live.status_code) == (200, 200, 503, 200)
    assert health.json()["checks"]["redis"].startswith("error")
    assert page_seconds < 1
    assert api_seconds < 1
    report(f"Redis {kind}: signed-in /alliances/ 200 in {page_seconds * 1000:.0f} ms, token API 200 in "
           f"{api_seconds * 1000:.0f} ms, /healthz 503 naming redis (session cookie sent), /livez 200")


@pytest.mark.django_db
def test_throttles_fail_open_without_redis_and_count_again_with_a_cache(refused, officer, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min", "token": "2/min"})
    api = token_client(officer)
    with override_settings(CACHES=redis_cache_at(refused)):
        assert [api.get("/api/v1/alliances/").status_code for _ in range(4)] == [200] * 4
    assert [api.get("/api/v1/alliances/").status_code for _ in range(3)] == [200, 200, 429]
