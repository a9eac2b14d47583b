"""Reading wrk's output and turning the measurements into the tables `make bench` prints and saves.

Pure functions over plain data (no Django, no processes), so that tests can check them quickly.
"""

import json
from dataclasses import asdict, dataclass, field

MARKER = "WRK_JSON "
GROWTH_TARGET = 1.3


@dataclass
class WrkRun:
    """One wrk run: requests, seconds and latency percentiles (milliseconds)."""

    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int  # connection errors, timeouts and answers that were not 2xx/3xx

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> WrkRun:
    """The run described by the ``WRK_JSON`` line that benchmarks/report.lua writes at the end."""
    for line in reversed(output.splitlines()):
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER):])
            break
    else:
        raise ValueError("no WRK_JSON line in wrk's output (was it run with -s benchmarks/report.lua?)")
    ms = {name: data[f"{name}_us"] / 1000 for name in ("p50", "p90", "p95", "p99", "mean", "max")}
    errors = sum(data[f"errors_{kind}"] for kind in ("connect", "read", "write", "status", "timeout"))
    if not data["requests"]:
        raise ValueError("wrk completed no request: the server answered nothing within the run")
    return WrkRun(requests=data["requests"], seconds=data["duration_us"] / 1_000_000, errors=errors,
                  **{f"{name}_ms": value for name, value in ms.items()})


@dataclass
class EndpointResult:
    key: str
    label: str
    path: str
    auth: str
    queries: int | None = None  # SQL statements of one warm request, counted in-process
    run: WrkRun | None = None
    load_average: float | None = None  # the machine's 1-minute load average after the run
    cpu_ms: float | None = None  # median Python CPU time of one request, in-process (probe.py)


@dataclass
class Dataset:
    name: str  # "full" or "small"
    counts: dict = field(default_factory=dict)
    endpoints: dict[str, EndpointResult] = field(default_factory=dict)


def ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def throughput_ratios(dataset: Dataset, *, bare_list: str = "bare_list", ping: str = "ping") -> dict[str, dict]:
    """Each endpoint's requests per second as a ratio of the bare list's and of the ping's."""
    def rps(key):
        result = dataset.endpoints.get(key)
        return result.run.rps if result and result.run else None

    return {key: {"of_bare_list": ratio(rps(key), rps(bare_list)), "of_ping": ratio(rps(key), rps(ping))}
            for key in dataset.endpoints}


def growth(full: Dataset, small: Dataset) -> dict[str, dict]:
    """How latency and query counts grow from the small data set to the full one (ratios full / small)."""
    rows = {}
    for key, big in full.endpoints.items():
        little = small.endpoints.get(key)
        if not (little and big.run and little.run):
            continue
        rows[key] = {
            "p50": ratio(big.run.p50_ms, little.run.p50_ms),
            "p95": ratio(big.run.p95_ms, little.run.p95_ms),
            "queries_full": big.queries,
            "queries_small": little.queries,
            "cpu": ratio(big.cpu_ms, little.cpu_ms),
        }
        rows[key]["within_target"] = (rows[key]["p95"] is not None and rows[key]["p95"] <= GROWTH_TARGET
                                      and big.queries == little.queries)
    return rows


def _fmt(value, spec: str, missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def endpoint_table(dataset: Dataset) -> list[list[str]]:
    ratios = throughput_ratios(dataset)
    rows = [["endpoint", "auth", "req/s", "p50 ms", "p95 ms", "p99 ms", "SQL/req", "CPU ms", "× bare list",
             "× ping", "errors", "load"]]
    for key, result in dataset.endpoints.items():
        run = result.run
        rows.append([
            result.label, result.auth, _fmt(run and run.rps, ",.0f"), _fmt(run and run.p50_ms, ".1f"),
            _fmt(run and run.p95_ms, ".1f"), _fmt(run and run.p99_ms, ".1f"), _fmt(result.queries, "d"),
            _fmt(result.cpu_ms, ".1f"),
            _fmt(ratios[key]["of_bare_list"], ".2f"), _fmt(ratios[key]["of_ping"], ".3f"),
            _fmt(run and run.errors, "d"), _fmt(result.load_average, ".1f"),
        ])
    return rows


def growth_table(full: Dataset, small: Dataset) -> list[list[str]]:
    rows = [["endpoint", "p50 small", "p50 full", "p95 small", "p95 full", "p50 ×", "p95 ×", "CPU ms small",
             "CPU ms full", "CPU ×", "SQL small", "SQL full", f"p95 ≤ {GROWTH_TARGET}×, same SQL"]]
    for key, row in growth(full, small).items():
        big, little = full.endpoints[key].run, small.endpoints[key].run
        rows.append([
            full.endpoints[key].label, f"{little.p50_ms:.1f}", f"{big.p50_ms:.1f}", f"{little.p95_ms:.1f}",
            f"{big.p95_ms:.1f}", _fmt(row["p50"], ".2f"), _fmt(row["p95"], ".2f"),
            _fmt(small.endpoints[key].cpu_ms, ".1f"), _fmt(full.endpoints[key].cpu_ms, ".1f"), _fmt(row["cpu"], ".2f"),
            _fmt(row["queries_small"], "d"),
            _fmt(row["queries_full"], "d"), "yes" if row["within_target"] else "no",
        ])
    return rows


def plain(rows: list[list[str]]) -> str:
    """Columns aligned for a terminal: the first left, the others right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    )


def markdown(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def as_json(value) -> dict:
    """Dataclasses (and the computed req/s) as plain JSON-ready data."""
    data = asdict(value)
    for key, result in getattr(value, "endpoints", {}).items():
        if result.run:
            data["endpoints"][key]["run"]["rps"] = result.run.rps
    return data


def dataset_from_json(data: dict) -> Dataset:
    """The inverse of ``as_json``: a saved data set, to print its tables again."""
    endpoints = {}
    for key, row in data["endpoints"].items():
        run = row.pop("run")
        if run:
            run.pop("rps", None)
        endpoints[key] = EndpointResult(**row, run=WrkRun(**run) if run else None)
    return Dataset(name=data["name"], counts=data["counts"], endpoints=endpoints)
