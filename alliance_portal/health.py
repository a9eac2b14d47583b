"""Two probes for orchestrators and load balancers.

``/livez`` (liveness): the process is up and answers; it asks nothing of the database or Redis, so an
orchestrator does not restart healthy web processes during a Redis outage.
``/healthz`` (readiness): does the database, and each Redis (cache and broker, when configured), answer?
503 naming the failing component otherwise, whatever cookies the request carries (sessions are in the
database, so a cache outage cannot fail the request itself).
"""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A probe must answer well within the orchestrator's timeout even when Redis hangs.
REDIS_PROBE_TIMEOUT = 0.5


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis_check(url: str):
    def check() -> str:
        client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_PROBE_TIMEOUT,
                                      socket_timeout=REDIS_PROBE_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"

    return check


@never_cache
@require_GET
def livez(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database}
    if settings.REDIS_CACHE_URL:
        checks["redis"] = _redis_check(settings.REDIS_CACHE_URL)
    if settings.REDIS_BROKER_URL and settings.REDIS_BROKER_URL != settings.REDIS_CACHE_URL:
        checks["redis_broker"] = _redis_check(settings.REDIS_BROKER_URL)
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a component is its answer
            results[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)
