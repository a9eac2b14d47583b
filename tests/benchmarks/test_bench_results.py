"""The bench's parsing and arithmetic: wrk's Lua report, ratios, the growth check, the load and sweep lines."""

import json

import pytest

from benchmarks import run
from benchmarks.results import (
    Dataset,
    EndpointResult,
    WrkRun,
    endpoint_table,
    growth,
    growth_table,
    markdown,
    parse_wrk,
    plain,
    throughput_ratios,
)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/bench/ping
  2 threads and 16 connections
  Latency Distribution
     50%    2.91ms
Requests/sec:   5432.10
WRK_JSON {"requests": 54321, "duration_us": 10000000, "bytes": 1234567, "p50_us": 2910, "p90_us": 4100, \
"p95_us": 5250, "p99_us": 9000, "mean_us": 3012.5, "max_us": 40000, "errors_connect": 0, "errors_read": 1, \
"errors_write": 0, "errors_status": 2, "errors_timeout": 0}
"""


def _run(rps: float, p50: float, p95: float) -> WrkRun:
    return WrkRun(requests=int(rps * 10), seconds=10.0, p50_ms=p50, p90_ms=p95, p95_ms=p95, p99_ms=p95, mean_ms=p50,
                  max_ms=p95, errors=0)


def _dataset(name: str, **runs) -> Dataset:
    return Dataset(name=name, endpoints={
        key: EndpointResult(key, key, f"/{key}", "none", queries=queries, run=_run(*figures), cpu_ms=figures[1] / 10)
        for key, (queries, *figures) in runs.items()
    })


def test_parse_wrk_reads_the_lua_report_in_milliseconds():
    result = parse_wrk(WRK_OUTPUT)

    assert result.requests == 54321
    assert result.seconds == 10.0
    assert result.rps == pytest.approx(5432.1)
    assert (result.p50_ms, result.p90_ms, result.p95_ms, result.p99_ms) == (2.91, 4.1, 5.25, 9.0)
    assert result.mean_ms == pytest.approx(3.0125)
    assert result.errors == 3


def test_parse_wrk_without_the_report_line_is_an_error():
    with pytest.raises(ValueError, match="WRK_JSON"):
        parse_wrk("Requests/sec: 100\n")


def test_parse_wrk_with_no_completed_request_is_an_error_not_zero_latency():
    with pytest.raises(ValueError, match="no request"):
        parse_wrk(WRK_OUTPUT.replace('"requests": 54321', '"requests": 0'))


def test_throughput_ratios_divide_by_the_bare_list_and_the_ping():
    dataset = _dataset("full", ping=(0, 5000, 2, 4), bare_list=(2, 250, 50, 80), alliance_api=(5, 125, 100, 160))

    ratios = throughput_ratios(dataset)

    assert ratios["alliance_api"] == {"of_bare_list": pytest.approx(0.5), "of_ping": pytest.approx(0.025)}
    assert ratios["bare_list"]["of_bare_list"] == pytest.approx(1.0)
    assert ratios["ping"]["of_ping"] == pytest.approx(1.0)


def test_growth_needs_the_latency_ratio_within_target_and_the_same_query_count():
    small = _dataset("small", bare_list=(2, 300, 40, 50), alliance_api=(5, 200, 50, 60), dashboard=(9, 50, 80, 100))
    full = _dataset("full", bare_list=(2, 250, 45, 60), alliance_api=(6, 190, 52, 62), dashboard=(9, 10, 300, 400))

    rows = growth(full, small)

    assert rows["bare_list"]["p95"] == pytest.approx(1.2)
    assert rows["bare_list"]["within_target"] is True
    assert rows["alliance_api"]["within_target"] is False  # one more query on the full set
    assert rows["dashboard"]["p95"] == pytest.approx(4.0)
    assert rows["dashboard"]["within_target"] is False


def test_growth_table_shows_latency_cpu_and_sql_on_both_sets():
    small = _dataset("small", alliance_api=(5, 200, 50, 60))
    full = _dataset("full", alliance_api=(5, 190, 100, 66))

    head, row = growth_table(full, small)

    assert dict(zip(head, row, strict=True)) == {
        "endpoint": "alliance_api", "p50 small": "50.0", "p50 full": "100.0", "p95 small": "60.0", "p95 full": "66.0",
        "p50 ×": "2.00", "p95 ×": "1.10", "CPU ms small": "5.0", "CPU ms full": "10.0", "CPU ×": "2.00",
        "SQL small": "5", "SQL full": "5", "p95 ≤ 1.3×, same SQL": "yes",
    }


def test_tables_print_every_endpoint_with_its_ratios():
    dataset = _dataset("full", ping=(0, 5000, 2, 4), bare_list=(2, 250, 50, 80))
    dataset.endpoints["dashboard"] = EndpointResult("dashboard", "dashboard", "/d", "token", queries=None, run=None)

    rows = endpoint_table(dataset)

    assert rows[0][-1] == "load"
    assert rows[1][:3] == ["ping", "none", "5,000"]
    assert rows[2][8:10] == ["1.00", "0.050"]
    assert rows[3][2] == "–"  # an endpoint that could not be driven shows dashes, not zeros
    assert plain(rows).splitlines()[0].startswith("endpoint")
    assert markdown(rows).splitlines()[1].startswith("|---|---:")


def test_parse_load_reads_generate_scale_data_lines():
    output = ("table                       rows   seconds      rows/s\n"
              "organisations             50,000     15.35       3,257\n"
              "progress reports         400,000     23.93      16,717\n"
              "total                    796,003    161.55       4,927\n")

    rows = run.parse_load(output)

    assert rows[1] == {"table": "progress reports", "rows": 400_000, "seconds": 23.93, "rows_per_second": 16_717}
    assert [row["table"] for row in rows] == ["organisations", "progress reports", "total"]


def test_reminder_sweep_lines_are_read(monkeypatch):
    output = ("built 100,000 projects in 30.1 s (postgresql)\n"
              "first run: 1,112 reminders due, 1,112 written, 3.51 s, 4 SQL statements\n"
              "second run: 1,112 reminders due, 0 written, 1.20 s, 3 SQL statements\n")
    monkeypatch.setattr(run, "run", lambda args, env, **kwargs: output)

    sweep = run.reminder_sweep({}, 100_000)

    assert sweep["first run"] == {"reminders_due": 1112, "written": 1112, "seconds": 3.51, "queries": 4}
    assert sweep["second run"]["queries"] == 3


def test_server_env_is_the_production_profile_with_throttles_raised_and_bench_endpoints_on():
    env = run.server_env("postgres://postgres@127.0.0.1:5432/alliance_bench", "redis://127.0.0.1:6379/7", "bench-full")

    assert env["DJANGO_ENV"] == "production"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["PORTAL_BENCHMARK_ENDPOINTS"] == "1"
    assert env["CACHE_KEY_PREFIX"] == "bench-full"
    assert env["API_THROTTLE_TOKEN"].endswith("/min")


def test_small_database_name_and_sizes_are_a_tenth():
    url = run.with_database("postgres://postgres@127.0.0.1:5432/alliance_bench", "alliance_bench_small")

    assert url == "postgres://postgres@127.0.0.1:5432/alliance_bench_small"
    assert run.SMALL == {"alliances": 200, "units": 5000, "projects": 10_000, "reports": 40_000, "scores": 2000}
    assert json.loads(json.dumps([e.__dict__ for e in run.ENDPOINTS]))[0]["key"] == "ping"


def test_report_shows_the_cache_off_runs_and_their_growth():
    runs = {"bare_list": (2, 700, 20, 25), "alliance_api": (3, 160, 90, 120)}
    datasets = {name: _dataset(name, **runs) for name in ("full", "small", "computed", "computed_small", "cold")}
    datasets["computed"].endpoints["alliance_api"].run = _run(150, 95, 200)  # 200 / 120: grows past 1.3×
    results = {"started": "2026-12-07 05:00 UTC", "machine": {"git": "abc1234", "cpus": 2, "load_average": [1.0]},
               "load_average_end": [2.0], "datasets": datasets, "load": {},
               "options": {"workers": 3, "server_threads": 1, "connections": 16, "threads": 2, "duration": 10,
                           "warmup": 3}}

    text, page = run.report(results), run.markdown_report(results)

    for title in (run.VARIANTS["computed"].title, run.VARIANTS["cold"].title):
        assert title in text
        assert title in page
    growth_part = page.split("Growth with the response cache off")[1]
    alliance_row = next(line for line in growth_part.splitlines() if line.startswith("| alliance_api"))
    assert alliance_row.endswith("| no |")  # the computed path's own growth is judged, not only the cached one
