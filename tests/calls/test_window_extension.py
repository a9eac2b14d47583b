"""Extending a call's window: later only, with a reason, recorded and audited; officers only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted
from calls import services
from calls.errors import CallError
from calls.models import Call, WindowExtension

from .conftest import make_call

pytestmark = pytest.mark.django_db


def test_extension_records_the_previous_close_and_the_reason(officer):
    call = make_call(officer)
    before = call.closes_at
    new_close = before + timedelta(days=5)
    extension = services.extend_window(call, closes_at=new_close, reason="配合区县推荐时间", by=officer)
    assert (extension.previous_closes_at, extension.closes_at, extension.reason, extension.extended_by) == (
        before, new_close, "配合区县推荐时间", officer)
    assert Call.objects.get(pk=call.pk).closes_at == new_close
    event = AuditEvent.objects.get(action="call_window_extended")
    assert (event.user, event.object_id, event.detail["reason"]) == (officer, str(call.pk), "配合区县推荐时间")


@pytest.mark.parametrize("shift", [timedelta(0), timedelta(days=-1)])
def test_extension_must_move_the_closing_later(officer, shift):
    call = make_call(officer)
    with pytest.raises(CallError, match="must move the closing later"):
        services.extend_window(call, closes_at=call.closes_at + shift, reason="理由", by=officer)
    assert not WindowExtension.objects.exists()
    assert Call.objects.get(pk=call.pk).closes_at == call.closes_at


def test_extension_needs_a_reason(officer):
    call = make_call(officer)
    with pytest.raises(CallError, match="reason"):
        services.extend_window(call, closes_at=call.closes_at + timedelta(days=1), reason="  ", by=officer)
    assert not WindowExtension.objects.exists()


def test_only_officers_extend(officer, member):
    call = make_call(officer)
    with pytest.raises(NotPermitted):
        services.extend_window(call, closes_at=call.closes_at + timedelta(days=1), reason="理由", by=member)
    assert not WindowExtension.objects.exists()


def test_extension_form_shows_the_refusal_beside_the_field(client, officer):
    call = make_call(officer)
    client.force_login(officer)
    earlier = timezone.localtime(call.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("calls:extend", args=[call.pk]), {"closes_at": earlier, "reason": "理由"})
    assert response.status_code == 200
    assert "An extension must move the closing later than the current close." in response.content.decode()
    assert not WindowExtension.objects.exists()


def test_extension_over_http_is_shown_on_the_public_page(client, officer):
    call = make_call(officer)
    client.force_login(officer)
    later = timezone.localtime(call.closes_at + timedelta(days=3)).replace(second=0, microsecond=0)
    response = client.post(reverse("calls:extend", args=[call.pk]),
                           {"closes_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "节假日顺延"})
    assert response["Location"] == reverse("calls:manage_detail", args=[call.pk])
    assert Call.objects.get(pk=call.pk).closes_at == later
    client.logout()
    assert "节假日顺延" in client.get(reverse("calls:detail", args=[call.pk])).content.decode()
