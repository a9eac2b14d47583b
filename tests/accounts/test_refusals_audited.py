"""Access refused at the door (403, the API's 401, a signed-in user's 404 on an object URL) is in the audit
trail with user, time, address, method, path and status; normal pages and anonymous scanning are not."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.middleware import RefusalAuditMiddleware
from accounts.models import AuditEvent
from alliances.models import Alliance
from alliances.workflow import State
from tests.factories import AllianceFactory, CallFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.45"
MIDDLEWARE = "accounts.middleware.RefusalAuditMiddleware"


def refusals():
    return list(AuditEvent.objects.filter(action=RefusalAuditMiddleware.ACTION))


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)
    return client


def test_another_organisations_alliance_is_a_recorded_404(member, other_member):
    foreign = AllianceFactory(chairman=other_member.organisation)
    path = reverse("alliances:detail", args=[foreign.pk])

    response = signed_in(member).get(path)

    assert response.status_code == 404
    [event] = refusals()
    assert (event.user, event.username, event.ip_address, event.outcome) == (
        member, member.username, ADDRESS, AuditEvent.Outcome.REFUSED)
    assert event.detail == {"method": "GET", "path": path, "status": 404, "view": "alliances:detail"}
    assert event.at is not None


def test_page_forbidden_to_the_role_is_a_recorded_403(member):
    response = signed_in(member).get(reverse("calls:manage_list"))

    assert response.status_code == 403
    [event] = refusals()
    assert (event.user, event.ip_address, event.outcome) == (member, ADDRESS, AuditEvent.Outcome.REFUSED)
    assert event.detail == {"method": "GET", "path": reverse("calls:manage_list"), "status": 403,
                            "view": "calls:manage_list"}


def test_api_without_credentials_is_a_recorded_401():
    client = APIClient(REMOTE_ADDR=ADDRESS)

    assert client.get("/api/v1/calls/").status_code == 401
    assert client.get("/api/v1/calls/", HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401
    events = refusals()
    assert [(e.user, e.username, e.ip_address, e.outcome) for e in events] == [
        (None, "", ADDRESS, AuditEvent.Outcome.REFUSED)] * 2
    assert [e.detail for e in events] == [
        {"method": "GET", "path": "/api/v1/calls/", "status": 401, "view": "api:call-list"}] * 2


def test_api_action_forbidden_to_the_role_is_a_recorded_403(member):
    call = CallFactory()
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.force_login(member)

    response = client.get(f"/api/v1/calls/{call.pk}/funnel/")

    assert response.status_code == 403
    [event] = refusals()
    assert (event.user, event.ip_address) == (member, ADDRESS)
    assert event.detail == {"method": "GET", "path": f"/api/v1/calls/{call.pk}/funnel/", "status": 403,
                            "view": "api:call-funnel"}


def test_csrf_failure_is_a_recorded_403(member):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    client.force_login(member)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    [event] = refusals()
    assert (event.user, event.detail["method"], event.detail["status"]) == (member, "POST", 403)


def test_token_in_a_refused_url_is_blanked():
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    path = reverse("password_reset_confirm", args=["MQ", "cp1a2b-0123456789abcdef"])

    assert client.post(path, {"new_password1": "x", "new_password2": "x"}).status_code == 403
    [event] = refusals()
    assert event.detail == {"method": "POST", "path": reverse("password_reset_confirm", args=["MQ", "***"]),
                            "status": 403, "view": "password_reset_confirm"}  # no token, no form field


def test_refusal_a_service_recorded_is_not_recorded_twice(member):
    alliance = AllianceFactory(chairman=member.organisation)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.SUBMITTED, current_version=1)
    client = APIClient(REMOTE_ADDR=ADDRESS)
    client.force_login(member)

    response = client.post(f"/api/v1/reviews/applications/{alliance.pk}/transition/",
                           {"action": "start_screening"}, format="json")

    assert response.status_code == 403
    refused = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.REFUSED)
    assert list(refused.values_list("action", "user", "ip_address")) == [("transition", member.pk, ADDRESS)]


def test_anonymous_404_on_an_unknown_path_is_not_recorded():
    client = Client(REMOTE_ADDR=ADDRESS)

    assert client.get("/wp-login.php").status_code == 404
    assert client.get("/api/v1/no-such-thing/").status_code == 404
    assert refusals() == []


def test_signed_in_404_outside_object_urls_is_not_recorded(member):
    client = signed_in(member)

    assert client.get("/no/such/page/").status_code == 404
    assert client.get("/api/v1/no-such-thing/").status_code == 404  # the API's catch-all captures no object key
    assert refusals() == []


def test_normal_page_costs_no_extra_query_and_records_nothing(member, settings):
    client = signed_in(member)
    page = reverse("alliances:list")
    assert client.get(page).status_code == 200  # warm caches (content types, translations)

    with CaptureQueriesContext(connection) as audited:
        assert client.get(page).status_code == 200
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    with CaptureQueriesContext(connection) as plain:
        assert client.get(page).status_code == 200

    assert len(audited) == len(plain)
    assert not [q["sql"] for q in audited if AuditEvent._meta.db_table in q["sql"]]
    assert refusals() == []
