"""Requests through the portal's real WSGI application, in process.

Django's test client leaves out what a server does around each request (``close_old_connections`` at
its start and end, which is where a dead database connection is noticed and replaced); a fault test
needs exactly that part, so these requests go through ``alliance_portal.wsgi.application`` as a WSGI
server would call it. A signed-in visitor carries a session cookie and a CSRF cookie + header pair.
"""

import io
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client

from alliance_portal.wsgi import application


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Visitor:
    """One browser: its cookies, sent with every request to the in-process WSGI application."""

    def __init__(self, user=None):
        self.csrf = secrets.token_hex(16)  # an unmasked 32-character secret: cookie and header agree
        self.cookies = {settings.CSRF_COOKIE_NAME: self.csrf}
        if user is not None:
            client = Client()
            client.force_login(user)
            self.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        body = urlencode(data or {}, doseq=True).encode()
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.20",
            "HTTP_HOST": "testserver", "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "HTTP_X_CSRFTOKEN": self.csrf, "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = int(status.split()[0]), dict(headers)

        result = application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()  # fires request_finished, as a server does
        return Answer(started["status"], started["headers"], content)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, data)
