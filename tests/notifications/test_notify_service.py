import pytest

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_row_per_distinct_active_recipient(django_capture_on_commit_callbacks, mailoutbox):
    first, second = UserFactory(email="a@example.cn"), UserFactory(email="b@example.cn")
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        created = notify([first, second, first, inactive, None], kind="application_returned",
                         title="联盟申报已退回修改", body="请补充联盟协议。", url="/alliances/5/")

    assert len(created) == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.title, n.url, n.read_at) for n in rows] == [
        (first, "application_returned", "联盟申报已退回修改", "/alliances/5/", None),
        (second, "application_returned", "联盟申报已退回修改", "/alliances/5/", None),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.cn", "b@example.cn"]
    assert {m.subject for m in mailoutbox} == {"联盟申报已退回修改"}
    assert all(n.emailed_at is not None for n in rows)


def test_notify_sends_no_email_before_commit(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([user], kind="x", title="待办")

    assert mailoutbox == []
    assert len(callbacks) == 1
    assert Notification.objects.get().emailed_at is None


def test_notify_skips_email_for_user_without_address(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="x", title="待办")

    assert mailoutbox == []
    assert Notification.objects.get().recipient == user


def test_notify_nobody_creates_nothing(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify([], kind="x", title="待办")

    assert created == []
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []
