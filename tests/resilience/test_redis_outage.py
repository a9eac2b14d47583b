"""A Redis outage (issue 23): the portal keeps serving and loses no message.

The production profile's moving parts, on the test's own Redis (started, killed, stopped with SIGSTOP and
restarted here, never the machine's): gunicorn serving the portal on the test database with Redis as
cache and broker, and a real Celery worker. While Redis is up, then down (connection refused), then hung
(accepts connections, never answers): a signed-in officer's pages, token API requests and ``/livez``
answer 200 within a second, ``/healthz`` answers 503 naming Redis (with the session cookie), and a
workflow action that notifies the applicant succeeds. Its e-mail waits in the outbox; after Redis is
back, the periodic relay hands it over and every applicant is e-mailed exactly once.
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from celery import Celery
from django.conf import settings
from django.test import Client
from knox.models import AuthToken

from accounts.roles import Role
from alliance_portal.outbox.models import OutboxMessage
from alliances.models import Alliance
from alliances.workflow import State
from dashboards.models import ApiTokenScope
from notifications.models import Notification
from tests.factories import AllianceFactory, UserFactory
from tests.reminders.workers import wait_until, worker_database_url

from .conftest import Process, free_port

pytestmark = [
    pytest.mark.resilience,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
PROMPT = 1.0  # seconds: what "answers at once" means here
CIRCUIT_RESET = 2  # seconds the server's cache and broker circuits stay open (5 and 10 in production)


def _environment(redis_url: str) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_URL", "REDIS", "DJANGO_ENV", "PYTEST", "CELERY"))}
    env.update(DJANGO_SETTINGS_MODULE="alliance_portal.settings", DATABASE_URL=worker_database_url(),
               REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="false", SECRET_KEY=settings.SECRET_KEY,
               DEBUG="false", DB_CONN_MAX_AGE="0", EMAIL_URL="consolemail://", PYTHONPATH=str(ROOT),
               REDIS_CACHE_CIRCUIT_RESET_SECONDS=str(CIRCUIT_RESET), OUTBOX_BROKER_RETRY_SECONDS=str(CIRCUIT_RESET))
    return env


@pytest.fixture
def portal(redis_server, tmp_path):
    """gunicorn (one process, four threads: one cache circuit, as in each production worker) and a worker."""
    env = _environment(redis_server.url)
    port = free_port()
    web = Process([str(Path(sys.executable).parent / "gunicorn"), "alliance_portal.wsgi", "-b", f"127.0.0.1:{port}",
                   "--worker-class", "gthread", "--workers", "1", "--threads", "4", "--timeout", "60"],
                  env, tmp_path / "gunicorn.log", ROOT)
    worker = Process([sys.executable, "-m", "celery", "-A", "alliance_portal", "worker", "--pool=solo",
                      "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO"],
                     env, tmp_path / "worker.log", ROOT)
    url = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return requests.get(f"{url}/livez", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_until(answers, timeout=60, what=f"gunicorn; its log:\n{web.output()}")
        wait_until(lambda: " ready." in worker.output(), timeout=120, what=f"the worker; its log:\n{worker.output()}")
        yield url, web, worker
    finally:
        web.stop()
        worker.stop()


@pytest.fixture
def world():
    officer = UserFactory(username="outage-officer", roles=[Role.OFFICER])
    token, plain = AuthToken.objects.create(user=officer, expiry=None)
    ApiTokenScope.objects.create(token=token, label="resilience test", scope=ApiTokenScope.Scope.WRITE)
    applications, applicants = [], []
    for n in range(3):
        alliance = AllianceFactory(name=f"缓存故障测试产业技术创新战略联盟{n}")
        applicants.append(UserFactory(organisation=alliance.chairman, roles=[Role.MEMBER],
                                      email=f"applicant{n}@unit{n}.example.cn"))
        applications.append(alliance.pk)
    Alliance.objects.filter(pk__in=applications).update(state=State.SUBMITTED, current_version=1)
    return {"officer": officer, "token": plain, "applications": applications, "applicants": applicants}


def _signed_in(url: str, user) -> requests.Session:
    """A browser session of ``user`` (made by Django's test client in the database both processes share)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.get(f"{url}/alliances/", timeout=30, allow_redirects=False).status_code == 200
    return session


def _timed(call):
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def test_redis_down_then_hung_then_back_pages_answer_and_every_message_is_delivered_once(
        redis_server, portal, world, report):
    url, web, worker = portal
    officer = _signed_in(url, world["officer"])
    api = {"Authorization": f"Token {world['token']}"}
    seen: dict[str, dict[str, tuple[int, float]]] = {}

    def visit(phase: str, application: int):
        answers = {
            "page": _timed(lambda: officer.get(f"{url}/alliances/", timeout=30)),
            "detail page": _timed(lambda: officer.get(f"{url}/alliances/{application}/", timeout=30)),
            "api": _timed(lambda: requests.get(f"{url}/api/v1/alliances/", headers=api, timeout=30)),
            "livez": _timed(lambda: officer.get(f"{url}/livez", timeout=30)),
            "healthz": _timed(lambda: officer.get(f"{url}/healthz", timeout=30)),
            "action": _timed(lambda: requests.post(f"{url}/api/v1/reviews/applications/{application}/transition/",
                                                   headers=api, json={"action": "start_screening"}, timeout=30)),
        }
        seen[phase] = {name: (answer.status_code, seconds) for name, (answer, seconds) in answers.items()}
        for name in ("page", "detail page", "api", "livez", "action"):
            assert answers[name][0].status_code == 200, (phase, name, answers[name][0].text[:500], web.output()[-3000:])
        for name in ("page", "detail page", "api", "livez"):
            assert answers[name][1] < PROMPT, (phase, name, answers[name][1])
        assert answers["action"][0].json()["transition"] is not None
        return answers["healthz"][0]

    first, down, hung = world["applications"]
    assert visit("up", first).status_code == 200
    wait_until(lambda: Notification.objects.filter(emailed_at__isnull=False).count() == 1, timeout=60,
               what=f"the first applicant's e-mail; worker log:\n{worker.output()[-3000:]}")

    redis_server.kill()
    health = visit("down", down)
    assert health.status_code == 503, health.text
    assert health.json()["checks"]["redis"].startswith("error"), health.text

    redis_server.start()
    redis_server.hang()
    time.sleep(CIRCUIT_RESET + 0.5)  # the circuits opened while Redis was down try again: they meet the hang
    health = visit("hung", hung)
    assert health.status_code == 503, health.text
    assert health.json()["checks"]["redis"].startswith("error"), health.text

    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    assert waiting == 2  # the two applicants' e-mails, decided while the broker was away
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2

    redis_server.resume()
    # beat runs the relay every 30 seconds; stand in for it with one run through the broker
    Celery("outage-test", broker=redis_server.url).send_task("alliance_portal.outbox.tasks.relay_outbox")
    wait_until(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), timeout=90,
               what=f"every e-mail sent; worker log:\n{worker.output()[-4000:]}")
    Celery("outage-test", broker=redis_server.url).send_task("alliance_portal.outbox.tasks.relay_outbox")
    wait_until(lambda: worker.output().count("relay_outbox") >= 4, timeout=60,
               what=f"the second relay; worker log:\n{worker.output()[-3000:]}")

    log = worker.output()
    emailed = Counter(applicant.email for applicant in world["applicants"] for line in log.splitlines()
                      if line.startswith("To: ") and applicant.email in line)
    assert emailed == {applicant.email: 1 for applicant in world["applicants"]}
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(Alliance.objects.filter(pk__in=world["applications"]).values_list("state", flat=True)) == {
        State.SCREENING}

    def line(phase):
        return ", ".join(f"{name} {status} in {seconds * 1000:.0f} ms" for name, (status, seconds) in seen[phase].items())

    report(f"Redis up: {line('up')}")
    report(f"Redis down (refused): {line('down')}")
    report(f"Redis hung (SIGSTOP): {line('hung')}")
    report(f"{waiting} e-mails waited in the outbox; after Redis came back one relay sent them; each of "
           f"{len(emailed)} applicants e-mailed exactly once; a second relay sent nothing")
