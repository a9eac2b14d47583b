"""Run by test_error_reporting_delivery in a process of its own (the SDK patches Django once per process): a
collector on a free port, the portal with SENTRY_DSN pointing at it, one failing request; prints the request id
and every event received, as JSON lines."""

import gzip
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

received = []


class Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Collector)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["SENTRY_DSN"] = f"http://public@127.0.0.1:{server.server_port}/1"
os.environ["DJANGO_SETTINGS_MODULE"] = "alliance_portal.settings"
sys.path.insert(0, os.getcwd())

import django  # noqa: E402

django.setup()

import sentry_sdk  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

from alliance_portal import urls  # noqa: E402


def fails(request):
    raise RuntimeError("the view failed")


urls.urlpatterns.append(path("sentry-check-fails", fails))
# The personal values come from the environment: the event carries source lines around each frame (and the
# command line), and these must not be what the test finds.
phone, name, session = (os.environ[f"CHECK_{key}"] for key in ("PHONE", "NAME", "SESSION"))
response = Client(raise_request_exception=False).post(
    f"/sentry-check-fails?phone={phone}", {"contact_name": name}, HTTP_COOKIE=f"sessionid={session}")
sentry_sdk.flush(10)
print(json.dumps({"status": response.status_code, "request_id": response["X-Request-ID"]}))
for body in received:
    for line in body.split(b"\n"):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and "exception" in item:
            print(json.dumps(item, ensure_ascii=False))
