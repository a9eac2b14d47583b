"""The alliance's operation records: development plans submitted and acknowledged, activities recorded."""

from datetime import date

import pytest

from alliance_portal.core.errors import IllegalTransition, NotPermitted
from notifications.models import Notification
from projects import services
from projects.models import Activity, DevelopmentPlan

from .factories import DevelopmentPlanFactory

pytestmark = pytest.mark.django_db

PLAN = {"kind": "annual", "year": "2026", "end_year": "", "title": "2026年度发展计划", "content": "重点任务……"}


def test_secretariat_files_an_annual_plan_and_the_bureau_acknowledges_it(client, alliance, secretariat, officer,
                                                                         django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projects/alliance/{alliance.pk}/plans/new/", PLAN)
    assert response["Location"] == f"/projects/alliance/{alliance.pk}/plans/"
    plan = DevelopmentPlan.objects.get()
    assert (plan.status, plan.submitted_by) == (DevelopmentPlan.Status.SUBMITTED, secretariat)
    assert Notification.objects.filter(recipient=officer, kind="plan_submitted").exists()

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/projects/alliance/{alliance.pk}/plans/{plan.pk}/", {"note": "已阅，按计划推进"})
    plan.refresh_from_db()
    assert (plan.status, plan.acknowledged_by, plan.acknowledgement_note) == (
        DevelopmentPlan.Status.ACKNOWLEDGED, officer, "已阅，按计划推进")
    assert Notification.objects.filter(recipient=secretariat, kind="plan_acknowledged").exists()
    assert services.acknowledge_plan(plan, by=officer) is None  # a second acknowledgement changes nothing


def test_plan_form_checks_years_and_duplicates(client, alliance, secretariat):
    client.force_login(secretariat)
    url = f"/projects/alliance/{alliance.pk}/plans/new/"
    response = client.post(url, {**PLAN, "kind": "medium_long", "end_year": "2025"})
    assert response.context["form"].errors["end_year"] == ["The last year must come after the first year."]
    response = client.post(url, {**PLAN, "end_year": "2027"})
    assert response.context["form"].errors["end_year"] == ["An annual plan covers one year: leave the last year empty."]
    client.post(url, PLAN)
    response = client.post(url, PLAN)
    assert response.context["form"].errors["year"] == [
        "The alliance has filed this plan for that year already: edit it instead."]
    assert 'value="2026年度发展计划"' in response.content.decode()


def test_acknowledged_plan_cannot_be_revised(alliance, secretariat, officer):
    plan = DevelopmentPlanFactory(alliance=alliance)
    services.acknowledge_plan(plan, by=officer)
    plan.refresh_from_db()
    with pytest.raises(IllegalTransition):
        services.submit_plan(alliance=alliance, by=secretariat, plan=plan)


def test_only_the_secretariat_files_and_only_the_bureau_acknowledges(client, alliance, plain_member, secretariat,
                                                                     outsider):
    plan = DevelopmentPlanFactory(alliance=alliance)
    client.force_login(plain_member)
    assert client.get(f"/projects/alliance/{alliance.pk}/plans/new/").status_code == 403
    assert client.get(f"/projects/alliance/{alliance.pk}/plans/").status_code == 200
    with pytest.raises(NotPermitted):
        services.acknowledge_plan(plan, by=secretariat)
    client.force_login(secretariat)
    assert client.post(f"/projects/alliance/{alliance.pk}/plans/{plan.pk}/", {"note": ""}).status_code == 403
    client.force_login(outsider)
    assert client.get(f"/projects/alliance/{alliance.pk}/plans/").status_code == 404
    assert client.get(f"/projects/alliance/{alliance.pk}/plans/{plan.pk}/").status_code == 404


def test_activity_is_recorded_and_counts_as_high_level(client, alliance, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/projects/alliance/{alliance.pk}/activities/", {
        "date": "2026-04-18", "kind": "business_model", "title": "商业模式创新沙龙", "participants": "12家成员单位",
        "participant_count": "45", "outcome": "形成联合采购平台方案"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.is_high_level
    assert activity.recorded_by == secretariat
    page = client.get(f"/projects/alliance/{alliance.pk}/activities/")
    assert page.context["indicators"]["high_level_events_this_year"] == 1
    assert "商业模式创新沙龙" in page.content.decode()


def test_activity_in_the_future_is_refused(client, alliance, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/projects/alliance/{alliance.pk}/activities/", {
        "date": "2026-05-01", "kind": "internal", "title": "内部交流", "participants": "全体", "participant_count": "5",
        "outcome": "—"})
    assert response.context["form"].errors["date"] == [
        "Record activities that have taken place: the date is in the future."]
    assert 'value="内部交流"' in response.content.decode()


def test_members_see_activities_but_cannot_record(client, alliance, plain_member):
    Activity.objects.create(alliance=alliance, date=date(2026, 1, 5), kind="internal", title="年会",
                            participants="全体", outcome="总结")
    client.force_login(plain_member)
    page = client.get(f"/projects/alliance/{alliance.pk}/activities/")
    assert page.context["form"] is None
    assert client.post(f"/projects/alliance/{alliance.pk}/activities/", {}).status_code == 403


def test_activity_list_query_count_does_not_grow(client, alliance, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    counts = []
    for batch in (2, 20):
        Activity.objects.bulk_create([Activity(alliance=alliance, date=date(2026, 1, 5), kind="internal",
                                               title=f"交流{n}", participants="x", outcome="y") for n in range(batch)])
        with CaptureQueriesContext(connection) as context:
            client.get(f"/projects/alliance/{alliance.pk}/activities/")
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
