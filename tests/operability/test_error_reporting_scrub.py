"""``before_send`` on a real event: the SDK, started in a process of its own with everything allowed (personal
data, request body, local variables) and a transport that sends nothing, captures a failing request's event; the
test checks the raw event holds each personal value and credential, and that ``scrub`` leaves none of them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from operability import request_log
from operability.error_reporting import scrub, scrub_text

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = {
    "EMAIL": "zhang.san@example.com",
    "PHONE": "13812345678",
    "CODE": "91370303MA3CGLQX1P",
    "TOKEN": "9f2c4e7a1b3d5f6081726354abcdefab",
    "SESSION": "s3ss10nk3yv4lu3xyz",
    "CSRF": "Csrf0Value1Of2Thirty3Two4Chars5x",  # filtered by the SDK itself (the Cookie header)
}


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    work = tmp_path_factory.mktemp("sentry")
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "REDIS_BROKER_URL", "DJANGO_ENV",
                           "SENTRY_DSN"}}
    env.update({f"CHECK_{key}": value for key, value in PERSONAL.items()})
    env.update(DATABASE_URL=f"sqlite:///{work / 'portal.sqlite3'}", MEDIA_ROOT=str(work / "uploads"),
               LOG_LEVEL="WARNING")  # the view's warning is a breadcrumb
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("sentry_capture_run.py"))], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=True)
    first, *events = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["status"] == 500
    [event] = events
    return first, event


def test_the_raw_event_carries_every_personal_value(captured):
    _first, event = captured
    text = json.dumps(event, ensure_ascii=False)
    assert {key for key, value in PERSONAL.items() if value not in text} == {"CSRF"}
    assert event["request"]["query_string"] == f"token={PERSONAL['TOKEN']}&page=2"
    assert event["request"]["data"]["email"] == PERSONAL["EMAIL"]
    assert any(crumb.get("category") == "accounts" for crumb in event["breadcrumbs"]["values"])


def test_scrub_leaves_no_personal_value_and_keeps_the_error(captured):
    first, event = captured
    token = request_log._request_id.set(first["request_id"])
    try:
        scrubbed = scrub(json.loads(json.dumps(event)), {})
    finally:
        request_log._request_id.reset(token)

    text = json.dumps(scrubbed, ensure_ascii=False)
    assert {key for key, value in PERSONAL.items() if value in text} == set()
    [error] = scrubbed["exception"]["values"]
    assert error["type"] == "RuntimeError"
    assert error["value"] == ('duplicate key value violates unique constraint "accounts_user_email_key"\n'
                              "DETAIL:  Key (email)=([email]) already exists; credit code [credit-code]")
    assert error["stacktrace"]["frames"][-1]["function"] == "fails"
    assert all("vars" not in frame for frame in error["stacktrace"]["frames"])
    assert set(scrubbed["request"]) == {"method", "url", "headers"}
    assert scrubbed["request"]["url"].endswith("/sentry-check-fails")
    assert "authorization" not in {name.lower() for name in scrubbed["request"]["headers"]}
    assert "cookie" not in {name.lower() for name in scrubbed["request"]["headers"]}
    [crumb] = [crumb for crumb in scrubbed["breadcrumbs"]["values"] if crumb.get("category") == "accounts"]
    assert crumb["message"] == ("sign-up of [email] ([phone]) refused; credentials Token [Filtered], cookie "
                                "sessionid=[Filtered]")
    assert scrubbed["tags"]["request_id"] == first["request_id"]
    assert set(scrubbed.get("user", {})) <= {"id"}


def test_scrub_text_replaces_credentials_and_query_values_in_free_text():
    assert scrub_text("GET /verify?token=abc123&page=2 failed; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x "
                      "Cookie: sessionid=k3y; csrftoken=c5rf") == (
        "GET /verify?token=[Filtered]&page=[Filtered] failed; Authorization: Bearer [Filtered] "
        "Cookie: sessionid=[Filtered]; csrftoken=[Filtered]")
    request_id = "0123456789abcdef13812345678abcde"
    assert scrub_text(f"request {request_id}") == f"request {request_id}"  # hex ids are no phone numbers
