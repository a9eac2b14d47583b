"""Submission outside a call's window is refused with the reason and the dates; the draft is kept. An
extension opens it again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance, ApplicationVersion
from alliances.services import submit_application
from alliances.workflow import State
from calls import services
from tests.factories import eligible_alliance

from .conftest import make_call

pytestmark = pytest.mark.django_db


def shown(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def test_submission_before_the_window_opens_is_refused_with_the_dates(officer, member):
    call = make_call(officer, opens_in=timedelta(days=3), closes_in=timedelta(days=30))
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    with pytest.raises(WorkflowError) as refusal:
        submit_application(alliance, by=member)
    assert refusal.value.message == (
        f"“{call.title}” accepts applications from {shown(call.opens_at)} to {shown(call.closes_at)}; "
        "submission is not possible now. Your draft is kept.")
    kept = Alliance.objects.get(pk=alliance.pk)
    assert (kept.state, kept.current_version) == (State.DRAFT, 0)
    assert not ApplicationVersion.objects.filter(alliance=alliance).exists()


def test_submission_after_the_window_closed_is_refused(officer, member):
    call = make_call(officer, opens_in=timedelta(days=-30), closes_in=timedelta(minutes=-1))
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    with pytest.raises(WorkflowError, match="submission is not possible now"):
        submit_application(alliance, by=member)
    assert Alliance.objects.get(pk=alliance.pk).state == State.DRAFT


def test_submission_after_an_extension_is_accepted(officer, member):
    call = make_call(officer, opens_in=timedelta(days=-30), closes_in=timedelta(hours=-2))
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    services.extend_window(call, closes_at=timezone.now() + timedelta(days=7), reason="部分区县推荐函延迟出具",
                           by=officer)
    record = submit_application(alliance, by=member)
    assert (record.source, record.target) == (State.DRAFT, State.SUBMITTED)
    assert Alliance.objects.get(pk=alliance.pk).current_version == 1


def test_closed_window_refusal_over_http_keeps_the_draft_and_says_why(client, officer, member):
    call = make_call(officer, opens_in=timedelta(days=-30), closes_in=timedelta(minutes=-5))
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    client.force_login(member)
    response = client.post(reverse("alliances:step", args=[alliance.pk, 6]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"accepts applications from {shown(call.opens_at)} to {shown(call.closes_at)}" in page
    assert "Your draft is kept." in page
    assert Alliance.objects.get(pk=alliance.pk).state == State.DRAFT


def test_check_page_names_the_call_and_its_window(client, officer, member):
    call = make_call(officer)
    alliance = eligible_alliance(chairman=member.organisation, call=call)
    client.force_login(member)
    page = client.get(reverse("alliances:step", args=[alliance.pk, 6])).content.decode()
    section = page[page.index('id="application-call"'):]
    section = section[:section.index("</div>\n</div>")]
    assert call.title in section
    assert shown(call.opens_at) in section
    assert shown(call.closes_at) in section
    assert reverse("calls:documents", args=[alliance.pk]) in section
