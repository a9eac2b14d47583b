"""API tokens for dashboard clients: read-only scope and a throttle per token.

Knox authenticates ``Authorization: Token …`` and puts the ``AuthToken`` in ``request.auth``;
browser sessions have no token there and are throttled per user instead.
"""

from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from rest_framework import permissions, throttling

from .models import ApiTokenScope


def token_of(request) -> AuthToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AuthToken) else None


def token_is_read_only(token: AuthToken) -> bool:
    """A token without a scope row (created outside the portal's admin page) is read-only."""
    try:
        return token.scope.is_read_only
    except ApiTokenScope.DoesNotExist:
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


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (keyed on knox's digest, never the token itself): rate ``token``."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.digest}


class SessionRateThrottle(throttling.UserRateThrottle):
    """Requests per signed-in browser user: rate ``user``. Token requests are counted per token instead."""

    def get_cache_key(self, request, view):
        if token_of(request) is not None:
            return None
        return super().get_cache_key(request, view)
