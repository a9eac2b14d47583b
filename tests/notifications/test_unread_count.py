"""The bell in the header: the unread count costs exactly one query per page, none for anonymous pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]


@pytest.mark.parametrize("count", [5, 50])
def test_header_unread_count_is_one_query(client, member, count):
    NotificationFactory.create_batch(count, recipient=member)
    NotificationFactory(recipient=member, read_at=timezone.now())
    client.force_login(member)

    response, queries = _get(client, reverse("home"))

    assert len(queries) == 1
    assert "COUNT" in queries[0].upper()
    assert response.context["unread_notifications"].count == count
    html = response.content.decode()
    assert f'notification-count">{count}</span>' in html


def test_header_unread_count_shows_99_plus(client, member):
    NotificationFactory.create_batch(120, recipient=member)
    client.force_login(member)

    response, _queries = _get(client, reverse("home"))

    assert 'notification-count">99+</span>' in response.content.decode()


def test_header_no_badge_when_everything_read(client, member):
    NotificationFactory(recipient=member, read_at=timezone.now())
    client.force_login(member)

    response, queries = _get(client, reverse("home"))

    html = response.content.decode()
    assert len(queries) == 1
    assert reverse("notifications:list") in html
    assert "notification-count" not in html


def test_header_counts_only_own_notifications(client, member, other_member):
    NotificationFactory.create_batch(2, recipient=member)
    NotificationFactory.create_batch(4, recipient=other_member)
    client.force_login(member)

    response, _queries = _get(client, reverse("home"))

    assert response.context["unread_notifications"].count == 2


def test_anonymous_page_costs_no_notification_query(client):
    NotificationFactory.create_batch(3)

    response, queries = _get(client, reverse("home"))

    assert queries == []
    assert reverse("notifications:list") not in response.content.decode()
