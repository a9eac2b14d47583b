"""The transactional outbox: a task decided in a transaction is sent after commit, never after a rollback,
waits while the broker is away, and is handed over once when it is back."""

import threading

import pybreaker
import pytest
from django.db import connection, transaction
from kombu.exceptions import OperationalError

from alliance_portal.outbox import services as outbox
from alliance_portal.outbox.models import OutboxMessage
from alliance_portal.outbox.tasks import relay_outbox
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _closed_circuit():
    outbox.broker_circuit.close()
    yield
    outbox.broker_circuit.close()


class Broker:
    """Publishing fails as kombu fails when Redis refuses the connection, until ``back()``; tries counted."""

    def __init__(self, monkeypatch):
        self.tries, self.monkeypatch, self.original = [], monkeypatch, outbox._hand_over
        monkeypatch.setattr(outbox, "_hand_over", self.refuse)

    def refuse(self, message):
        self.tries.append(message.pk)
        return outbox.broker_circuit.call(_raise_refused)

    def back(self):
        self.monkeypatch.setattr(outbox, "_hand_over", self.original)


@pytest.fixture
def broker_down(monkeypatch):
    return Broker(monkeypatch)


def _raise_refused():
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_notification_email_is_sent_after_commit_through_the_outbox(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(email="chair@unit.example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="test", title="联盟申报已受理")
    message = OutboxMessage.objects.get()
    assert (message.task, message.kwargs, message.attempts) == (
        send_notification_emails.name, {"notification_ids": [Notification.objects.get().pk]}, 0)
    assert message.sent_at is not None
    assert [m.to for m in mailoutbox] == [["chair@unit.example.cn"]]


def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(django_capture_on_commit_callbacks,
                                                                        mailoutbox):
    user = UserFactory(email="chair@unit.example.cn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([user], kind="test", title="不会发出")
                raise RuntimeError("the decision failed")
        except RuntimeError:
            pass
    assert (OutboxMessage.objects.count(), Notification.objects.count(), len(mailoutbox), len(callbacks)) == (0, 0, 0, 0)


def test_while_the_broker_is_away_messages_wait_and_the_relay_sends_each_once_when_it_is_back(
        broker_down, django_capture_on_commit_callbacks, mailoutbox):
    users = [UserFactory(email=f"u{n}@unit.example.cn") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users[:1], kind="test", title="第一条")
    first = OutboxMessage.objects.get()
    assert (first.sent_at, first.attempts) == (None, 1)
    assert first.last_error.startswith("OperationalError: Error 111")
    assert outbox.broker_circuit.current_state == pybreaker.STATE_OPEN

    with django_capture_on_commit_callbacks(execute=True):  # within the retry period: not even tried
        notify(users[1:], kind="test", title="第二条")
    assert len(broker_down.tries) == 1
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2

    outbox.broker_circuit.close()  # the retry period is over
    assert outbox.relay() == 0  # the broker is still away: the first message fails, the relay stops there
    assert broker_down.tries == [first.pk, first.pk]

    broker_down.back()
    assert relay_outbox.apply().get() == 2  # the broker is back (eager here): both sent, oldest first
    assert relay_outbox.apply().get() == 0
    assert sorted(m.to[0] for m in mailoutbox) == [u.email for u in users]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_hand_each_message_over_once(using_postgres, monkeypatch):
    """Beat's relay and a page's on-commit relay at the same moment: row locks with SKIP LOCKED."""
    handed, lock, barrier = [], threading.Lock(), threading.Barrier(2)

    def hand_over(message):
        with lock:
            handed.append(message.pk)

    monkeypatch.setattr(outbox, "_hand_over", hand_over)
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(task=send_notification_emails.name, kwargs={"notification_ids": [n]}) for n in range(40))
    sent = []

    def relay():
        try:
            barrier.wait(timeout=10)
            sent.append(outbox.relay())
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(handed, key=str) == sorted((m.pk for m in messages), key=str)
    assert sum(sent) == 40
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
