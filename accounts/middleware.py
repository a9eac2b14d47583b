"""Remembers the current request's user and client address so services can audit without a request."""

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
