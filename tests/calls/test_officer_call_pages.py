"""Officers create, edit and publish calls through the pages; everyone else is refused."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from alliances.models import Sector
from calls.models import Call
from reviews.models import ScoreCriterion
from tests.factories import SectorFactory

from .conftest import make_call

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def call_form(sector, **overrides):
    data = {"title": "2027年度第一批产业技术创新战略联盟申报", "year": "2027", "batch_number": "1",
            "guide": "## 申报条件", "sectors": [sector.pk], "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-04-30T17:00", "requires_district_recommendation": "on", "district_quota": "2",
            "uses_site_visits": "on", **management("documents", 2),
            "documents-0-name": "区县推荐函", "documents-0-is_required": "on",
            "documents-1-name": "联盟章程"}
    data.update(overrides)
    return data


def test_officer_creates_a_call_with_documents_in_beijing_time(client, officer):
    sector = SectorFactory()
    client.force_login(officer)
    response = client.post(reverse("calls:create"), call_form(sector))
    call = Call.objects.get()
    assert response["Location"] == reverse("calls:manage_detail", args=[call.pk])
    assert (call.year, call.batch_number, call.is_published, call.district_quota) == (2027, 1, False, 2)
    assert call.opens_at.isoformat() == "2027-03-01T01:00:00+00:00"  # 09:00 in Asia/Shanghai
    assert list(call.sectors.all()) == [sector]
    assert list(call.required_documents.values_list("name", "is_required")) == [("区县推荐函", True), ("联盟章程", False)]
    assert ScoreCriterion.objects.filter(call=call).count() == ScoreCriterion.objects.filter(call=None,
                                                                                            is_active=True).count()
    assert AuditEvent.objects.filter(action="call_created", object_id=str(call.pk)).exists()


def test_create_with_a_window_closing_before_it_opens_keeps_the_input(client, officer):
    sector = SectorFactory()
    client.force_login(officer)
    response = client.post(reverse("calls:create"), call_form(sector, closes_at="2027-02-01T09:00"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The window must close after it opens." in page
    assert "2027年度第一批产业技术创新战略联盟申报" in page
    assert "区县推荐函" in page
    assert not Call.objects.exists()


def test_duplicate_batch_is_a_field_error(client, officer):
    make_call(officer, year=2027, batch_number=1)
    client.force_login(officer)
    response = client.post(reverse("calls:create"), call_form(SectorFactory()))
    assert "There is already a call for batch 1 of 2027." in response.content.decode()
    assert Call.objects.count() == 1


def test_officer_edits_documents_and_publishes(client, officer):
    call = make_call(officer, publish=False, documents=[{"name": "营业执照", "is_required": True}])
    document = call.required_documents.get()
    client.force_login(officer)
    data = call_form(Sector.objects.first(), title=call.title, year="2026", batch_number=str(call.batch_number),
                     **management("documents", 2, initial=1))
    data.update({"documents-0-id": str(document.pk), "documents-0-name": "营业执照副本",
                 "documents-0-is_required": "on", "documents-1-name": "推荐函"})
    response = client.post(reverse("calls:edit", args=[call.pk]), data)
    assert response["Location"] == reverse("calls:manage_detail", args=[call.pk])
    assert list(call.required_documents.values_list("pk", "name")) == [
        (document.pk, "营业执照副本"), (document.pk + 1, "推荐函")]
    client.post(reverse("calls:publish", args=[call.pk]))
    assert Call.objects.get(pk=call.pk).is_published


def test_published_window_is_only_extended_not_edited(client, officer):
    call = make_call(officer)
    client.force_login(officer)
    opens_at = timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M")
    data = call_form(Sector.objects.first(), title="新标题", year="2026", batch_number=str(call.batch_number),
                     opens_at=opens_at, closes_at="2030-01-01T09:00", **management("documents", 0))
    client.post(reverse("calls:edit", args=[call.pk]), data)
    saved = Call.objects.get(pk=call.pk)
    assert saved.title == "新标题"
    assert saved.closes_at == call.closes_at
    assert saved.opens_at == timezone.localtime(call.opens_at).replace(second=0, microsecond=0)


@pytest.mark.parametrize("role", ["member", "expert", "department_reviewer", "liaison"])
def test_other_roles_are_refused_the_officer_pages(client, officer, role, request):
    call = make_call(officer)
    client.force_login(request.getfixturevalue(role))
    for url in (reverse("calls:manage_list"), reverse("calls:create"), reverse("calls:manage_detail", args=[call.pk]),
                reverse("calls:edit", args=[call.pk]), reverse("calls:extend", args=[call.pk]),
                reverse("calls:criteria", args=[call.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("calls:publish", args=[call.pk])).status_code == 403
    assert client.post(reverse("calls:create"), call_form(SectorFactory())).status_code == 403
    assert Call.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, officer):
    call = make_call(officer)
    response = client.get(reverse("calls:manage_detail", args=[call.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_list_counts_applications_without_growing_queries(client, officer):
    from tests.factories import AllianceFactory

    client.force_login(officer)
    first = make_call(officer, batch_number=1)
    AllianceFactory(call=first)
    client.get(reverse("calls:manage_list"))  # warm the session and permission caches

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("calls:manage_list")).content.decode()
        return len(captured), page

    few, _page = queries()
    for number in range(2, 6):
        AllianceFactory.create_batch(2, call=make_call(officer, batch_number=number))
    many, page = queries()
    assert few == many
    assert page.count("data-call=") == 5


def test_a_new_call_is_offered_office_hours_to_the_end_of_a_day(client, officer):
    """Issue 20, point 9: calls close at the end of a day unless the bureau says otherwise."""
    client.force_login(officer)
    page = client.get(reverse("calls:create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'name="opens_at" value="\d{4}-\d{2}-\d{2}T09:00"', page)
    assert re.search(r'name="closes_at" value="\d{4}-\d{2}-\d{2}T23:59"', page)
    assert "Asia/Shanghai" not in page
