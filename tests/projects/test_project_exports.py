"""Exports give exactly the rows the filtered list shows, in its order: xlsx (no formulas or links made from
user text) and CSV in UTF-8 with a byte-order mark for Excel."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from projects.workflow import ProjectState

from .factories import ProjectFactory, approved_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(alliance, outsider):
    for amount, title in (("300", "=HYPERLINK(\"http://evil.example\",\"点击\")"), ("100", "乙项目"),
                          ("200", "丙项目")):
        ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED, title=title, total_investment=Decimal(amount),
                       budget=[(2026, amount, "0", "0", "0")])
    approved_project(alliance=alliance, title="已立项项目", number="LM-2026-0007")
    ProjectFactory(alliance=alliance, title="草稿不导出")


def test_xlsx_has_the_filtered_rows_in_list_order(client, officer, listed):
    client.force_login(officer)
    response = client.get("/projects/export.xlsx?state=submitted&o=-investment")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Approval number", "Project title", "Alliance")
    assert [row[1] for row in rows[1:]] == ['=HYPERLINK("http://evil.example","点击")', "丙项目", "乙项目"]
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, not a formula
    assert [row[10] for row in rows[1:]] == [300, 200, 100]
    shown = [p.title for p in client.get("/projects/?state=submitted&o=-investment").context["projects"]]
    assert shown == [row[1] for row in rows[1:]]


def test_csv_has_a_bom_and_the_same_rows(client, officer, listed):
    client.force_login(officer)
    response = client.get("/projects/export.csv?q=已立项")
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "LM-2026-0007"
    assert rows[1][1] == "已立项项目"
    assert rows[1][10] == "1000.0000"


def test_member_export_is_scoped_to_its_alliances(client, outsider, listed):
    client.force_login(outsider)
    rows = list(csv.reader(io.StringIO(client.get("/projects/export.csv").content.decode("utf-8-sig"))))
    assert rows[1:] == []


def test_unknown_export_format_is_404(client, officer):
    client.force_login(officer)
    assert client.get("/projects/export.pdf").status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/projects/export.csv")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
