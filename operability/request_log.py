"""One log line per request and per Celery task, each carrying a request id.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id, returns it in the
``X-Request-ID`` header (and on the 500 page, so that a user can quote it), and writes one line to the
``portal.request`` logger when the response leaves: method, path, status, duration, user id. With
``LOG_FORMAT=json`` (settings) those lines, like every other line, are JSON objects, one per line.

The SQL count is taken from Django's documented ``django.db.backends`` logger, which logs every statement
only while ``DEBUG`` is on: in development the line has ``sql_count``; in production Django logs no
statements and the field is left out rather than guessed (counting them otherwise would mean wrapping
database execution; ``django_db_execute_total`` in the metrics counts them per process).
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery import signals
from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

request_logger = logging.getLogger("portal.request")
task_logger = logging.getLogger("portal.task")

REQUEST_ID_HEADER = "X-Request-ID"
# An id passed on by our own proxy (nginx's $request_id: 32 hex digits) is kept; anything else is replaced.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request_id: ContextVar[str | None] = ContextVar("portal_request_id", default=None)
_sql_count: ContextVar[list[int] | None] = ContextVar("portal_sql_count", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def _new_request_id(request) -> str:
    if getattr(settings, "REQUEST_ID_FROM_PROXY", False):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        if _ACCEPTED_ID.match(offered):
            return offered
    return uuid.uuid4().hex


def _user_id(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _new_request_id(request)
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        count_token = _sql_count.set([0])
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            fields = {
                "request_id": request_id,
                "user_id": _user_id(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            if settings.DEBUG:  # Django logs each statement (and so we count them) only then
                fields["sql_count"] = _sql_count.get()[0]
            request_logger.info("%s %s %s", request.method, request.path, response.status_code, extra=fields)
            return response
        finally:
            _sql_count.reset(count_token)
            _request_id.reset(id_token)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (or task's) to every record, so that any line can be joined to its
    request line."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class SqlCountHandler(logging.Handler):
    """Counts the statements Django logs to ``django.db.backends`` during the current request."""

    def emit(self, record):
        counter = _sql_count.get()
        if counter is not None and getattr(record, "sql", None) is not None:
            counter[0] += 1


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's 500 view, with the request id on the page for the user to quote."""
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))


# --- Celery: one line per task, with the id of the request that enqueued it ------------------------------
_task_started: dict[str, float] = {}


@signals.before_task_publish.connect
def _pass_request_id(headers=None, **kwargs):
    request_id = _request_id.get()
    if headers is not None and request_id and "portal_request_id" not in headers:
        headers["portal_request_id"] = request_id


@signals.task_prerun.connect
def _task_started_at(task_id=None, task=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _log_task(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    request_id = getattr(task.request, "portal_request_id", None) or _request_id.get()
    task_logger.info(
        "task %s %s", task.name, state,
        extra={
            "request_id": request_id,
            "task_id": task_id,
            "task": task.name,
            "state": state,
            "duration_ms": None if started is None else round((time.perf_counter() - started) * 1000, 1),
        },
    )
