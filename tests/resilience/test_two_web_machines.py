"""Scale-out (issue 24): two web machines and a worker machine that share nothing but PostgreSQL, Redis and an
S3-compatible object store.

Each "machine" is a process started from a working directory of its own, with a ``MEDIA_ROOT`` of its own that
must stay empty: gunicorn A, gunicorn B and a Celery worker, on the test database, a Redis of the test's own
and moto's S3 server (in this process, over HTTP, no Docker). A member uploads the alliance agreement through
A and downloads it through B; a certificate issued by an officer through A is rendered by the worker and
served by A and B alike, byte for byte as stored; a session made on one machine is valid on the other; five
failed sign-ins on A lock the account on B.
"""

import hashlib
import os
import sys
from pathlib import Path

import boto3
import pytest
import requests
from django.conf import settings
from django.test import Client
from moto.server import ThreadedMotoServer

from accounts.roles import Role
from alliances.models import AllianceAgreement
from reviews.models import Designation, OfficialDocument
from tests.alliances.conftest import pdf_bytes
from tests.factories import PASSWORD, AllianceFactory, SectorFactory, UserFactory, member_user
from tests.reminders.workers import wait_until, worker_database_url
from tests.reviews.test_concurrency_postgres import ready_for_designation

from .conftest import Process, free_port

