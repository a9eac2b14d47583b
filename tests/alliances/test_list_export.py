"""CSV and xlsx exports contain exactly what the filtered list shows, in the same order."""

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from alliances.models import Alliance
from alliances.workflow import State
from tests.factories import AllianceFactory, OrganisationFactory, SectorFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliances(db):
    materials = SectorFactory()
    biomedicine = SectorFactory(code="biomedicine", name="生物医药")
    made = [
        AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟", sector=materials),
        AllianceFactory(name="淄博市新型高分子材料产业技术创新战略联盟", sector=materials,
                        chairman=OrganisationFactory(district=district("370305"))),
        AllianceFactory(name="淄博市生物医药产业技术创新战略联盟", sector=biomedicine),
        AllianceFactory(name="=HYPERLINK(\"http://evil.example\",\"点击\")", sector=materials),
    ]
    Alliance.objects.filter(pk=made[1].pk).update(state=State.PILOT)
    return made


def listed_names(client, query):
    page = client.get(reverse("alliances:list") + query).content.decode()
    return re.findall(r'class="fw-semibold">([^<]+)</a></td>', page)


def csv_rows(client, query):
    response = client.get(reverse("alliances:export", args=["csv"]) + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="alliances-')
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(client, query):
    response = client.get(reverse("alliances:export", args=["xlsx"]) + query)
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("query", ["?sector={materials}", "?sector={materials}&o=name", "?q=淄博市&o=-name",
                                   "?state=pilot", "?district={linzi}", ""])
def test_exports_equal_the_filtered_list(client, officer, alliances, query):
    materials = alliances[0].sector_id
    query = query.format(materials=materials, linzi=district("370305").pk)
    client.force_login(officer)
    shown = [unescape(name) for name in listed_names(client, query)]
    assert shown, query
    from_csv = csv_rows(client, query)
    from_xlsx = xlsx_rows(client, query)
    assert from_csv[0] == from_xlsx[0] == [
        "Alliance", "Industry sector", "Chairman unit", "Unified social credit code", "District",
        "Confirmed member units", "State", "Version", "Updated"]
    assert [row[0].removeprefix("'") for row in from_csv[1:]] == shown
    assert [row[0] for row in from_xlsx[1:]] == shown


def test_export_columns_carry_the_shown_values(client, officer, alliances):
    client.force_login(officer)
    pilot = alliances[1]
    [_header, row] = csv_rows(client, "?state=pilot")
    assert row[:8] == [pilot.name, "新材料", pilot.chairman.name, pilot.chairman.credit_code, "临淄区", "1", "Pilot",
                       "0"]
    [_header, xrow] = xlsx_rows(client, "?state=pilot")
    assert xrow[:8] == [pilot.name, "新材料", pilot.chairman.name, pilot.chairman.credit_code, "临淄区", 1, "Pilot", 0]


def test_formulas_in_user_data_stay_text(client, officer, alliances):
    client.force_login(officer)
    evil = alliances[3].name
    rows = csv_rows(client, "?q=HYPERLINK")
    assert rows[1][0] == "'" + evil
    response = client.get(reverse("alliances:export", args=["xlsx"]) + "?q=HYPERLINK")
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
    assert (cell.value, cell.data_type) == (evil, "s")


def test_list_shows_the_result_count(client, officer, alliances):
    client.force_login(officer)
    page = client.get(reverse("alliances:list") + f"?sector={alliances[0].sector_id}").content.decode()
    assert re.search(r'id="result-count">\s*3 alliances', page)
