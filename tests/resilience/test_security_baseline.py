"""Security baseline: lockout after 5 failed logins (the right password does not get in while locked), idle
sessions end after 30 minutes, security headers on every page (public and signed-in, and on a form POST, an
API 401 and the 404 page; HSTS in the production profile), and the audit log holds every state change,
refusal (in a workflow or at the door: 403, another organisation's 404) and login with user, time, address
and outcome."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from tests.factories import PASSWORD, AllianceFactory, UserFactory, member_user

from . import world as world_module
from .conftest import settle

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

LOGIN = "/accounts/login/"
ADDRESS = "198.51.100.23"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


def test_five_failed_logins_lock_out_even_the_right_password(report):
    person = UserFactory(username="wangfang")
    client = Client()
    failures = [_login(client, "wangfang", f"wrong-{n}").status_code for n in range(5)]
    locked = _login(client, "wangfang", PASSWORD)

    assert failures == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("notifications:list")).status_code == 302  # not signed in
    events = AuditEvent.objects.filter(username="wangfang")
    outcomes = Counter(events.values_list("action", "outcome"))
    assert outcomes[("login", AuditEvent.Outcome.FAILED)] == 6  # the right password, refused, is a failure too
    assert outcomes[("lockout", AuditEvent.Outcome.REFUSED)] >= 1
    assert set(outcomes) == {("login", AuditEvent.Outcome.FAILED), ("lockout", AuditEvent.Outcome.REFUSED)}
    assert set(events.values_list("ip_address", flat=True)) == {ADDRESS}
    assert not AuditEvent.objects.filter(user=person, outcome=AuditEvent.Outcome.OK).exists()
    report(f"5 failed logins → locked out (fifth answered {failures[-1]}); the right password then → "
           f"{locked.status_code}, not signed in; audit: {dict(outcomes)} all from {ADDRESS}")


def test_idle_session_ends_after_thirty_minutes(clock_driven_cache, report):
    person = UserFactory(username="liqiang")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _login(client, "liqiang", PASSWORD).status_code == 302
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(reverse("notifications:list")).status_code == 200  # active: renewed
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        expired = client.get(reverse("notifications:list"))
    assert expired.status_code == 302
    assert expired["Location"].startswith(reverse("login"))
    assert person.pk  # the account itself is untouched
    report("session used at minute 29 → still valid; 31 idle minutes later → sent to the login page")


REQUIRED = {
    "Content-Security-Policy": lambda value: "default-src 'self'" in value and "unsafe-inline" not in value.split(
        "script-src")[-1].split(";")[0],
    "X-Content-Type-Options": lambda value: value == "nosniff",
    "Referrer-Policy": lambda value: value == "same-origin",
}


def test_security_headers_on_every_page(officer, report):
    world = world_module.build()
    object_urls = [url for _, url in world_module.object_urls(world)[0]]
    visitors = {"anonymous": Client(), "member": Client(), "officer": Client()}
    visitors["member"].force_login(world.people["owner"])
    visitors["officer"].force_login(officer)
    pages = world_module.plain_pages()
    missing, statuses, checked = [], Counter(), 0
    for role, client in visitors.items():
        for url in pages + (object_urls if role != "anonymous" else []):
            response = client.get(url)
            settle(response)
            statuses[response.status_code // 100] += 1
            checked += 1
            assert response.status_code < 500, f"{role} GET {url} → {response.status_code}"
            for header, valid in REQUIRED.items():
                if not valid(response.get(header, "")):
                    missing.append(f"{role} GET {url} ({response.status_code}): {header}={response.get(header)!r}")
    assert not missing, "\n".join(missing)
    report(f"{checked} responses ({len(pages)} plain pages × 3 visitors + {len(object_urls)} object pages × 2; "
           f"{dict(sorted(statuses.items()))} by status class) → every one has CSP without inline script, "
           "nosniff and Referrer-Policy")

    others = _other_responses(world.people["owner"])
    assert {name: response.status_code for name, response in others.items()} == {
        "POST failed login": 200, "API 401": 401, "404 page": 404}
    missing = [f"{name} ({response.status_code}): {header}={response.get(header)!r}"
               for name, response in others.items() for header, valid in REQUIRED.items()
               if not valid(response.get(header, ""))]
    assert not missing, "\n".join(missing)
    report(f"{', '.join(others)} → each has CSP without inline script, nosniff and Referrer-Policy")

    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                           SECURE_HSTS_PRELOAD=True, SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True):
        plain = Client().get("/")
        hsts = {url: Client().get(url, secure=True).get("Strict-Transport-Security") for url in pages[:15]}
        hsts.update({name: response.get("Strict-Transport-Security")
                     for name, response in _other_responses(world.people["owner"], secure=True).items()})
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert set(hsts.values()) == {"max-age=31536000; includeSubDomains; preload"}
    report(f"production profile: http → 301 to https; {len(hsts) - len(others)} pages, a failed login POST, "
           "an API 401 and a 404 over https carry HSTS max-age=31536000; includeSubDomains; preload")


def _other_responses(member, *, secure=False) -> dict:
    """Responses that are not a GET of a page: a form POST, an API refusal, the 404 page. Fresh clients: a
    client's handler reads the security settings when it first loads its middleware."""
    member_client = Client()
    member_client.force_login(member)
    responses = {
        "POST failed login": Client().post(LOGIN, {"username": "nobody", "password": "wrong"}, REMOTE_ADDR=ADDRESS,
                                           secure=secure),
        "API 401": Client().get("/api/v1/alliances/", secure=secure),
        "404 page": member_client.get("/no/such/page/", secure=secure),
    }
    return {name: settle(response) for name, response in responses.items()}


