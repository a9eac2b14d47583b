"""One log line per request and per Celery task, each carrying a request id.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id, returns it in the
``X-Request-ID`` header (and on the 500 page, so that a user can quote it), and writes one line to the
``portal.request`` logger when the response leaves: method, path, status, duration, user id. With
``LOG_FORMAT=json`` (settings) those lines, like every other line, are JSON objects, one per line.

``sql_count`` is the difference of django-prometheus's statement counter (``django_db_execute_total``, which its
database backends count in this process) read before and after the request, through prometheus_client's public
``collect()``; no database call is wrapped or read here. The counter is per process, so the difference is the
request's own only while no other request runs in the process: a request that overlapped another one (gunicorn's
gthread workers, runserver's threads) gets no ``sql_count`` rather than a figure that includes its neighbours'.
"""

import logging
import re
import threading
import time
import uuid
from contextvars import ContextVar

from celery import signals
from django.conf import settings
from django.db import connections
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django_prometheus.db import metrics as db_metrics

request_logger = logging.getLogger("portal.request")
task_logger = logging.getLogger("portal.task")

REQUEST_ID_HEADER = "X-Request-ID"
# An id passed on by our own proxy (nginx's $request_id: 32 hex digits) is kept; anything else is replaced.
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_request_id: ContextVar[str | None] = ContextVar("portal_request_id", default=None)


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


def statements_counted() -> bool:
    """Whether every database of the process counts its statements in ``django_db_execute_total`` (the
    settings give django-prometheus's backends to PostgreSQL and SQLite; another engine would count none)."""
    return all(connections[alias].settings_dict["ENGINE"].startswith("django_prometheus.db.backends.")
               for alias in connections)


def statements_executed() -> float:
    """Statements executed by this process so far, all databases together (django-prometheus's counter)."""
    return sum(sample.value for metric in db_metrics.execute_total.collect() for sample in metric.samples
               if sample.name.endswith("_total"))


class _Alone:
    """Which requests of this process ran alone: a request that began or ended while another was in flight is
    marked shared, and its statement difference is not its own."""

    def __init__(self):
        self._lock = threading.Lock()
        self._in_flight: dict[int, bool] = {}  # request's token → shared with another request
        self._next = 0

    def enter(self) -> int:
        with self._lock:
            self._next += 1
            shared = bool(self._in_flight)
            for token in self._in_flight:
                self._in_flight[token] = True
            self._in_flight[self._next] = shared
            return self._next

    def leave(self, token: int) -> bool:
        """Whether the request ran alone."""
        with self._lock:
            return not self._in_flight.pop(token)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.count_statements = statements_counted()
        self.alone = _Alone()

    def __call__(self, request):
        request_id = _new_request_id(request)
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        alone_token = self.alone.enter()
        statements_before = statements_executed() if self.count_statements else None
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
            statements_after = statements_executed() if self.count_statements else None
            if self.alone.leave(alone_token) and statements_before is not None:
                fields["sql_count"] = int(statements_after - statements_before)
            alone_token = None
            request_logger.info("%s %s %s", request.method, request.path, response.status_code, extra=fields)
            return response
        finally:
            if alone_token is not None:  # the view raised: no line, but no request left in flight either
                self.alone.leave(alone_token)
            _request_id.reset(id_token)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (or task's) to every record, so that any line can be joined to its
    request line."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


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
