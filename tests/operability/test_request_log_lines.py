import io
import json
import logging
import threading
from datetime import datetime, timedelta

import pytest
from django.http import HttpResponse
from django.urls import path
from pythonjsonlogger.json import JsonFormatter

from accounts import views as account_views
from alliance_portal import urls as portal_urls
from operability.request_log import RequestIdFilter, RequestLogMiddleware
from reminders import tasks as reminder_tasks

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom", _boom), path("", account_views.home, name="home")]
handler500 = portal_urls.handler500


@pytest.fixture
def json_lines(settings):
    """The portal.request and portal.task lines as LOG_FORMAT=json writes them (the settings' formatter)."""
    options = {key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("portal.request"), logging.getLogger("portal.task")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)  # as with LOG_REQUESTS (on in production and with LOG_FORMAT=json)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_request_line_has_id_user_path_status_duration(client, member, json_lines):
    client.force_login(member)

    response = client.get("/", {"page": "1"})

    assert response.status_code == 200
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert set(line) == {"time", "level", "logger", "message", "request_id", "user_id", "method", "path",
                         "status", "duration_ms", "sql_count"}
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert (line["user_id"], line["method"], line["path"], line["status"]) == (member.pk, "GET", "/", 200)
    assert line["level"] == "INFO"
    assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)
    assert line["message"] == "GET / 200"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_request_line_anonymous_has_no_user_and_each_request_its_own_id(client, json_lines):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")

    lines = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert [line["user_id"] for line in lines] == [None, None]
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_request_line_counts_the_requests_sql_statements(client, member, json_lines, settings,
                                                          django_assert_num_queries, django_assert_max_num_queries):
    assert settings.DEBUG is False  # counted from django-prometheus's counter, not from Django's debug log
    client.force_login(member)
    with django_assert_max_num_queries(30) as first:  # the first request may read what later ones find cached
        client.get("/")

    with django_assert_num_queries(11) as queries:
        client.get("/")
    with django_assert_num_queries(2) as login_queries:
        client.get("/accounts/login/")

    lines = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert [(line["path"], line["sql_count"]) for line in lines] == [
        ("/", len(first.captured_queries)), ("/", len(queries.captured_queries)),
        ("/accounts/login/", len(login_queries.captured_queries))]


def test_request_that_overlaps_another_in_the_process_has_no_sql_count(rf, json_lines):
    """gunicorn's gthread workers and runserver serve requests on threads of one process: the per-process
    counter's difference would include the other request's statements, so neither line has the field."""
    both_in_flight = threading.Barrier(2, timeout=5)

    def view(request):
        if request.path == "/together":
            both_in_flight.wait()
        return HttpResponse("ok")

    middleware = RequestLogMiddleware(view)
    threads = [threading.Thread(target=middleware, args=(rf.get("/together"),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    middleware(rf.get("/alone"))

    lines = {(line["path"], "sql_count" in line) for line in json_lines() if line["logger"] == "portal.request"}
    assert lines == {("/together", False), ("/alone", True)}
    assert len([line for line in json_lines() if line["path"] == "/together"]) == 2


def test_offered_request_id_is_ignored_unless_from_our_proxy(client, settings):
    settings.REQUEST_ID_FROM_PROXY = False
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] != "abcdef0123456789"

    settings.REQUEST_ID_FROM_PROXY = True
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == "abcdef0123456789"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\n{\"status\": 200}")
    assert len(forged["X-Request-ID"]) == 32
    assert "{" not in forged["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_server_error_page_shows_the_request_id(client, json_lines):
    client.raise_request_exception = False

    response = client.get("/boom")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()
    [line] = [line for line in json_lines() if line["logger"] == "portal.request"]
    assert (line["request_id"], line["status"], line["path"]) == (request_id, 500, "/boom")


def test_task_line_names_task_outcome_and_enqueuing_request(json_lines):
    reminder_tasks.redeliver_stale_reminders.delay()

    [line] = [line for line in json_lines() if line["logger"] == "portal.task"]
    assert line["task"] == "reminders.tasks.redeliver_stale_reminders"
    assert line["state"] == "SUCCESS"
    assert line["request_id"] is None  # enqueued outside any request
    assert line["task_id"]
    assert line["duration_ms"] >= 0
