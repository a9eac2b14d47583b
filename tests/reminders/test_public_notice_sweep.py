"""Public notice ended: the officer hears once that the application is ready for designation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alliances.models import Alliance
from alliances.workflow import State
from notifications.models import Notification
from reviews.models import Objection, PublicNotice
from tests.factories import UserFactory

from .factories import public_notice

pytestmark = pytest.mark.django_db

LAST_DAY = date(2026, 12, 4)


def test_public_notice_reminder_the_day_after_it_ended_once(sweep_daily, officer):
    public_notice(LAST_DAY, published_by=officer)

    created = sweep_daily("public_notice", LAST_DAY - timedelta(days=3), LAST_DAY + timedelta(days=10))

    assert created == {LAST_DAY + timedelta(days=1): 1}
    notification = Notification.objects.get()
    assert notification.recipient == officer
    assert notification.title.endswith("：公示期已结束，可予认定")
    assert "2026年12月4日" in notification.body


def test_public_notice_open_objections_are_mentioned(travel, sweep, officer):
    notice = public_notice(LAST_DAY, published_by=officer)
    Objection.objects.create(notice=notice, name="李某", phone="13800000001", text="成员单位名单有误。")
    travel(LAST_DAY + timedelta(days=1))

    sweep("public_notice")

    assert "尚有 1 条异议未处理" in Notification.objects.get().body


def test_public_notice_without_publisher_goes_to_every_officer(travel, sweep, officer):
    from accounts.roles import Role

    second = UserFactory(roles=[Role.OFFICER])
    public_notice(LAST_DAY, published_by=None)
    travel(LAST_DAY + timedelta(days=1))

    sweep("public_notice")

    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {officer.pk, second.pk}


def test_public_notice_silent_while_running_and_once_designated(travel, sweep, officer):
    notice = public_notice(LAST_DAY, published_by=officer)
    travel(LAST_DAY)
    assert sweep("public_notice").found == 0  # the last day still belongs to the notice

    Alliance.objects.filter(pk=notice.alliance_id).update(state=State.PILOT)
    PublicNotice.objects.filter(pk=notice.pk).update(closed_at=timezone.now())
    travel(LAST_DAY + timedelta(days=1))
    assert sweep("public_notice").found == 0
