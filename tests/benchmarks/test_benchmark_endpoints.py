"""The bare /bench/ endpoints exist only when PORTAL_BENCHMARK_ENDPOINTS switches them on."""

import datetime
import importlib

import pytest
from django.urls import clear_url_caches

import alliance_portal.urls
from benchmarks import probe
from tests.factories import AllianceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def benchmark_endpoints(settings):
    settings.BENCHMARK_ENDPOINTS = True
    importlib.reload(alliance_portal.urls)
    clear_url_caches()
    yield
    settings.BENCHMARK_ENDPOINTS = False
    importlib.reload(alliance_portal.urls)
    clear_url_caches()


def test_benchmark_endpoints_are_off_by_default(client, settings):
    assert settings.BENCHMARK_ENDPOINTS is False

    assert client.get("/bench/ping").status_code == 404
    assert client.get("/bench/alliances/").status_code == 404


def test_benchmark_ping_answers_ok(client, benchmark_endpoints):
    response = client.get("/bench/ping")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_benchmark_bare_list_pages_twenty_alliances_for_anyone(client, benchmark_endpoints,
                                                               django_assert_num_queries):
    alliances = AllianceFactory.create_batch(23)

    with django_assert_num_queries(2):  # the paginator's COUNT and the page
        response = client.get("/bench/alliances/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 23
    assert [row["id"] for row in body["results"]] == [a.pk for a in sorted(alliances, key=lambda a: a.pk)][:20]
    assert set(body["results"][0]) == {"id", "name", "state", "sector", "created_at"}
    assert client.get("/bench/alliances/?page=2").json()["count"] == 23


def test_benchmark_endpoints_stay_out_of_the_api_schema(benchmark_endpoints):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert not [path for path in schema["paths"] if path.startswith("/bench")]


def test_probe_counts_each_endpoints_queries_on_a_warm_request(benchmark_endpoints):
    AllianceFactory.create_batch(3)
    UserFactory(username=probe.BENCH_OFFICER)
    endpoints = [{"key": "ping", "path": "/bench/ping", "auth": "none"},
                 {"key": "bare_list", "path": "/bench/alliances/", "auth": "none"}]

    found = probe.queries(endpoints, {"token": "unused"})

    assert {key: (row["queries"], row["status"]) for key, row in found.items()} == {"ping": (0, 200),
                                                                                    "bare_list": (2, 200)}
    assert all(row["cpu_ms"] > 0 for row in found.values())


def test_a_write_round_moves_the_generations_and_changes_no_value(monkeypatch):
    from alliances.models import Alliance
    from dashboards import invalidation
    from projects.models import ProgressReport
    from tests.projects.factories import approved_project, report_for

    monkeypatch.setattr(probe, "_first_ids", {})
    project = approved_project()
    report = report_for(project, period_start=datetime.date(2026, 1, 1))
    alliance = project.alliance
    before_values = (Alliance.objects.get(pk=alliance.pk).updated_at,
                     ProgressReport.objects.get(pk=report.pk).submitted_at)
    tables = ["alliances_alliance", "projects_project", "projects_progressreport"]
    before = invalidation.generations(tables)

    probe.write_round(0)

    after = invalidation.generations(tables)
    assert all(after[table] != before[table] for table in tables)
    assert (Alliance.objects.get(pk=alliance.pk).updated_at,
            ProgressReport.objects.get(pk=report.pk).submitted_at) == before_values
    assert project.pk in probe._first_ids[type(project)]