pytestmark = [
    pytest.mark.resilience,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
BUCKET = "alliance-portal-test"


@pytest.fixture
def object_store():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                      region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    yield endpoint, s3
    server.stop()


class Machine(Process):
    """One process in a working directory of its own; ``media`` is its local upload folder (kept empty)."""

    def __init__(self, name: str, home: Path, args: list[str], env: dict):
        self.home = home / name
        self.media = self.home / "media"
        self.media.mkdir(parents=True)
        super().__init__(args, {**env, "MEDIA_ROOT": str(self.media)}, self.home / "process.log", self.home)

    def local_files(self) -> list[Path]:
        return [path for path in self.media.rglob("*") if path.is_file()]


@pytest.fixture
def machines(redis_server, object_store, tmp_path):
    endpoint, _s3 = object_store
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_URL", "REDIS", "DJANGO_ENV", "PYTEST", "CELERY", "MEDIA", "S3_"))}
    env.update(DJANGO_SETTINGS_MODULE="alliance_portal.settings", DATABASE_URL=worker_database_url(),
               REDIS_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER="false", SECRET_KEY=settings.SECRET_KEY,
               DEBUG="false", DB_CONN_MAX_AGE="0", EMAIL_URL="dummymail://", PYTHONPATH=str(ROOT),
               S3_BUCKET=BUCKET, S3_ENDPOINT_URL=endpoint, S3_ACCESS_KEY_ID="test", S3_SECRET_ACCESS_KEY="test")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    web = {}
    for name in ("a", "b"):
        port = free_port()
        web[name] = (f"http://127.0.0.1:{port}", Machine(f"web-{name}", tmp_path, [
            gunicorn, "alliance_portal.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"], env))
    worker = Machine("worker", tmp_path, [sys.executable, "-m", "celery", "-A", "alliance_portal", "worker",
                                          "--pool=solo", "--without-mingle", "--without-gossip",
                                          "--without-heartbeat", "--loglevel=INFO"], env)
    try:
        for url, machine in web.values():
            wait_until(lambda url=url: _answers(f"{url}/livez"), timeout=60, what=f"gunicorn:\n{machine.output()}")
        wait_until(lambda: " ready." in worker.output(), timeout=120, what=f"the worker:\n{worker.output()}")
        yield web, worker
    finally:
        for _url, machine in web.values():
            machine.stop()
        worker.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _session_of(user) -> requests.Session:
    """A browser session of ``user``, made by Django's test client in the database all machines share."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return session


def test_two_web_machines_and_a_worker_share_files_sessions_and_lockouts(machines, object_store, report):
    (a, machine_a), (b, machine_b) = machines[0]["a"], machines[0]["b"]
    worker = machines[1]
    _endpoint, s3 = object_store

    # A member uploads the signed agreement through A and downloads it through B.
    member = member_user()
    draft = AllianceFactory(chairman=member.organisation, name="多机部署测试产业技术创新战略联盟")
    browser = _session_of(member)
    step = f"/alliances/{draft.pk}/step/4/"
    assert browser.get(a + step, timeout=30).status_code == 200  # the CSRF cookie, from A
    content = pdf_bytes(pages=2)
    answer = browser.post(a + step, timeout=30, allow_redirects=False,
                          data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "after": "stay"},
                          files={"file": ("联盟协议（盖章）.pdf", content, "application/pdf")},
                          headers={"Referer": a + step})
    assert answer.status_code == 302, answer.text[:2000]
    agreement = AllianceAgreement.objects.get(alliance=draft)
    assert s3.get_object(Bucket=BUCKET, Key=agreement.file.name)["Body"].read() == content
    download = browser.get(f"{b}/alliances/{draft.pk}/agreement/{agreement.pk}/", timeout=30)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in download.headers["Content-Disposition"]

    # An officer grants pilot status through A; the worker renders the certificate into the object store;
    # A and B serve the stored bytes.
    officer = UserFactory(roles=[Role.OFFICER], username="scale-officer")
    application = ready_for_designation(SectorFactory())
    office = _session_of(officer)
    detail = f"/reviews/applications/{application.pk}/"
    assert office.get(a + detail, timeout=30).status_code == 200
    granted = office.post(f"{a}/api/v1/reviews/applications/{application.pk}/transition/", timeout=60,
                          json={"action": "grant_pilot"}, headers={"X-CSRFToken": office.cookies["csrftoken"],
                                                                    "Referer": a + detail})
    assert granted.status_code == 200, granted.text[:2000]
    designation = Designation.objects.get(alliance=application)
    wait_until(lambda: OfficialDocument.objects.filter(designation=designation).exclude(file="").exists(),
               timeout=120, what=f"the worker to render the certificate:\n{worker.output()[-3000:]}")
    issued = OfficialDocument.objects.get(designation=designation)
    stored = s3.get_object(Bucket=BUCKET, Key=issued.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == issued.sha256
    pdfs = [office.get(f"{url}/reviews/designations/{designation.pk}/certificate.pdf", timeout=30)
            for url in (a, b)]
    assert [pdf.status_code for pdf in pdfs] == [200, 200]
    assert [pdf.content for pdf in pdfs] == [stored, stored]
    assert all(pdf.headers["ETag"] == f'"{issued.sha256}"' for pdf in pdfs)

    # A session made on one machine is valid on the other; five failures on A lock the name on B too.
    assert browser.get(f"{b}/alliances/{draft.pk}/", timeout=30, allow_redirects=False).status_code == 200
    target = UserFactory(username="lockout-across-machines")
    failures = [_sign_in(a, target.username, "wrong password") for _ in range(5)]
    assert failures[:4] == [200] * 4  # the form again, with its error
    assert _sign_in(b, target.username, PASSWORD) == 429

    assert machine_a.local_files() == machine_b.local_files() == worker.local_files() == []
    report(f"agreement uploaded through A ({len(content)} bytes) → in the bucket, downloaded through B byte for "
           f"byte; certificate {issued.file.name} rendered by the worker, served by A and B as stored "
           f"(SHA-256 {issued.sha256[:12]}…); A's session valid on B; 5 failed sign-ins on A → B answers 429 "
           f"to the right password; no machine wrote a local file")


def _sign_in(url: str, username: str, password: str) -> int:
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=30)
    answer = session.post(f"{url}/accounts/login/", timeout=30, allow_redirects=False, data={
        "username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{url}/accounts/login/"})
    return answer.status_code
