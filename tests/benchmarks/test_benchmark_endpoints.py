"""The bare /bench/ endpoints exist only when PORTAL_BENCHMARK_ENDPOINTS switches them on."""

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


def test_probe_counts_the_queries_of_a_mix_sample(benchmark_endpoints):
    AllianceFactory.create_batch(3)
    UserFactory(username=probe.BENCH_OFFICER)
    mixes = {"bare_list": {"auth": "none", "paths": ["/bench/alliances/", "/bench/alliances/?page=1"]}}

    found = probe.queries(mixes, {"token": "unused"})

    assert found["bare_list"]["queries_min"] == found["bare_list"]["queries_max"] == 2
    assert found["bare_list"]["statuses"] == [200]
    assert found["bare_list"]["cpu_ms"] > 0


def test_probe_draws_thousands_of_distinct_paths_that_all_answer(benchmark_endpoints, monkeypatch):
    from accounts.roles import Role
    from tests.projects.factories import approved_project

    monkeypatch.setattr(probe, "MIX_SIZE", 300)
    for _index in range(6):
        approved_project()
    UserFactory(username=probe.BENCH_OFFICER, roles=[Role.OFFICER])
    ids = probe.setup()

    drawn = probe.urls()

    mixes = drawn["mixes"]
    assert sorted(mixes) == ["bare_list", "dashboard", "detail_api", "html_list", "list_api"]
    for key in ("list_api", "detail_api", "html_list"):
        assert len(mixes[key]["paths"]) == 300
    # drawn, not one URL repeated: every id of the six alliances and projects, many filter combinations
    assert len(set(mixes["detail_api"]["paths"])) == 12
    assert len(set(mixes["list_api"]["paths"])) > 20
    assert len(set(mixes["html_list"]["paths"])) > 20
    assert {path.split("?")[0] for path in mixes["list_api"]["paths"]} == {"/api/v1/alliances/", "/api/v1/projects/"}
    assert any("ordering=" in path for path in mixes["list_api"]["paths"])
    assert drawn["ends"]["project list API"]["last"] == "/api/v1/projects/?page=1"  # six projects: one page
    found = probe.queries({key: {**mix, "paths": sorted(set(mix["paths"]))} for key, mix in mixes.items()}, ids)
    assert {key: row["statuses"] for key, row in found.items()} == {key: [200] for key in mixes}
