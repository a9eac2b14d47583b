"""The foundation: health check, security headers, settings that the security baseline requires."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    if settings.REDIS_CACHE_URL:
        assert body["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_dead_redis_as_503(client, settings):
    settings.REDIS_CACHE_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


@pytest.mark.django_db
def test_healthz_checks_a_separate_broker_too(client, settings):
    settings.REDIS_CACHE_URL = ""
    settings.REDIS_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert set(response.json()["checks"]) == {"database", "redis_broker"}
    assert response.json()["checks"]["redis_broker"].startswith("error")


@pytest.mark.django_db
def test_every_page_sends_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_security_baseline_settings():
    from alliance_portal import settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert module.SESSION_COOKIE_AGE == 30 * 60
    assert "accounts.middleware.IdleSessionMiddleware" in module.MIDDLEWARE  # renews used sessions
    assert module.AXES_FAILURE_LIMIT == 5
    assert module.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert module.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"][0] == "rest_framework.permissions.IsAuthenticated"
    assert module.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert module.PORTAL["AUDIT_RETENTION_DAYS"] >= 180
    assert module.LANGUAGE_CODE == "zh-hans"
    assert module.TIME_ZONE == "Asia/Shanghai"


def test_production_profile_passes_check_deploy():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-check-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_requires_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example.gov.cn"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
