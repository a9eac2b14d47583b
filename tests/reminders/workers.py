"""Real Celery worker processes for the worker tests, and a producer on the same private key prefix."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import redis
from celery import Celery
from django.conf import settings
from django.db import connection


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.25):
    """Poll ``predicate`` until it is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if result := predicate():
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def worker_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database), for the workers."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Broker:
    """Redis under a key prefix of its own: sends tasks by name, removes its keys at the end."""

    def __init__(self, redis_url: str):
        self.redis_url = redis_url
        self.prefix = f"reminders-test-{uuid.uuid4().hex[:12]}:"
        self.producer = Celery("reminders-test-producer", broker=redis_url)
        self.producer.conf.broker_transport_options = {"global_keyprefix": self.prefix}

    def send(self, task: str, **kwargs) -> None:
        self.producer.send_task(task, kwargs=kwargs)

    def close(self) -> None:
        self.producer.close()
        client = redis.Redis.from_url(self.redis_url)
        try:
            for key in client.scan_iter(match=f"{self.prefix}*"):
                client.delete(key)
        finally:
            client.close()


class Worker:
    """``celery -A tests.reminders.worker_app worker --pool=solo`` on the test database, logging to a file."""

    def __init__(self, broker: Broker, log: Path, **env):
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alliance_portal.settings",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DB_CONN_MAX_AGE": "0",
            "EMAIL_URL": "memorymail://",  # emails are sent (and counted) but not printed into the log
            "REMINDER_TEST_PREFIX": broker.prefix,
            **{key: str(value) for key, value in env.items()},
        }
        self.name = f"reminders-test-{uuid.uuid4().hex[:8]}@%h"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "tests.reminders.worker_app", "worker", "--pool=solo",
                 "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO",
                 "-n", self.name],
                cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 120) -> "Worker":
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited with {self.process.returncode}:\n{self.output()}")
            return " ready." in self.output()

        wait_until(ready, timeout=timeout, what=f"the worker to start; its log:\n{self.output()}")
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, the open transaction dies with the connection."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
