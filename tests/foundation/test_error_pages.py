"""Refusals and missing pages answer with the portal's own pages, in Chinese by default."""

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_missing_page_is_the_portal_404(client):
    with override_settings(DEBUG=False):
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_refusal_is_the_portal_403(client, member):
    client.force_login(member)
    with override_settings(DEBUG=False):
        response = client.get("/accounts/organisations/")
    assert response.status_code == 403
    assert 'id="forbidden"' in response.content.decode()


@pytest.mark.django_db
def test_lockout_page_names_the_configured_minutes(client, member, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=20)
    for _ in range(6):
        response = client.post("/accounts/login/", {"username": member.username, "password": "wrong password!"})
    assert response.status_code == 429
    assert "锁定20分钟" in response.content.decode()
