"""Redis in two roles (issue 18, finding 8): the cache and the broker in separate instances (compose) or
databases, the cache evicting with bounded memory and the broker never; every Redis client of the settings
with connect and read timeouts (under a second for the cache); no key the portal writes without an expiry."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.reminders.workers import wait_until
from tests.resilience.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**environment) -> dict:
    """The cache and Celery settings a process started with ``environment`` gets."""
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({'caches': s.CACHES, 'broker': s.CELERY_BROKER_URL, "
            "'transport': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'connection_timeout': s.CELERY_BROKER_CONNECTION_TIMEOUT}))")
    env = {key: value for key, value in os.environ.items() if not key.startswith("REDIS")}
    env.update(DJANGO_SETTINGS_MODULE="alliance_portal.settings", **environment)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_cache_and_broker_use_their_own_urls_with_timeouts():
    found = _settings_with(REDIS_CACHE_URL="redis://cache:6379/0", REDIS_BROKER_URL="redis://broker:6379/0")
    cache = found["caches"]["default"]
    assert (cache["LOCATION"], found["broker"]) == ("redis://cache:6379/0", "redis://broker:6379/0")
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    assert cache["BACKEND"] == "alliance_portal.redis_cache.DegradingRedisCache"
    assert cache["TIMEOUT"] == 300
    transport = found["transport"]
    assert (transport["socket_connect_timeout"], transport["socket_timeout"]) == (1.0, 2.0)
    assert transport["visibility_timeout"] == 3600
    assert found["connection_timeout"] == 2


def test_one_redis_url_serves_both_roles_on_a_laptop():
    found = _settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
    assert (found["caches"]["default"]["LOCATION"], found["broker"]) == ("redis://127.0.0.1:6379/3",) * 2


def test_local_cache_keys_expire_too():
    assert django_settings.CACHES["default"]["TIMEOUT"] == 300


def test_compose_separates_an_evicting_cache_from_a_broker_that_never_evicts():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    cache, broker = " ".join(services["redis-cache"]["command"]), " ".join(services["redis-broker"]["command"])
    assert "--maxmemory 256mb" in cache
    assert "--maxmemory-policy allkeys-lru" in cache
    assert "--maxmemory-policy noeviction" in broker
    environment = compose["x-portal"]["environment"]
    assert environment["REDIS_CACHE_URL"] == "redis://redis-cache:6379/0"
    assert environment["REDIS_BROKER_URL"] == "redis://redis-broker:6379/0"
    assert "REDIS_URL" not in environment


def test_no_code_of_the_portal_caches_without_an_expiry():
    sources = [path for path in ROOT.glob("*/**/*.py")
               if not path.is_relative_to(ROOT / ".venv") and not path.is_relative_to(ROOT / "tests")]
    offenders = [str(path.relative_to(ROOT)) for path in sources if re.search(r"timeout\s*=\s*None", path.read_text())]
    assert offenders == []


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A real redis-server of this test's own, as the portal's cache."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    client = redis.Redis(port=port, socket_timeout=1)

    def answers():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_until(answers, timeout=20, what="redis-server", interval=0.05)
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
        "KEY_PREFIX": "alliance", "TIMEOUT": settings.CACHE_DEFAULT_TIMEOUT,
        "OPTIONS": {"socket_connect_timeout": settings.REDIS_CACHE_CONNECT_TIMEOUT,
                    "socket_timeout": settings.REDIS_CACHE_SOCKET_TIMEOUT}}}
    yield client
    process.kill()
    process.wait(timeout=10)


@pytest.mark.django_db
def test_every_key_the_portal_writes_expires(redis_cache):
    UserFactory(username="zhangwei")
    client = Client()
    client.get("/")
    client.post("/accounts/login/", {"username": "zhangwei", "password": PASSWORD})  # a session (in the database)
    client.get("/api/v1/alliances/")  # the API's throttle counters
    Client().get("/api/v1/alliances/")  # anonymous: refused (401) before any throttle counts
    keys = list(redis_cache.scan_iter("*"))
    assert [key for key in keys if b"throttle_user_" in key]
    assert not [key for key in keys if b"session" in key]  # sessions never live in the cache
    assert {key.decode(): redis_cache.ttl(key) > 0 for key in keys} == {key.decode(): True for key in keys}
