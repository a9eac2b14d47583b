"""The reminder ledger in the admin: listed and filterable, never added or changed by hand."""

from datetime import date

import pytest
from django.urls import reverse

from .conftest import beijing
from .factories import returned_application

pytestmark = pytest.mark.django_db


def test_admin_lists_reminders_read_only(client, admin_user, sweep):
    returned_application(beijing(date(2026, 10, 20)))
    sweep("resubmission", today=date(2026, 11, 19))
    client.force_login(admin_user)

    response = client.get(reverse("admin:reminders_reminder_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "退回修改后未重新提交" in content
    assert "已发送" in content
    assert reverse("admin:reminders_reminder_add") not in content


def test_admin_refuses_to_add_reminders(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("admin:reminders_reminder_add")).status_code == 403
