"""The project lists: the bureau's filters, a member unit's scope, sorting, pagination and constant query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.models import Alliance, Sector
from projects.models import ProjectKind
from projects.workflow import ProjectState

from .factories import ProjectFactory, approved_project, report_for

pytestmark = pytest.mark.django_db


def _titles(response):
    return [project.title for project in response.context["projects"]]


@pytest.fixture
def spread(alliance, outsider):
    """Projects differing in one attribute each, so that every filter picks exactly one."""
    biomedicine = Sector.objects.create(code="test-sector", name="测试产业领域")
    return {
        "draft": ProjectFactory(alliance=alliance, title="草稿项目"),
        "submitted": ProjectFactory(alliance=alliance, title="待审项目", state=ProjectState.SUBMITTED,
                                    kind=ProjectKind.ALLIANCE_STANDARD, sector=biomedicine),
        "running": approved_project(alliance=alliance, title="实施项目", state=ProjectState.IN_PROGRESS,
                                    kind=ProjectKind.SERVICE_PLATFORM),
        "on_time": approved_project(alliance=alliance, title="按时项目", state=ProjectState.IN_PROGRESS,
                                    start_date=date(2026, 4, 1)),
        "other": approved_project(title="其他联盟项目", alliance=Alliance.objects.get(chairman=outsider.organisation)),
    }


def test_officer_sees_every_filed_project_but_no_drafts(client, officer, spread):
    client.force_login(officer)
    response = client.get("/projects/")
    assert set(_titles(response)) == {"待审项目", "实施项目", "按时项目", "其他联盟项目"}
    assert response.context["count"] == 4


@pytest.mark.parametrize(("query", "expected"), [
    ("sector={biomedicine}", {"待审项目"}),
    ("kind=service_platform", {"实施项目"}),
    ("state=submitted", {"待审项目"}),
    ("alliance={alliance}", {"待审项目", "实施项目", "按时项目"}),
    ("late=on", {"实施项目", "其他联盟项目"}),
    ("q=实施", {"实施项目"}),
    ("year=2026", {"待审项目", "实施项目", "按时项目", "其他联盟项目"}),
    ("year=2025", set()),
])
def test_officer_filters(client, officer, spread, alliance, query, expected):
    client.force_login(officer)
    query = query.format(biomedicine=spread["submitted"].sector_id, alliance=alliance.pk)
    assert set(_titles(client.get(f"/projects/?{query}"))) == expected


def test_late_means_an_overdue_report_or_a_passed_end_date(client, officer, spread):
    # "实施项目" started 2026-01-01: Q1 was due 2026-04-15 and is not reported; "按时项目" starts in Q2.
    report_for(spread["running"], period_start=date(2026, 1, 1))
    running = spread["running"]
    running.next_report_due = date(2026, 7, 15)
    running.save()
    client.force_login(officer)
    assert set(_titles(client.get("/projects/?late=on"))) == {"其他联盟项目"}
    running.end_date = date(2026, 3, 31)
    running.save()
    assert set(_titles(client.get("/projects/?late=on"))) == {"实施项目", "其他联盟项目"}


def test_flags_stalled_and_over_budget(client, officer, alliance):
    stalled = approved_project(alliance=alliance, title="停滞项目", state=ProjectState.IN_PROGRESS)
    report_for(stalled, period_start=date(2026, 1, 1), completed=("10", "0", "0", "0"), investment_increase="0")
    over = approved_project(alliance=alliance, title="超支项目", state=ProjectState.IN_PROGRESS)
    report_for(over, period_start=date(2026, 1, 1), completed=("900", "0", "100", "100"), used="20")
    fine = approved_project(alliance=alliance, title="正常项目", state=ProjectState.IN_PROGRESS)
    report_for(fine, period_start=date(2026, 1, 1), completed=("100", "0", "0", "0"))
    client.force_login(officer)
    rows = {p.title: (p.is_stalled, p.is_over_budget) for p in client.get("/projects/").context["projects"]}
    assert rows == {"停滞项目": (True, False), "超支项目": (False, True), "正常项目": (False, False)}


def test_not_started_long_after_the_planned_start_is_stalled(client, officer, alliance):
    approved_project(alliance=alliance, title="未开工项目", start_date=date(2026, 1, 1))
    approved_project(alliance=alliance, title="刚立项项目", start_date=date(2026, 3, 1))
    client.force_login(officer)
    rows = {p.title: p.is_stalled for p in client.get("/projects/").context["projects"]}
    assert rows == {"未开工项目": True, "刚立项项目": False}


def test_member_sees_only_its_alliances_projects(client, lead_user, spread, alliance, outsider):
    client.force_login(lead_user)
    response = client.get("/projects/")
    assert set(_titles(response)) == {"草稿项目", "待审项目", "实施项目", "按时项目"}
    assert list(response.context["filter"].filters["alliance"].queryset) == [alliance]
    other = spread["other"]
    foreign = client.get(f"/projects/?alliance={other.alliance_id}")
    assert "其他联盟项目" not in _titles(foreign)
    assert "alliance" in foreign.context["filter"].form.errors
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    client.force_login(outsider)
    assert set(_titles(client.get("/projects/"))) == {"其他联盟项目"}
    assert client.get(f"/projects/{spread['running'].pk}/").status_code == 404


def test_invited_unit_sees_no_projects(client, invited_user, spread):
    client.force_login(invited_user)
    assert _titles(client.get("/projects/")) == []
    assert client.get(f"/projects/{spread['running'].pk}/").status_code == 404


def test_officer_cannot_open_a_draft(client, officer, spread):
    client.force_login(officer)
    assert client.get(f"/projects/{spread['draft'].pk}/").status_code == 404


def test_sorting_by_investment_both_ways(client, officer, alliance):
    for amount in ("300", "100", "200"):
        ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED, title=f"投资{amount}",
                       total_investment=Decimal(amount), budget=[(2026, amount, "0", "0", "0")])
    client.force_login(officer)
    assert _titles(client.get("/projects/?o=investment")) == ["投资100", "投资200", "投资300"]
    assert _titles(client.get("/projects/?o=-investment")) == ["投资300", "投资200", "投资100"]


def test_pagination_keeps_the_filters(client, officer, alliance):
    for n in range(23):
        ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED, title=f"项目{n:02d}")
    client.force_login(officer)
    response = client.get("/projects/?state=submitted&o=title&page=2")
    assert _titles(response) == ["项目20", "项目21", "项目22"]
    assert "state=submitted&amp;o=title&amp;page=1" in response.content.decode()


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_projects(alliance, count):
    for _ in range(count):
        project = approved_project(alliance=alliance, state=ProjectState.IN_PROGRESS)
        report_for(project, period_start=date(2026, 1, 1), completed=("10", "0", "0", "0"))


@pytest.mark.parametrize("who", ["officer", "lead_user"])
def test_list_query_count_does_not_grow_with_rows(client, alliance, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    _add_projects(alliance, 5)
    few = _list_queries(client, "/projects/?late=on&o=-investment")
    _add_projects(alliance, 15)  # 20 rows fill a page
    many = _list_queries(client, "/projects/?late=on&o=-investment")
    assert few == many
    assert many <= 15


def test_detail_query_count_does_not_grow_with_reports_and_changes(client, officer, alliance):
    project = approved_project(alliance=alliance, state=ProjectState.IN_PROGRESS)
    report_for(project, period_start=date(2026, 1, 1))
    client.force_login(officer)
    few = _list_queries(client, f"/projects/{project.pk}/")
    for month in (4, 7, 10):
        report_for(project, period_start=date(2025, month, 1))
    many = _list_queries(client, f"/projects/{project.pk}/")
    assert few == many


def test_the_bureaus_alliance_filter_offers_the_alliance_asked_for_and_the_search_finds_any(client, officer,
                                                                                           spread, alliance):
    client.force_login(officer)
    other = spread["other"].alliance

    unfiltered = client.get("/projects/")
    assert [value for value, _label in unfiltered.context["filter"].form.fields["alliance"].choices] == [""]

    chosen = client.get("/projects/", {"alliance": other.pk})
    assert _titles(chosen) == ["其他联盟项目"]
    assert [str(value) for value, _label in chosen.context["filter"].form.fields["alliance"].choices] == [
        "", str(other.pk)]

    assert _titles(client.get("/projects/", {"q": other.name[2:8]})) == ["其他联盟项目"]
    assert client.get("/projects/", {"alliance": "9" * 30}).context["filter"].errors  # refused beside the field


def test_a_member_chooses_among_its_own_alliances(client, lead_user, spread, alliance):
    client.force_login(lead_user)

    response = client.get("/projects/")

    assert [str(value) for value, _label in response.context["filter"].form.fields["alliance"].choices] == [
        "", str(alliance.pk)]