def test_audit_log_holds_every_state_change_refusal_and_login(officer, report):
    applicant = member_user()
    alliance = AllianceFactory(chairman=applicant.organisation)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.SUBMITTED, current_version=1)
    staff, company, stranger = Client(), Client(), Client()
    _login(stranger, officer.username, "not the password")
    assert _login(staff, officer.username, PASSWORD).status_code == 302
    assert _login(company, applicant.username, PASSWORD).status_code == 302
    transition = reverse("reviews:transition", args=[alliance.pk])

    company.post(transition, {"action": "start_screening"}, REMOTE_ADDR=ADDRESS)  # not theirs to do: refused
    staff.post(transition, {"action": "start_screening"}, REMOTE_ADDR=ADDRESS)
    staff.post(transition, {"action": "reject", "comment": ""}, REMOTE_ADDR=ADDRESS)  # no reason: refused
    staff.post(transition, {"action": "reject", "comment": "不符合申报条件"}, REMOTE_ADDR=ADDRESS)
    forbidden, foreign = reverse("calls:manage_list"), reverse("alliances:detail", args=[AllianceFactory().pk])
    assert company.get(forbidden, REMOTE_ADDR=ADDRESS).status_code == 403  # an officers' page
    assert company.get(foreign, REMOTE_ADDR=ADDRESS).status_code == 404  # another organisation's alliance

    changes = list(StateTransition.objects.filter(alliance=alliance).values_list("action", "actor_id"))
    assert changes == [("start_screening", officer.pk), ("reject", officer.pk)]
    events = AuditEvent.objects.order_by("at", "pk")
    logged = [(e.action, e.outcome, e.user_id, e.detail.get("action_name")) for e in events
              if e.action == "transition"]
    assert logged == [
        ("transition", "refused", applicant.pk, "start_screening"),
        ("transition", "ok", officer.pk, "start_screening"),
        ("transition", "refused", officer.pk, "reject"),
        ("transition", "ok", officer.pk, "reject"),
    ]
    refused_access = [(e.user_id, e.outcome, e.detail["path"], e.detail["status"]) for e in events
                      if e.action == "access_refused"]
    assert refused_access == [(applicant.pk, "refused", forbidden, 403), (applicant.pk, "refused", foreign, 404)]
    logins = Counter((e.username, e.outcome) for e in events if e.action == "login")
    assert logins == {(officer.username, "failed"): 1, (officer.username, "ok"): 1, (applicant.username, "ok"): 1}
    assert {(e.ip_address, e.at is not None) for e in events} == {(ADDRESS, True)}
    assert all(e.username for e in events)
    report(f"{len(changes)} state changes, 2 workflow refusals, 2 access refusals (a 403 and another "
           f"organisation's 404), 3 logins (1 failed) → {events.count()} audit events, each with user, time, "
           "address and outcome")
