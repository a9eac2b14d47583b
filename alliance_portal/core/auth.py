"""The API's authentication, token scope and throttles (knox tokens for dashboard clients, browser sessions).

Knox authenticates ``Authorization: Token …`` and puts the ``AuthToken`` in ``request.auth``;
browser sessions have no token there and are throttled per user instead.
"""

from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired
from rest_framework import permissions, throttling


def token_of(request) -> AuthToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AuthToken) else None


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication, in one query.

    knox loads every other token of the user on every request to delete the expired ones. Here only the
    token presented is checked (expired: refused and deleted, as before); a user's other expired tokens are
    deleted when the admin creates a new token for that user (``delete_expired_tokens``). An expired token
    never authenticates either way.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


def delete_expired_tokens(user) -> int:
    return AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()[0]


def token_is_read_only(token: AuthToken) -> bool:
    """A token without a scope row (created outside the portal's admin page) is read-only.

    The row is ``dashboards.ApiTokenScope``, read through knox's token (``token.scope``), so that the core
    imports no app."""
    try:
        return token.scope.is_read_only
    except ObjectDoesNotExist:
        return True


class TokenScopePermission(permissions.BasePermission):
    """Read-only tokens may only read: unsafe methods are refused with 403."""

    message = _("This API token is read-only.")
    code = "read_only_token"

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        token = token_of(request)
        return token is None or not token_is_read_only(token)


def _counted(key: str, duration: int) -> int:
    """Add one to the request counter under ``key``, which starts its window of ``duration`` seconds at its
    first request; returns the new count.

    When the cache is unavailable (``DegradingRedisCache`` answers as a miss and logs it) the count is 1:
    the throttle fails open rather than refusing every client while Redis is away.
    """
    cache = caches["default"]
    try:
        return cache.incr(key)
    except ValueError:  # first request of a window (or the cache is unavailable)
        if cache.add(key, 1, duration):
            return 1
    try:
        return cache.incr(key)  # another request started the window between the two calls
    except ValueError:
        return 1


class CountingThrottle(throttling.SimpleRateThrottle):
    """DRF's rate throttle with a counter instead of a list of request times.

    DRF's ``SimpleRateThrottle`` keeps the time of every request in the window as a list, read, trimmed,
    prepended to and written back on each request: its cost grows with the rate (600 times a minute lets
    the list reach 600 entries; at the benchmark's raised rates it reached tens of thousands and cost
    milliseconds). This counts requests in a window that starts at the key's first request (an atomic
    increment in the cache; fails open while the cache is unavailable). Like any fixed window it may let up to twice the rate through across the edge
    of two windows; it never lets more than the rate through within one.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        if _counted(self.key, self.duration) > self.num_requests:
            return self.throttle_failure()
        return True

    def wait(self):
        return self.duration  # the window's start is not kept: the longest wait is announced


class AnonRateThrottle(CountingThrottle, throttling.AnonRateThrottle):
    """Anonymous requests per client address: rate ``anon``."""


class TokenRateThrottle(CountingThrottle):
    """Requests per token (keyed on knox's digest, never the token itself): rate ``token``."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.digest}


class SessionRateThrottle(CountingThrottle, throttling.UserRateThrottle):
    """Requests per signed-in browser user: rate ``user``. Token requests are counted per token instead."""

    def get_cache_key(self, request, view):
        if token_of(request) is not None:
            return None
        return super().get_cache_key(request, view)
