"""Remembers the current request's user and client address so services can audit without a request."""

import time
from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def client_ip_of(request) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class IdleSessionMiddleware:
    """Keeps a used session alive: sessions end after ``SESSION_COOKIE_AGE`` (30 minutes) without a request.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would do it by writing the session row (three statements) on
    every request. This writes it at most once a ``REFRESH_SECONDS``: a request renews the session when its
    last renewal is older than that, so a session lives between 29 and 30 idle minutes, never longer.
    Requests without a session (anonymous visitors of public pages) are left alone.
    """

    REFRESH_SECONDS = 60
    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key and time.time() - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
            self.renewed(session)
        return self.get_response(request)

    @classmethod
    def renewed(cls, session) -> None:
        """Mark the session renewed now (a modified session is saved with a new expiry)."""
        session[cls.KEY] = int(time.time())
