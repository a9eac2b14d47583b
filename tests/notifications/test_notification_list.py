import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def test_list_shows_only_own_notifications(client, member, other_member):
    NotificationFactory(recipient=member, title="联盟申报已退回修改")
    NotificationFactory(recipient=other_member, title="别人的通知")
    client.force_login(member)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [n.title for n in response.context["notifications"]] == ["联盟申报已退回修改"]
    assert "别人的通知" not in response.content.decode()


def test_list_anonymous_redirects_to_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_unread_filter_hides_read_notifications(client, member):
    NotificationFactory(recipient=member, title="未读的通知")
    NotificationFactory(recipient=member, title="已读的通知", read_at=timezone.now())
    client.force_login(member)

    unread = client.get(LIST, {"show": "unread"})
    everything = client.get(LIST, {"show": "all"})

    assert [n.title for n in unread.context["notifications"]] == ["未读的通知"]
    assert {n.title for n in everything.context["notifications"]} == {"未读的通知", "已读的通知"}
    assert unread.context["show"] == "unread"


def test_list_unknown_filter_falls_back_to_all(client, member):
    NotificationFactory(recipient=member, read_at=timezone.now())
    client.force_login(member)

    response = client.get(LIST, {"show": "<script>"})

    assert response.status_code == 200
    assert response.context["show"] == "all"
    assert len(response.context["notifications"]) == 1


def test_list_newest_first_and_paginated(client, member):
    NotificationFactory.create_batch(25, recipient=member)
    newest = NotificationFactory(recipient=member, title="最新的通知")
    client.force_login(member)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert first.context["notifications"][0] == newest
    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 6
    assert first.context["paginator"].count == 26
    assert 'href="?show=all&amp;page=2"' in first.content.decode()


def test_list_page_out_of_range_is_404(client, member):
    NotificationFactory(recipient=member)
    client.force_login(member)

    assert client.get(LIST, {"page": 9}).status_code == 404




def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response


def test_list_query_count_does_not_grow_with_rows(client, member):
    NotificationFactory.create_batch(5, recipient=member)
    client.force_login(member)
    client.get(LIST)  # warm the session and per-process caches
    with_5, response_5 = _queries_for(client, LIST)

    NotificationFactory.create_batch(45, recipient=member)
    with_50, response_50 = _queries_for(client, LIST)

    assert len(with_50) == len(with_5)
    assert len(response_5.context["notifications"]) == 5
    assert len(response_50.context["notifications"]) == 20
    # the page itself: one COUNT for the paginator, one SELECT of the page, one COUNT for the header badge
    notification_queries = [sql for sql in with_50 if "notifications_notification" in sql]
    assert len(notification_queries) == 3
