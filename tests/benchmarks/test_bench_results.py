"""The bench's parsing and arithmetic: wrk's Lua report, ratios to the bare list, the growth check, the
targets, the load and sweep lines."""

import pytest

from benchmarks import run
from benchmarks.results import (
    Dataset,
    MixResult,
    WrkRun,
    ends_table,
    growth,
    growth_table,
    markdown,
    memory_drift,
    mix_table,
    of_bare_list,
    parse_wrk,
    plain,
    targets,
)

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000
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
    return Dataset(name=name, mixes={
        key: MixResult(key, key, "token", 3000, queries, queries, figures[1] / 10, run=_run(*figures))
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


def test_each_mix_is_a_ratio_of_the_bare_list_in_the_same_run():
    dataset = _dataset("full", bare_list=(2, 250, 50, 80), list_api=(5, 125, 100, 160))

    assert of_bare_list(dataset, "list_api") == pytest.approx(0.5)
    assert of_bare_list(dataset, "bare_list") == pytest.approx(1.0)
    assert of_bare_list(_dataset("full", list_api=(5, 125, 100, 160)), "list_api") is None


def test_growth_needs_the_median_within_target_and_the_same_query_count():
    small = _dataset("small", bare_list=(2, 300, 40, 50), list_api=(5, 200, 50, 60), dashboard=(9, 50, 80, 100))
    full = _dataset("full", bare_list=(2, 250, 48, 60), list_api=(6, 190, 52, 62), dashboard=(9, 10, 300, 400))

    rows = growth(full, small)

    assert rows["bare_list"]["p50"] == pytest.approx(1.2)
    assert rows["bare_list"]["within_target"] is True
    assert rows["list_api"]["within_target"] is False  # one more query on the full set
    assert rows["dashboard"]["p50"] == pytest.approx(3.75)
    assert rows["dashboard"]["within_target"] is False


def test_growth_table_shows_latency_and_sql_on_both_sets():
    small = _dataset("small", list_api=(5, 200, 50, 60))
    full = _dataset("full", list_api=(5, 190, 60, 66))

    head, row = growth_table(full, small)

    assert dict(zip(head, row, strict=True)) == {
        "mix": "list_api", "p50 small": "50.0", "p50 full": "60.0", "p95 small": "60.0", "p95 full": "66.0",
        "p50 ×": "1.20", "p95 ×": "1.10", "SQL small": "5", "SQL full": "5", "p50 ≤ 1.3×, same SQL": "yes",
    }


def test_mix_table_prints_every_mix_with_its_ratio_and_dashes_for_a_mix_not_driven():
    dataset = _dataset("full", bare_list=(2, 250, 50, 80), list_api=(5, 125, 100, 160))
    dataset.mixes["dashboard"] = MixResult("dashboard", "dashboard", "token", 216)

    rows = mix_table(dataset)

    assert rows[0][:5] == ["mix", "auth", "paths", "req/s", "× bare list"]
    assert rows[2][:5] == ["list_api", "token", "3,000", "125", "0.50"]
    assert rows[3][3] == "–"
    assert plain(rows).splitlines()[0].startswith("mix")
    assert markdown(rows).splitlines()[1].startswith("|---|---:")


def test_targets_are_judged_from_the_figures():
    full = _dataset("full", bare_list=(2, 300, 40, 60), list_api=(6, 160, 60, 140), detail_api=(4, 200, 20, 40),
                    html_list=(8, 100, 90, 250), dashboard=(12, 40, 200, 400))
    full.ends = {"alliance list API": {"last": "/a/?page=100", "first_ms": 10.0, "last_ms": 12.0},
                 "project list API": {"last": "/p/?page=4800", "first_ms": 10.0, "last_ms": 15.0}}
    full.memory = {"start_mib": [100.0, 110.0], "end_mib": [104.0, 130.0], "requests": 20_000}

    rows = {row[0].split(":")[0]: row[1:] for row in targets(full, None)[1:]}

    assert rows["list_api"] == ["0.53×, p95 140 ms", "yes"]
    assert rows["detail_api"] == ["0.67×", "no"]
    assert rows["html_list"] == ["0.33×, p95 250 ms", "no"]
    assert rows["dashboard summary, cold, full scale"] == ["400 ms", "no"]
    assert rows["last page / first page ≤ 1.3× on every list"] == ["worst 1.50×", "no"]
    assert memory_drift(full.memory) == pytest.approx(20 / 110)


def test_ends_table_compares_first_and_last_page_and_the_small_set():
    full = Dataset("full", ends={"project list API": {"last": "/p/?page=4800", "first_ms": 12.0, "last_ms": 13.2}})
    small = Dataset("small", ends={"project list API": {"last": "/p/?page=480", "first_ms": 10.0, "last_ms": 10.0}})

    _head, row = ends_table(full, small)

    assert row == ["project list API (last: /p/?page=4800)", "12.0", "13.2", "1.10", "10.0", "1.20"]


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


def test_report_shows_the_targets_the_page_latencies_and_the_growth():
    runs = {"bare_list": (2, 700, 20, 25), "list_api": (3, 160, 90, 120)}
    datasets = {name: _dataset(name, **runs) for name in ("full", "small")}
    for dataset in datasets.values():
        dataset.ends = {"project list API": {"last": "/p/?page=9", "first_ms": 10.0, "last_ms": 11.0}}
    datasets["full"].mixes["list_api"].run = _run(150, 200, 300)  # 200 / 90: grows past 1.3×
    results = {"started": "2026-12-07 05:00 UTC", "machine": {"git": "abc1234", "cpus": 2, "load_average": [1.0]},
               "load_average_end": [2.0], "datasets": datasets, "load": {},
               "options": {"workers": 3, "server_threads": 1, "connections": 16, "threads": 2, "duration": 20}}

    text, page = run.report(results), run.markdown_report(results)

    assert "Targets (full data set)" in text
    assert "Targets (full data set)" in page
    assert "| project list API (last: /p/?page=9) | 10.0 | 11.0 | 1.10 | 10.0 | 1.00 |" in page
    growth_part = page.split("Growth from the small set")[1]
    row = next(line for line in growth_part.splitlines() if line.startswith("| list_api"))
    assert row.endswith("| no |")
