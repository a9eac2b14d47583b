"""The bureau's project lists take their number of rows from the project tally when every filter is a part of
its key, and that number always equals the rows the list holds (counted here in Python from the raw rows).

Counting 100,000 projects was most of a filtered page's database time (issue 16); the tally is kept in the
same transaction as the projects, so its sum is exact, not a cached figure.
"""

import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from projects import tally
from projects.models import Project
from projects.workflow import STATE_GROUPS, ProjectState
from tests.factories import UserFactory

from ..api.conftest import session_client
from ..dashboards.data import make_city

pytestmark = pytest.mark.django_db

STARTED = {ProjectState.IN_PROGRESS, ProjectState.ACCEPTANCE, ProjectState.PASSED, ProjectState.FAILED}


def _year(project) -> int:
    moment = project.approved_at or project.submitted_at or project.created_at
    return timezone.localtime(moment).date().year


def _holds(project, filters: dict) -> bool:
    """Whether the bureau's list under ``filters`` holds ``project``, decided from the raw row in Python."""
    checks = {
        "sector": lambda value: project.sector_id == value,
        "district": lambda value: project.lead_unit.district_id == value,  # the unit's own, not the kept copy
        "year": lambda value: _year(project) == value,
        "kind": lambda value: project.kind == value,
        "state": lambda value: project.state == value,
        "state_group": lambda value: project.state in STATE_GROUPS[value],
        "started": lambda value: (project.state in STARTED or project.reported_started) == (value == "true"),
    }
    return project.state != ProjectState.DRAFT and all(checks[name](value) for name, value in filters.items())


@pytest.fixture
def city():
    return make_city(alliances=12, seed=5)


def _combinations(city, rng) -> list[dict]:
    projects = list(Project.objects.exclude(state=ProjectState.DRAFT))
    values = {
        "sector": sorted({p.sector_id for p in projects}), "district": sorted({d.pk for d in city["districts"]}),
        "year": [*sorted({_year(p) for p in projects}), 1999], "kind": sorted({p.kind for p in projects}),
        "state": sorted(ProjectState.values), "state_group": sorted(STATE_GROUPS), "started": ["true", "false"],
    }
    combos = [{}]
    for size in (1, 2, 3):
        for names in itertools.combinations(sorted(values), size):
            combos.append({name: rng.choice(values[name]) for name in names})
    return combos


def test_the_api_count_of_every_tallied_filter_combination_equals_the_rows(city):
    officer = city["officer"]
    client = session_client(officer)
    projects = list(Project.objects.select_related("lead_unit"))
    checked = 0
    for filters in _combinations(city, random.Random(3)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/projects/", {**filters, "page_size": 100})
        assert response.status_code == 200, (filters, response.content)
        expected = sorted(p.pk for p in projects if _holds(p, filters))
        assert response.json()["count"] == len(expected), filters
        if len(expected) <= 100:  # and the page holds exactly those rows
            assert sorted(row["id"] for row in response.json()["results"]) == expected, filters
        counted = [q["sql"] for q in queries.captured_queries
                   if "COUNT(" in q["sql"].upper() and '"projects_project"' in q["sql"] and "GROUP BY" not in q["sql"]]
        assert counted == [], f"{filters}: the projects were counted, not the tally read"
        checked += 1
    assert checked > 60


def test_the_project_page_counts_from_the_tally_and_agrees_with_the_rows(city, client):
    officer = city["officer"]
    client.force_login(officer)
    projects = list(Project.objects.select_related("lead_unit"))
    sector = projects[0].sector_id
    for filters in ({}, {"sector": sector}, {"sector": sector, "state": ProjectState.APPROVED}):
        response = client.get("/projects/", filters)
        assert response.status_code == 200
        assert response.context["count"] == sum(1 for p in projects if _holds(p, filters)), filters


def test_filters_outside_the_key_and_other_users_count_the_rows(city):
    officer = city["officer"]
    assert tally.list_count(officer, {"sector": None, "q": "", "late": False}) == \
        Project.objects.exclude(state=ProjectState.DRAFT).count()
    assert tally.list_count(officer, {"late": True}) is None
    assert tally.list_count(officer, {"q": "平台"}) is None
    assert tally.list_count(officer, {"alliance": city["alliances"][0]}) is None
    assert tally.list_count(officer, {"stalled": False}) is None  # "not stalled" filters too
    member = UserFactory(roles=[Role.MEMBER], organisation=city["units"][0])
    assert tally.list_count(member, {}) is None

    # and with such a filter the API counts the rows themselves, still exactly
    client = session_client(officer)
    today = timezone.localdate()
    late = [p for p in Project.objects.all() if p.state in (ProjectState.APPROVED, ProjectState.IN_PROGRESS)
            and ((p.next_report_due and p.next_report_due < today) or p.end_date < today)]
    assert client.get("/api/v1/projects/", {"late": "true"}).json()["count"] == len(late)


def test_a_stale_kept_district_is_reported_and_repaired(city):
    project = Project.objects.exclude(state=ProjectState.DRAFT).select_related("lead_unit").first()
    other = next(d for d in city["districts"] if d.pk != project.lead_unit.district_id)
    Project.objects.filter(pk=project.pk).update(lead_district=other)  # a write around the services

    assert any(f"project {project.pk}: kept district {other.pk}" in line for line in tally.differences())
    tally.rebuild()
    project.refresh_from_db()
    assert project.lead_district_id == project.lead_unit.district_id
    assert tally.differences() == []


def test_a_project_keeps_its_lead_units_district_when_saved(city):
    projects = list(Project.objects.select_related("lead_unit"))
    assert all(p.lead_district_id == p.lead_unit.district_id for p in projects)  # the factories saved them

    project = projects[0]
    other_unit = next(unit for unit in city["units"] if unit.district_id != project.lead_unit.district_id)
    project.lead_unit = other_unit
    project.save(update_fields=["lead_unit"])
    project.refresh_from_db()
    assert project.lead_district_id == other_unit.district_id
