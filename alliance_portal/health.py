"""``/healthz``: does the database (and each Redis, cache and broker, when configured) answer? For load
balancers."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis_check(url: str):
    def check() -> str:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"

    return check


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
        except Exception as exc:
            results[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)
