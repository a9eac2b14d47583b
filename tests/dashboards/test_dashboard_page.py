"""The officers' dashboard page: access, links behind every number, CSP-clean charts, Excel exports."""

import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest

from accounts.roles import Role
from dashboards.selectors import Board, DashboardFilters
from tests.factories import UserFactory, member_user

from ..api.conftest import session_client
from .data import make_city


@pytest.fixture
def city(db):
    return make_city(alliances=8, seed=3)


def test_member_unit_may_not_see_the_dashboard(city, client):
    client.force_login(member_user())
    assert client.get("/dashboards/").status_code == 403
    assert client.get("/dashboards/rows/alliances/").status_code == 403
    assert client.get("/dashboards/export/sectors.xlsx").status_code == 403
    assert session_client(member_user()).get("/api/v1/dashboard/summary/").status_code == 403


def test_anonymous_is_sent_to_sign_in(city, client):
    response = client.get("/dashboards/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DEPARTMENT_REVIEWER, Role.LIAISON])
def test_bureau_roles_see_the_dashboard_in_the_menu(city, client, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get("/dashboards/")
    assert response.status_code == 200
    assert 'href="/dashboards/"' in response.content.decode()


def test_every_number_on_the_page_is_a_link_to_its_list(city, client):
    client.force_login(city["officer"])
    html = client.get("/dashboards/").content.decode()
    links = re.findall(r'<a class="figure-link" href="([^"]+)">([^<]+)</a>', html)
    assert len(links) > 80
    assert all(href.startswith("/dashboards/rows/") for href, _value in links)
    total = Board(city["officer"], DashboardFilters()).summary()["alliances"]["total"].value
    assert ("/dashboards/rows/alliances/", str(total)) in [(h.replace("&amp;", "&"), v) for h, v in links]


def test_charts_get_their_data_from_json_script_not_inline_code(city, client):
    client.force_login(city["officer"])
    html = client.get("/dashboards/").content.decode()
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S)
    charts = json.loads(data.group(1))
    assert {"alliances-by-state", "alliances-by-level", "units-by-kind", "projects-by-kind", "series"} <= set(charts)
    assert all(link.startswith("/dashboards/rows/") for link in charts["alliances-by-state"]["links"])
    inline = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if "src=" not in attrs and 'type="application/json"' not in attrs]
    assert inline == []
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html
    assert 'src="/static/js/dashboard.js"' in html


def test_sector_filter_narrows_every_number(city, client):
    client.force_login(city["officer"])
    sector = city["sectors"][0]
    html = client.get(f"/dashboards/?sector={sector.pk}").content.decode()
    expected = Board(city["officer"], DashboardFilters(sector=sector)).summary()["alliances"]["total"].value
    assert f'href="/dashboards/rows/alliances/?sector={sector.pk}">{expected}</a>' in html


def test_invalid_filters_show_errors_not_500(city, client):
    client.force_login(city["officer"])
    response = client.get("/dashboards/?year=1800&sector=abc")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    api = session_client(city["officer"]).get("/api/v1/dashboard/summary/?year=1800&sector=abc")
    assert api.status_code == 400
    assert set(api.json()) == {"year", "sector"}


def test_rows_page_refuses_unknown_lists_and_bad_filters(city, client):
    client.force_login(city["officer"])
    assert client.get("/dashboards/rows/passwords/").status_code == 404
    assert client.get("/dashboards/rows/alliances/?state=nonsense").status_code == 400


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_sector_table_exports_the_numbers_shown(city, client):
    client.force_login(city["officer"])
    rows = _sheet(client.get("/dashboards/export/sectors.xlsx"))
    table = Board(city["officer"], DashboardFilters()).breakdown("sector")
    assert len(rows) == len(table) + 1
    for line, row in zip(rows[1:], table, strict=True):
        assert line[0] == row["label"]
        assert line[1:5] == [row["alliances"].value, row["designated"].value, row["member_units"].value,
                             row["projects"].value]
        assert Decimal(str(line[5])).quantize(Decimal("0.0001")) == row["total_investment"].value


def test_list_export_holds_the_rows_of_the_list(city, client):
    client.force_login(city["officer"])
    rows = _sheet(client.get("/dashboards/rows/alliances/?export=xlsx"))
    assert len(rows) - 1 == Board(city["officer"], DashboardFilters()).summary()["alliances"]["total"].value


@pytest.mark.parametrize("table", ["alliances", "member-units", "projects", "time-series", "districts", "watch-list"])
def test_each_table_exports(city, client, table):
    client.force_login(city["officer"])
    rows = _sheet(client.get(f"/dashboards/export/{table}.xlsx"))
    assert rows[0][0]
    assert client.get("/dashboards/export/secrets.xlsx").status_code == 404
