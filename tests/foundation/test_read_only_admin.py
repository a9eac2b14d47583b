"""Records written only by services are read-only in the admin, for superusers too."""

import pytest

from accounts.audit import record


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/accounts/auditevent/add/", "/admin/alliances/statetransition/add/"])
def test_service_records_cannot_be_added_in_admin(client, admin_user, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_audit_event_is_shown_but_not_deletable(client, admin_user):
    event = record("login", user=admin_user)
    client.force_login(admin_user)
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(event).objects.filter(pk=event.pk).exists()
