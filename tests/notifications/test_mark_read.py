import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _mark_read(notification):
    return reverse("notifications:mark_read", args=[notification.pk])


def test_mark_read_sets_read_at_and_returns_to_next(client, member):
    notification = NotificationFactory(recipient=member)
    client.force_login(member)

    response = client.post(_mark_read(notification), {"next": f"{LIST}?show=unread"})

    assert response.status_code == 302
    assert response.url == f"{LIST}?show=unread"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_follow_redirects_to_notification_link(client, member):
    notification = NotificationFactory(recipient=member, url="/alliances/7/")
    client.force_login(member)

    response = client.post(_mark_read(notification), {"follow": "1"})

    assert response.status_code == 302
    assert response.url == "/alliances/7/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example.com/phish", "//evil.example.com/", "javascript:alert(1)"])
def test_mark_read_never_redirects_off_site(client, member, url):
    notification = NotificationFactory(recipient=member, url=url)
    client.force_login(member)

    followed = client.post(_mark_read(notification), {"follow": "1"})
    returned = client.post(_mark_read(notification), {"next": url})

    assert followed.url == LIST
    assert returned.url == LIST


def test_mark_read_twice_keeps_first_read_time(client, member):
    first_read = timezone.now() - timezone.timedelta(days=2)
    notification = NotificationFactory(recipient=member, read_at=first_read)
    client.force_login(member)

    response = client.post(_mark_read(notification))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_mark_read_foreign_notification_is_404_and_unchanged(client, member, other_member):
    foreign = NotificationFactory(recipient=other_member, url="/alliances/3/")
    client.force_login(member)

    response = client.post(_mark_read(foreign), {"follow": "1"})

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_read_unknown_id_is_404(client, member):
    client.force_login(member)

    assert client.post(reverse("notifications:mark_read", args=[999999])).status_code == 404


def test_mark_read_by_get_is_refused(client, member):
    notification = NotificationFactory(recipient=member)
    client.force_login(member)

    response = client.get(_mark_read(notification))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_anonymous_redirects_to_login(client):
    notification = NotificationFactory()

    response = client.post(_mark_read(notification))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_changes_only_own_unread(client, member, other_member):
    mine = NotificationFactory.create_batch(3, recipient=member)
    earlier = timezone.now() - timezone.timedelta(days=1)
    already_read = NotificationFactory(recipient=member, read_at=earlier)
    foreign = NotificationFactory(recipient=other_member)
    client.force_login(member)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    already_read.refresh_from_db()
    assert already_read.read_at == earlier
    foreign.refresh_from_db()
    assert foreign.read_at is None
    assert [str(m) for m in response.context["messages"]] == ["3 条通知已标为已读。"]


def test_mark_all_read_with_nothing_unread_says_so(client, member):
    client.force_login(member)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["您没有未读通知。"]
