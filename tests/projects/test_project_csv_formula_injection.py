"""The projects CSV export writes user text that a spreadsheet would run as a formula as text (issue 18,
finding 1), through the one helper every CSV export uses."""

import csv
import io
from decimal import Decimal

import pytest

from alliance_portal.core.csv_export import csv_safe
from projects.workflow import ProjectState

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_title_starting_a_formula_is_written_as_text(client, officer, alliance):
    title = '=HYPERLINK("http://x.example","p")'
    ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED, title=title)
    client.force_login(officer)
    response = client.get("/projects/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["'" + title]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_gets_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize(("value", "written"), [
    (None, ""), ("乙项目", "乙项目"), (Decimal("-3.5000"), Decimal("-3.5000")), (-2, -2), ("a=b", "a=b"),
])
def test_plain_values_and_numbers_stay_as_they_are(value, written):
    assert csv_safe(value) == written
