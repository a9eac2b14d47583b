"""Annual development plan: due in January, missing from March, for alliances designated before the year."""

from datetime import date

import pytest

from notifications.models import Notification
from reminders.models import Reminder

from .factories import annual_plan, designated_alliance

pytestmark = pytest.mark.django_db


def test_annual_plan_reminders_in_january_and_march_once_each(sweep_daily):
    people = designated_alliance(date(2026, 3, 2))

    created = sweep_daily("annual_plan", date(2026, 12, 30), date(2027, 3, 3))

    assert created == {date(2027, 1, 1): len(people.alliance_side), date(2027, 3, 1): len(people.everyone)}
    assert sorted(set(Reminder.objects.values_list("due_date", "stage"))) == [
        (date(2027, 1, 31), "due"), (date(2027, 1, 31), "missing")]


def test_annual_plan_due_message(travel, sweep):
    people = designated_alliance(date(2026, 3, 2))
    travel(date(2027, 1, 4))

    sweep("annual_plan")

    notification = Notification.objects.get(recipient=people.chairman)
    assert notification.title == f"{people.alliance.name}：请报送2027年度发展计划"
    assert "2027年1月31日" in notification.body


def test_annual_plan_filed_silences_the_reminders(travel, sweep):
    people = designated_alliance(date(2026, 3, 2))
    annual_plan(people.alliance, 2027)
    travel(date(2027, 3, 1))

    assert sweep("annual_plan").found == 0


def test_annual_plan_not_asked_of_alliances_designated_this_year(travel, sweep):
    designated_alliance(date(2027, 1, 10))
    travel(date(2027, 3, 1))

    assert sweep("annual_plan").found == 0


def test_annual_plan_filed_after_the_sweep_cancels_delivery(travel, django_capture_on_commit_callbacks):
    from reminders import services

    people = designated_alliance(date(2026, 3, 2))
    travel(date(2027, 3, 1))
    with django_capture_on_commit_callbacks(execute=False):
        services.run_sweep("annual_plan")
    annual_plan(people.alliance, 2027)

    assert services.deliver(list(Reminder.objects.values_list("pk", flat=True))).cancelled == 3
