"""Issue 20, point 8: what officers read is said in their language, not in the code's words."""

import io
import re

import openpyxl
import pytest
from django.utils import translation

from alliances.models import Alliance
from alliances.workflow import State

from .data import make_city


@pytest.fixture
def city(db):
    return make_city(alliances=8, seed=3)


def test_the_drill_down_page_says_its_filters_in_words(city, client):
    client.force_login(city["officer"])
    alliance = Alliance.objects.exclude(sector=None).select_related("sector").order_by("pk").first()
    html = client.get(f"/dashboards/rows/alliances/?state={alliance.state}&sector={alliance.sector_id}",
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    badges = re.findall(r'<span class="badge text-bg-light border me-1">([^<]*)</span>', html)
    with translation.override("zh-hans"):
        state = str(State(alliance.state).label)
    assert f"state = {alliance.state}" not in html
    assert any(b.endswith(f": {alliance.sector.name}") for b in badges), badges
    assert any(b.endswith(f": {state}") for b in badges), badges
    assert "数据接口（JSON）" in html
    assert "> API</a>" not in html


def test_the_workbook_names_its_sheet_and_groups_in_the_readers_language(city, client):
    client.force_login(city["officer"])
    response = client.get("/dashboards/export/alliances.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["联盟"]
    groups = {row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert {"按状态", "按认定级别"} <= groups
    assert not {g for g in groups if g and g.startswith("by_")}
    listed = client.get("/dashboards/rows/projects/?export=xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert openpyxl.load_workbook(io.BytesIO(listed.content), read_only=True).sheetnames[0].isascii() is False


def test_the_language_menu_names_each_language_in_itself(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "英语" not in html
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-hans">简体中文</option>' in english


def test_the_admin_is_titled_in_the_readers_language(admin_client):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Alliance Portal" not in html
    assert "系统管理" in html


def test_reference_data_and_call_titles_follow_the_readers_language(client, officer):
    """Issue 20, point 8: sectors, districts, departments and calls carry both names; each page shows the
    reader's."""
    from alliances.models import Sector
    from reviews.models import Department
    from tests.calls.conftest import make_call

    sector = Sector.objects.create(code="ceramics", name="先进陶瓷", name_en="Advanced ceramics")
    call = make_call(officer, title="2027年度第一批联盟申报", title_en="2027 call, first batch", sectors=[sector])
    department = Department.objects.get(code="development-reform")
    with translation.override("en"):
        assert (str(sector), str(call), str(department)) == (
            "Advanced ceramics", "2027 call, first batch", "Development and Reform Commission")
    with translation.override("zh-hans"):
        assert (str(sector), str(call), str(department)) == ("先进陶瓷", "2027年度第一批联盟申报", "市发展和改革委员会")
    client.force_login(officer)
    english = client.get(f"/calls/{call.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2027 call, first batch" in english
    assert "Advanced ceramics" in english
    chinese = client.get(f"/calls/{call.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2027年度第一批联盟申报" in chinese
    assert "先进陶瓷" in chinese
