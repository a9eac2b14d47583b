"""The PostgreSQL connection dropped mid-request and between requests (``pg_terminate_backend`` from a
second connection): the request fails cleanly with the portal's error page, nothing is half-written,
and the next request works (``CONN_HEALTH_CHECKS`` replaces the dead connection)."""

import time

import pytest
from django.db import connection, connections
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEvent
from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from reviews.models import CertificateCounter, Designation
from tests.factories import SectorFactory
from tests.reviews.test_concurrency_postgres import ready_for_designation

from .wsgi import Visitor

pytestmark = [pytest.mark.resilience, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def terminate(pid: int) -> None:
    """Kill backend ``pid`` from another connection and wait until it is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} did not go away")
    finally:
        other.close()


def own_backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def designation_rows(alliance) -> dict:
    return {
        "state": Alliance.objects.get(pk=alliance.pk).state,
        "designations": Designation.objects.filter(alliance=alliance).count(),
        "transitions": StateTransition.objects.filter(alliance=alliance).count(),
        "counters": list(CertificateCounter.objects.values_list("year", "last_sequence")),
        "designate_audits": AuditEvent.objects.filter(action="designate").count(),
    }


def test_connection_killed_between_writes_fails_cleanly_and_writes_nothing(using_postgres, officer, monkeypatch,
                                                                           report):
    alliance = ready_for_designation(SectorFactory())
    before = designation_rows(alliance)
    visitor = Visitor(officer)
    grant = reverse("reviews:transition", args=[alliance.pk])
    original = audit.record
    killed = []

    def kill_then_record(action, **kwargs):
        # grant_pilot has by now moved the alliance, written the transition, taken a certificate number
        # and created the designation, all in its one transaction; the audit record is the next write.
        if action == "designate" and not killed:
            killed.append(own_backend_pid())
            terminate(killed[0])
        return original(action, **kwargs)

    monkeypatch.setattr(audit, "record", kill_then_record)
    started = time.monotonic()
    failed = visitor.post(grant, {"action": "grant_pilot", "comment": ""})
    elapsed = time.monotonic() - started

    assert killed, "the service never reached its audit record"
    assert failed.status == 500
    assert "系统暂时出错" in failed.text
    assert elapsed < 10
    assert designation_rows(alliance) == before
    assert before["state"] == State.PUBLIC_NOTICE

    page = visitor.get(reverse("alliances:detail", args=[alliance.pk]))
    assert page.status == 200
    again = visitor.post(grant, {"action": "grant_pilot", "comment": ""})
    assert again.status == 302
    after = designation_rows(alliance)
    assert (after["state"], after["designations"], after["transitions"] - before["transitions"]) == (
        State.PILOT, 1, 1)
    report(f"backend killed between the writes of a grant → 500 page in {elapsed:.2f} s; "
           f"state, transitions, designations, certificate counter, audit unchanged; "
           f"next GET {page.status}, repeated grant {again.status} → 1 designation "
           f"{Designation.objects.get(alliance=alliance).certificate_number}")


def test_connection_killed_while_idle_is_replaced_by_the_next_request(using_postgres, officer, settings, report):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # the connection outlives the request
    visitor = Visitor(officer)
    home = reverse("home")
    assert visitor.get(home).status == 200
    pid = own_backend_pid()

    terminate(pid)  # a database restart or failover between two requests of a persistent connection
    answers = [visitor.get(home).status for _ in range(3)]

    assert answers == [200, 200, 200]
    assert own_backend_pid() != pid
    report(f"persistent connection killed while idle → next 3 requests {answers} on a new backend "
           "(health check at the start of the request)")
