"""Remembers the current request's user and client address so services can audit without a request,
records the requests refused at the door, and refuses bodies in a charset that is no text encoding."""

import re
import time
from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.core.exceptions import BadRequest

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
# Set per request by RefusalAuditMiddleware: a list that gets an entry when the request's refusal is audited.
_refusals_audited: ContextVar[list | None] = ContextVar("refusals_audited", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def client_ip_of(request) -> str | None:
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


class DeclaredCharsetMiddleware:
    """Refuses (400) a request whose Content-Type declares a charset Python knows but that decodes no text
    (``multipart/form-data; charset=rot13``, ``base64``, ``zlib``, ``undefined``): Django takes any known codec
    as the request's encoding and then fails with a 500 decoding the form with it. A charset Python does not
    know is ignored by Django (UTF-8), and a urlencoded body in another charset is Django's own 400; those pass.
    (A query string is decoded while Django builds the request, before any middleware: that case stays
    Django's.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.encoding:
            try:
                b"a".decode(request.encoding, "replace")  # an empty input would not reach the codec
            except (LookupError, UnicodeError):
                raise BadRequest(f"The declared charset {request.encoding!r} is not a text encoding.") from None
        return self.get_response(request)


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


def note_refusal_audited() -> None:
    """``audit.record`` calls this for every refusal: the current request's refusal is in the trail already."""
    audited = _refusals_audited.get()
    if audited is not None:
        audited.append(True)


class RefusalAuditMiddleware:
    """Puts every access refused at the door in the audit trail: action ``access_refused``, outcome refused,
    with the user (none when anonymous), time, client address, method, path, status and view name.

    Recorded:

    - 403: a view's ``PermissionDenied`` (also rules' ``permission_required``), a CSRF failure, the API's
      permission refusals;
    - 401: the API without (valid) credentials;
    - 404 on an object URL for a signed-in user. Querysets filter first, so another organisation's object is
      a 404. Only resolved URL patterns that capture an object key (``pk``, ``id``, ``slug``, ``…_pk``,
      ``…_id``) count, and only for signed-in users: anonymous scanning of unknown paths (object pages send
      anonymous visitors to the login page anyway) does not flood the table.

    A refusal a service has recorded already, with its reason (``NotPermitted``, which the API answers 403),
    is not recorded twice. A normal response costs one status comparison, a refusal one INSERT. The path is
    kept without its query string and with any ``token`` in it blanked; no body, header or credential is.
    Placed after ``AuthenticationMiddleware`` (it names the user); CSRF failures, views, DRF responses and the
    error handlers all answer inside it.
    """

    ACTION = "access_refused"
    OBJECT_KEY = re.compile(r"(?:^|_)(?:pk|id|slug)$")
    SECRET_KWARGS = ("token",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        audited = []
        previous = _refusals_audited.set(audited)
        try:
            response = self.get_response(request)
        finally:
            _refusals_audited.reset(previous)
        if response.status_code in (401, 403, 404) and not audited and self.is_refusal(request, response):
            self.record(request, response)
        return response

    @classmethod
    def is_refusal(cls, request, response) -> bool:
        if response.status_code != 404:
            return True
        match = getattr(request, "resolver_match", None)
        if match is None or not any(cls.OBJECT_KEY.search(name) for name in match.kwargs):
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    @classmethod
    def record(cls, request, response) -> None:
        from .audit import AuditEvent, record  # audit imports this module

        match = getattr(request, "resolver_match", None)
        path = request.path
        for name in cls.SECRET_KWARGS:
            secret = match.kwargs.get(name) if match is not None else None
            if secret:
                path = path.replace(str(secret), "***")
        record(
            cls.ACTION, user=getattr(request, "user", None), outcome=AuditEvent.Outcome.REFUSED,
            ip_address=client_ip_of(request), method=request.method, path=path[:500], status=response.status_code,
            view=match.view_name if match is not None else "",
        )
