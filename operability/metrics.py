"""The Prometheus endpoint ``/metrics``, for allow-listed addresses only.

What it exposes:
- django-prometheus (middleware, database backend): requests by view, method and status, latency
  histograms per view, database statements, errors and new connections per alias;
- Celery task outcomes (``portal_celery_tasks_total``, counted where the task runs: the web process when tasks
  run eagerly, the worker otherwise; the worker serves its own on ``WORKER_METRICS_PORT``);
- read when scraped: the Celery queue's length and the reminders by state (rows in the database, so every
  process agrees; a reminder still pending after ``REDELIVER_AFTER_MINUTES`` is one whose delivery failed or
  was lost).

The address checked is ``REMOTE_ADDR``, never a forwarded header (a client can write those): Prometheus scrapes
the web container directly, and nginx does not pass ``/metrics`` on (deploy/nginx.conf).
"""

import ipaddress
import logging
import os
from datetime import timedelta

import prometheus_client
from celery import signals
from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import ChannelError
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

TASKS = prometheus_client.Counter(
    "portal_celery_tasks", "Celery tasks finished, by task name and outcome (SUCCESS, FAILURE, RETRY, …)",
    ["task", "outcome"],
)


@signals.task_postrun.connect
def _count_task(task=None, state=None, **kwargs):
    TASKS.labels(task=task.name, outcome=state or "UNKNOWN").inc()


@signals.task_failure.connect
def _log_failure(task_id=None, exception=None, sender=None, **kwargs):
    # task_postrun counts it too (state FAILURE); this names the error for the operator.
    logger.error("task %s failed: %r", getattr(sender, "name", "?"), exception,
                 extra={"task_id": task_id, "task": getattr(sender, "name", None)})


def allowed_networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_ADDRESSES]


def is_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in allowed_networks())


class ScrapeTimeCollector:
    """Figures read when Prometheus scrapes: the broker queue's length and the reminders by state."""

    def collect(self):
        yield from self._queue_length()
        yield from self._reminders()

    def _queue_length(self):
        from alliance_portal.celery import app

        if app.conf.task_always_eager:
            return  # no queue: tasks run in the request

        queue_name = app.conf.task_default_queue
        up = GaugeMetricFamily("portal_celery_broker_up", "1 when the broker answered the queue-length query")
        length = GaugeMetricFamily("portal_celery_queue_length", "Tasks waiting in the broker queue",
                                   labels=["queue"])
        try:
            with app.connection_for_read() as connection:
                try:
                    waiting = connection.default_channel.queue_declare(queue=queue_name, passive=True).message_count
                except ChannelError:
                    waiting = 0  # not declared yet: no worker has started and nothing was sent
            length.add_metric([queue_name], waiting)
            up.add_metric([], 1)
        except Exception as error:  # a broker outage is what this reports
            logger.warning("metrics: the broker did not answer: %r", error)
            up.add_metric([], 0)
        yield up
        yield length

    def _reminders(self):
        from reminders import conf
        from reminders.models import Reminder

        by_state = GaugeMetricFamily("portal_reminders", "Reminders by state (sent, pending, cancelled)",
                                     labels=["state"])
        counts = dict(Reminder.objects.order_by().values_list("state").annotate(n=Count("pk")))
        for state in Reminder.State.values:
            by_state.add_metric([state], counts.get(state, 0))
        yield by_state
        cutoff = timezone.now() - timedelta(minutes=conf.get("REDELIVER_AFTER_MINUTES"))
        stale = GaugeMetricFamily(
            "portal_reminders_undelivered",
            "Reminders still pending after REDELIVER_AFTER_MINUTES: their delivery failed or was lost",
        )
        stale.add_metric([], Reminder.objects.filter(state=Reminder.State.PENDING, created_at__lt=cutoff).count())
        yield stale


_scrape_registry = prometheus_client.CollectorRegistry()
_scrape_registry.register(ScrapeTimeCollector())


def process_registry():
    """The counters of this process, or of every process writing to ``PROMETHEUS_MULTIPROC_DIR`` (gunicorn's
    workers, Celery's pool)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


@never_cache
@require_GET
def metrics(request):
    if not is_allowed(request.META.get("REMOTE_ADDR", "")):
        return HttpResponseForbidden("Metrics are served to the monitoring address only.\n",
                                     content_type="text/plain")
    body = prometheus_client.generate_latest(process_registry()) + prometheus_client.generate_latest(
        _scrape_registry)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)


@signals.worker_ready.connect
def _serve_worker_metrics(**kwargs):
    """The worker's own task counters, for Prometheus to scrape on the internal network (not published)."""
    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    prometheus_client.start_http_server(port, addr=settings.WORKER_METRICS_ADDRESS, registry=process_registry())
