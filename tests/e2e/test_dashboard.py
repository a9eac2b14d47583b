"""The officer's dashboard in a real browser: charts drawn, filter by sector, follow a number to its list."""

import re

import pytest
from playwright.sync_api import expect

from dashboards.selectors import Board, DashboardFilters
from tests.dashboards.data import make_city
from tests.factories import PASSWORD

from .helpers import login, shot

pytestmark = pytest.mark.e2e



def test_officer_filters_the_dashboard_and_follows_a_number_to_its_list(page, live_server):
    city = make_city(alliances=12, seed=21)
    officer, sector = city["officer"], city["sectors"][1]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)

    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.locator("[data-chart='alliances-by-state'][data-rendered='true'] svg")).to_be_visible()
    expect(page.locator("[data-chart='series'][data-rendered='true'] svg")).to_be_visible()
    everything = Board(officer, DashboardFilters()).summary()["alliances"]["total"].value
    expect(page.locator("[data-kpi='alliances'] a")).to_have_text(str(everything))
    shot(page, "dashboard-all")

    page.select_option("#id_sector", str(sector.pk))
    with page.expect_navigation():
        page.click("#dashboard-filters button[type=submit]")
    assert f"sector={sector.pk}" in page.url
    expected = Board(officer, DashboardFilters(sector=sector)).summary()["alliances"]["total"].value
    assert expected < everything
    kpi = page.locator("[data-kpi='alliances'] a")
    expect(kpi).to_have_text(str(expected))
    expect(page.locator("#sector-table tbody tr")).to_have_count(1)
    shot(page, "dashboard-sector")

    with page.expect_navigation():
        kpi.click()
    assert re.search(rf"/dashboards/rows/alliances/\?sector={sector.pk}$", page.url)
    expect(page.locator("#result-count")).to_contain_text(str(expected))
    expect(page.locator("#rows-table tbody tr")).to_have_count(max(expected, 1))
    names = {a.name for a in city["alliances"] if a.sector_id == sector.pk}
    for row in page.locator("#rows-table tbody tr td:first-child").all_inner_texts():
        assert row in names
    shot(page, "dashboard-rows")
    assert errors == []
