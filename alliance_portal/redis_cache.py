"""The cache is an accelerator: when Redis is down or hung, the portal computes without it.

``DegradingRedisCache`` is Django's own Redis cache backend whose every operation answers as a miss when
Redis fails (``get`` → the default, ``add``/``touch``/``delete``/``has_key`` → False, ``set`` → nothing,
``incr`` → ``ValueError`` as for a missing key), logging a warning instead of raising into the page. A
circuit (pybreaker) counts consecutive failures; after ``REDIS_CACHE_CIRCUIT_FAILURES`` of them it stops
asking Redis for ``REDIS_CACHE_CIRCUIT_RESET_SECONDS`` and then lets one request try again. With the short
connect and read timeouts of ``settings.CACHES`` a hung Redis costs a request at most
failures × timeout once per process and reset period, not the ten seconds of a default socket.

The circuit is per process (each gunicorn worker finds out for itself), which is what a web process
needs: no coordination through the very service that is down.

What it went through is counted for /metrics (README, "Metrics"): ``portal_cache_errors_total`` by operation and
error (Redis was asked and failed), ``portal_cache_unasked_total`` by operation (answered as a miss without asking,
the circuit being open), ``portal_cache_circuit_opens_total``.
"""

import logging

import prometheus_client
import pybreaker
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = prometheus_client.Counter(
    "portal_cache_errors", "Cache operations that Redis failed (answered as a miss), by operation and error",
    ["operation", "error"],
)
CACHE_UNASKED = prometheus_client.Counter(
    "portal_cache_unasked", "Cache operations answered as a miss without asking Redis, the circuit being open",
    ["operation"],
)
CIRCUIT_OPENS = prometheus_client.Counter(
    "portal_cache_circuit_opens", "Times the cache's circuit opened (Redis failed too often in a row)",
)


class _LogStateChanges(pybreaker.CircuitBreakerListener):
    def state_change(self, cb, old_state, new_state):
        if new_state.name == pybreaker.STATE_OPEN:
            CIRCUIT_OPENS.inc()
            logger.warning("cache circuit open: Redis failed %s times in a row; serving without the cache for %s s",
                           cb.fail_max, cb.reset_timeout)
        elif new_state.name == pybreaker.STATE_CLOSED:
            logger.warning("cache circuit closed: Redis answers again")


def _breaker() -> pybreaker.CircuitBreaker:
    return pybreaker.CircuitBreaker(
        fail_max=settings.REDIS_CACHE_CIRCUIT_FAILURES,
        reset_timeout=settings.REDIS_CACHE_CIRCUIT_RESET_SECONDS,
        # Only Redis failing counts: a missing key (``incr``'s ValueError) or a bad value is no outage.
        exclude=[lambda exc: not isinstance(exc, RedisError)],
        listeners=[_LogStateChanges()],
        throw_new_error_on_trip=False,  # the failure that opens the circuit is logged as itself
        name="cache",
    )


class DegradingRedisCache(RedisCache):
    """Django's ``RedisCache`` that never fails a request because of Redis (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.circuit = _breaker()

    def _guarded(self, operation, on_failure, *args, **kwargs):
        try:
            return self.circuit.call(operation, *args, **kwargs)
        except pybreaker.CircuitBreakerError:
            CACHE_UNASKED.labels(operation=operation.__name__).inc()
            return on_failure
        except RedisError as exc:
            CACHE_ERRORS.labels(operation=operation.__name__, error=exc.__class__.__name__).inc()
            logger.warning("cache unavailable (%s: %s); answered without it", exc.__class__.__name__, exc)
            return on_failure

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        unavailable = object()
        value = self._guarded(super().incr, unavailable, key, delta, version)
        if value is unavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self._guarded(super().clear, False)
