"""The public notice page: no login, objections validated, CSRF on, a per-address limit; officers resolve."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliances.workflow import State
from reviews import selectors, services
from reviews.models import Objection, PublicNotice

from .conftest import advance

pytestmark = pytest.mark.django_db

VALID = {"name": "刘明", "organisation_name": "淄博某材料公司", "phone": "13700001111", "email": "",
         "text": "该联盟申报的成员单位中有一家已经注销，请核实。"}


@pytest.fixture
def notice(submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    notice = selectors.current_notice(submitted)
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=timezone.localdate())
    notice.refresh_from_db()
    return notice


def test_notice_opens_a_day_after_and_runs_the_configured_working_days(submitted, officer, experts,
                                                                        department_reviewers):
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    notice = selectors.current_notice(submitted)
    assert notice.starts_on == timezone.localdate() + datetime.timedelta(days=1)
    assert services.notice_end(notice.starts_on, 7, working_days=True) == notice.ends_on
    assert notice.ends_on - notice.starts_on >= datetime.timedelta(days=8)  # seven working days span a weekend


def test_notice_end_skips_weekends():
    monday = datetime.date(2026, 11, 23)
    assert services.notice_end(monday, 7, working_days=True) == datetime.date(2026, 12, 1)
    assert services.notice_end(monday, 7, working_days=False) == datetime.date(2026, 11, 29)
    saturday = datetime.date(2026, 11, 28)
    assert services.notice_end(saturday, 1, working_days=True) == datetime.date(2026, 11, 30)


def test_notices_list_needs_no_login(client, notice):
    response = client.get(reverse("reviews:notices"))
    assert response.status_code == 200
    assert notice.alliance.name in response.content.decode()


def test_notice_not_yet_started_is_not_public(client, submitted, officer, experts, department_reviewers):
    advance(submitted, officer, to=State.PUBLIC_NOTICE, experts=experts, reviewers=department_reviewers)
    assert submitted.name not in client.get(reverse("reviews:notices")).content.decode()
    notice = selectors.current_notice(submitted)
    assert client.get(reverse("reviews:notice", args=[notice.pk])).status_code == 404


def test_objection_is_recorded_for_the_officer(client, notice, officer):
    response = client.post(reverse("reviews:notice", args=[notice.pk]), VALID, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "Your objection was recorded." in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.name, objection.phone, objection.ip_address) == ("刘明", "13700001111", "127.0.0.1")
    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[notice.alliance_id])).content.decode()
    assert "该联盟申报的成员单位中有一家已经注销" in page


def test_objection_errors_beside_fields_and_input_kept(client, notice):
    data = dict(VALID, phone="12345", text="太短")
    response = client.post(reverse("reviews:notice", args=[notice.pk]), data, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter an 11-digit mobile number or a landline" in content
    assert "Ensure this value has at least 10 characters" in content
    assert 'value="刘明"' in content
    assert "太短" in content
    assert not Objection.objects.exists()


def test_landline_with_area_code_accepted(client, notice):
    client.post(reverse("reviews:notice", args=[notice.pk]), dict(VALID, phone="0533-2345678"))
    assert Objection.objects.get().phone == "0533-2345678"


def test_objection_needs_csrf_token(notice):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("reviews:notice", args=[notice.pk]), VALID)
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_objections_limited_per_address_and_hour(client, notice):
    url = reverse("reviews:notice", args=[notice.pk])
    for _ in range(5):
        client.post(url, VALID)
    response = client.post(url, VALID, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many objections were sent from your address" in response.content.decode()
    assert Objection.objects.count() == 5
    other = Client(REMOTE_ADDR="10.1.2.3")
    other.post(url, VALID)
    assert Objection.objects.count() == 6


def test_objection_refused_after_the_notice_closed(notice):
    PublicNotice.objects.filter(pk=notice.pk).update(closed_at=timezone.now())
    notice.refresh_from_db()
    from alliance_portal.core.errors import WorkflowError

    with pytest.raises(WorkflowError, match="closed"):
        services.submit_objection(notice, name="王", phone="13700001111", text="迟到的异议内容，请核实。")


def test_officer_resolves_objection_in_writing(client, notice, officer):
    objection = services.submit_objection(notice, name="王", phone="13700001111", text="成员信息不实，请核实。")
    client.force_login(officer)
    url = reverse("reviews:resolve_objection", args=[objection.pk])
    response = client.post(url, {"status": "dismissed", "resolution": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose a decision and write down the resolution." in response.content.decode()
    client.post(url, {"status": "dismissed", "resolution": "经核实，该单位仍在存续。"})
    objection.refresh_from_db()
    assert (objection.status, objection.resolved_by) == ("dismissed", officer)


def test_member_cannot_resolve_objections(client, notice, applicant):
    objection = services.submit_objection(notice, name="王", phone="13700001111", text="成员信息不实，请核实。")
    client.force_login(applicant)
    response = client.post(reverse("reviews:resolve_objection", args=[objection.pk]),
                           {"status": "dismissed", "resolution": "自己驳回"})
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == "open"
