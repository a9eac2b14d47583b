"""Run by test_error_reporting_scrub in a process of its own (the SDK patches Django once per process): the SDK
started with the portal's own options, except that it is allowed everything (personal data, request bodies, local
variables) so that the raw event holds all there is to scrub, and a transport that keeps events instead of
sending them. One failing request; prints each raw event (as ``before_send`` receives it) as a JSON line."""

import copy
import io
import json
import logging
import os
import sys
from urllib.parse import urlencode

os.environ["DJANGO_SETTINGS_MODULE"] = "alliance_portal.settings"
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", "sessions", verbosity=0)  # the session cookie is looked up

import sentry_sdk  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

from alliance_portal import urls  # noqa: E402
from alliance_portal.wsgi import application  # noqa: E402
from operability import error_reporting  # noqa: E402

raw_events = []


class KeepingTransport(Transport):
    """No network: what would be sent is kept (nothing is, as ``before_send`` below drops every event)."""

    def capture_envelope(self, envelope):
        pass


def keep_raw(event, hint):
    raw_events.append(copy.deepcopy(event))
    return None


options = error_reporting.sdk_options(dsn="http://public@127.0.0.1:9/1", environment="test", release=None,
                                      traces_sample_rate=0)
options.update(send_default_pii=True, max_request_body_size="always", include_local_variables=True,
               before_send=keep_raw, transport=KeepingTransport)
sentry_sdk.init(**options)

email, phone, code = (os.environ[f"CHECK_{key}"] for key in ("EMAIL", "PHONE", "CODE"))


@csrf_exempt  # the failure under test is the view's, not a refusal at the door
def fails(request):
    contact = request.POST.get("email")  # a local variable holding personal data
    # a careless log line: a breadcrumb of the event, with the credentials in its text
    logging.getLogger("accounts").warning("sign-up of %s (%s) refused; credentials %s, cookie sessionid=%s",
                                          contact, request.POST.get("phone"), request.headers["Authorization"],
                                          request.COOKIES["sessionid"])
    raise RuntimeError(f'duplicate key value violates unique constraint "accounts_user_email_key"\n'
                       f"DETAIL:  Key (email)=({contact}) already exists; credit code {request.POST['credit_code']}")


urls.urlpatterns.append(path("sentry-check-fails", fails))
# Through the WSGI application, as gunicorn calls it (the SDK's WSGI middleware adds the request's URL and headers).
body = urlencode({"email": email, "phone": phone, "credit_code": code}).encode()
environ = {
    "REQUEST_METHOD": "POST", "PATH_INFO": "/sentry-check-fails",
    "QUERY_STRING": f"token={os.environ['CHECK_TOKEN']}&page=2",
    "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
    "HTTP_COOKIE": f"sessionid={os.environ['CHECK_SESSION']}; csrftoken={os.environ['CHECK_CSRF']}",
    "HTTP_AUTHORIZATION": f"Token {os.environ['CHECK_TOKEN']}", "HTTP_HOST": "127.0.0.1",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "127.0.0.1",
    "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
    "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
    "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0),
}
answer = {}


def start_response(status, headers, exc_info=None):
    answer.update(status=int(status.split()[0]), headers=dict(headers))


b"".join(application(environ, start_response))
print(json.dumps({"status": answer["status"], "request_id": answer["headers"]["X-Request-ID"]}))
for event in raw_events:
    print(json.dumps(event, ensure_ascii=False, default=str))
