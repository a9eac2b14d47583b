import datetime

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from reminders import tasks as reminder_tasks
from reminders.models import Kind, Reminder

pytestmark = pytest.mark.django_db


def _samples(response):
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_refuse_an_address_not_allowed(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 403
    assert b"django_http" not in response.content


def test_metrics_ignore_a_forwarded_header_naming_an_allowed_address(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert response.status_code == 403


def test_metrics_follow_the_configured_allow_list(client, settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["10.20.0.0/24"]

    assert client.get("/metrics", REMOTE_ADDR="10.20.0.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.1.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_metrics_count_requests_by_view_and_status(client):
    key = ("django_http_responses_total_by_status_view_method_total",
           (("method", "GET"), ("status", "200"), ("view", "login")))
    before = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1")).get(key, 0)

    client.get("/accounts/login/")
    client.get("/accounts/login/")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = _samples(response)
    assert samples[key] == before + 2
    assert any(name == "django_http_requests_latency_seconds_by_view_method_count" and ("view", "login") in labels
               for name, labels in samples)
    assert any(name == "django_db_execute_total" for name, _labels in samples)


def test_metrics_count_task_outcomes():
    labels = {"task": "reminders.tasks.redeliver_stale_reminders", "outcome": "SUCCESS"}
    before = REGISTRY.get_sample_value("portal_celery_tasks_total", labels) or 0

    reminder_tasks.redeliver_stale_reminders.delay()

    assert REGISTRY.get_sample_value("portal_celery_tasks_total", labels) == before + 1


def test_metrics_report_reminders_by_state_and_undelivered(client, member):
    now = timezone.now()
    common = {"subject_type": "alliances.alliance", "kind": Kind.ASSESSMENT, "due_date": datetime.date(2027, 3, 1),
              "recipient": member}
    Reminder.objects.create(subject_id=1, stage="60d", state=Reminder.State.SENT, **common)
    Reminder.objects.create(subject_id=2, stage="60d", state=Reminder.State.SENT, **common)
    Reminder.objects.create(subject_id=3, stage="60d", state=Reminder.State.PENDING, **common)
    Reminder.objects.create(subject_id=4, stage="60d", state=Reminder.State.PENDING,
                            created_at=now - datetime.timedelta(days=1), **common)

    samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1"))

    assert samples[("portal_reminders", (("state", "sent"),))] == 2
    assert samples[("portal_reminders", (("state", "pending"),))] == 2
    assert samples[("portal_reminders", (("state", "cancelled"),))] == 0
    assert samples[("portal_reminders_undelivered", ())] == 1


@pytest.fixture
def queued_tasks():
    """Tasks sent to the broker (the embedded default's in-memory one, or CI's Redis) into a queue of the test's
    own, which no worker reads; purged before and after."""
    from alliance_portal.celery import app

    queue = "metrics-test-queue"
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue

    def send(count):
        for _ in range(count):
            app.send_task("operability.never_run", queue=queue)

    def purge():
        with app.connection_for_write() as connection:
            connection.default_channel.queue_declare(queue=queue)
            connection.default_channel.queue_purge(queue)

    purge()  # whatever an interrupted run left behind
    yield send
    purge()
    app.conf.task_always_eager, app.conf.task_default_queue = previous


def test_metrics_report_the_queue_length(client, queued_tasks):
    queued_tasks(3)

    samples = _samples(client.get("/metrics", REMOTE_ADDR="127.0.0.1"))

    assert samples[("portal_celery_queue_length", (("queue", "metrics-test-queue"),))] == 3
    assert samples[("portal_celery_broker_up", ())] == 1


def _db_errors():
    return sum(sample.value for family in REGISTRY.collect() if family.name == "django_db_errors"
               for sample in family.samples
               if sample.name == "django_db_errors_total" and sample.labels["alias"] == "default")


def test_metrics_count_database_errors():
    from django.db import DatabaseError, connection, transaction

    before = _db_errors()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM metrics_test_no_such_table")

    assert _db_errors() == before + 1
