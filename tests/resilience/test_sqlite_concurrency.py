"""The embedded default (SQLite in a file) under concurrent writes, through a real multi-threaded server
(issue 18, finding 4): sign-ins, double-clicked workflow actions through the API and page reads at the same
time answer no 500 ("database is locked"); each double click makes one transition, and its second request
is refused as on PostgreSQL.

The server is gunicorn with gthread workers on 127.0.0.1, started on a fresh database file migrated and
seeded for this test; every request is bounded by a timeout and the whole run by its request count.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.factories import PASSWORD
from tests.reminders.workers import wait_until

from .conftest import free_port

pytestmark = pytest.mark.resilience
ROOT = Path(__file__).resolve().parents[2]
THREADS = 12


def _environment(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_URL", "REDIS", "DJANGO_ENV", "PYTEST"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="alliance_portal.settings",
               DEBUG="false", CELERY_TASK_ALWAYS_EAGER="true", PYTHONPATH=str(ROOT))
    return env


@pytest.fixture
def server(tmp_path):
    database = tmp_path / "portal.sqlite3"
    env = _environment(database)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=600)
    seeded = subprocess.run([*manage, "shell", "-c", (ROOT / "tests/resilience/sqlite_seed.py").read_text()],
                            env=env, cwd=ROOT, check=True, timeout=300, capture_output=True, text=True)
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "alliance_portal.wsgi", "-b", f"127.0.0.1:{port}",
         "--worker-class", "gthread", "--workers", "2", "--threads", "6", "--timeout", "120"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def answers():
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_until(answers, timeout=60, what="gunicorn")
        yield {"url": f"http://127.0.0.1:{port}", "database": database, "log": tmp_path / "gunicorn.log", **world}
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _signed_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=30)
    answer = session.post(f"{url}/accounts/login/", timeout=60, allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert answer.status_code == 302, answer.status_code
    return session


def test_concurrent_writes_on_sqlite_answer_no_server_error(server, report):
    url = server["url"]
    officers = [_signed_in(url, "officer") for _ in range(2)]
    statuses, lock = Counter(), threading.Lock()
    clicks: dict[int, list[int]] = {pk: [] for pk in server["applications"]}
    barrier = threading.Barrier(THREADS)

    def record(kind, status):
        with lock:
            statuses[(kind, status)] += 1

    def work(index):
        barrier.wait(timeout=60)
        for round_number in range(len(server["applications"])):
            pk = server["applications"][round_number]
            if index < 2:  # the officer double-clicks "start screening" in two tabs at once
                session = officers[index]
                answer = session.post(f"{url}/api/v1/reviews/applications/{pk}/transition/", timeout=60,
                                      json={"action": "start_screening"},
                                      headers={"X-CSRFToken": session.cookies["csrftoken"]})
                made_one = answer.status_code == 200 and answer.json()["transition"] is not None
                clicks[pk].append("made" if made_one else answer.status_code)
                record("transition", answer.status_code)
            elif index < 8:  # members sign in (session, last login, audit, lockout bookkeeping) and read
                session = _signed_in(url, server["members"][(index + round_number) % len(server["members"])])
                record("sign-in", 302)
                record("home", session.get(f"{url}/", timeout=60).status_code)
            else:  # the officer's pages while all that happens
                record("page", officers[index % 2].get(f"{url}/alliances/{pk}/", timeout=60).status_code)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - started

    errors = {key: count for key, count in statuses.items() if key[1] >= 500}
    log = server["log"].read_text(errors="replace")
    total = sum(statuses.values())
    report(f"SQLite file, gunicorn 2×6 threads: {total} requests in {elapsed:.1f} s, "
           f"{sum(errors.values())} answered 5xx; by kind: {dict(sorted(statuses.items()))}")
    assert errors == {}, re.findall(r"database is locked|OperationalError[^\n]*", log)[:5]
    assert "database is locked" not in log
    # Each double click: one transition; the second click finds it done, as on PostgreSQL (the service's
    # "already there": 200 without a transition; or 409 when the state has moved past the action).
    with sqlite3.connect(server["database"]) as db:
        made = Counter(pk for (pk,) in db.execute(
            "SELECT alliance_id FROM reviews_statetransition WHERE action = 'start_screening'"))
        states = dict(db.execute("SELECT id, state FROM alliances_alliance"))
    assert made == dict.fromkeys(server["applications"], 1)
    assert {states[pk] for pk in server["applications"]} == {"screening"}
    odd = {pk: answers for pk, answers in clicks.items()
           if sorted(map(str, answers)) not in (["200", "made"], ["409", "made"])}
    assert odd == {}
