"""List filters written as conditions the database plans as joins return exactly the rows of the value the
list shows for each row."""

import pytest

from alliances.api import DesignationLevel, alliance_rows, has_designation_level, with_list_columns
from alliances.models import Alliance

from ..dashboards.data import make_city
from .conftest import session_client

pytestmark = pytest.mark.django_db


def test_the_designation_level_filter_holds_exactly_the_alliances_showing_that_level():
    city = make_city(alliances=18, seed=4)
    officer = city["officer"]
    shown = dict(with_list_columns(Alliance.objects.all()).values_list("pk", "designation_level"))
    assert set(shown.values()) == {DesignationLevel.DEMONSTRATION, DesignationLevel.PILOT, DesignationLevel.NONE}
    client = session_client(officer)
    for level in (DesignationLevel.DEMONSTRATION, DesignationLevel.PILOT, DesignationLevel.NONE):
        expected = sorted(pk for pk, value in shown.items() if value == level)
        assert sorted(alliance_rows(officer).filter(has_designation_level(level)).values_list("pk", flat=True)) \
            == expected, level
        answer = client.get("/api/v1/alliances/", {"designation_level": level, "page_size": 100}).json()
        assert sorted(row["id"] for row in answer["results"]) == expected, level
        assert {row["designation_level"] for row in answer["results"]} <= {level}
