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
    """The run described by the ``WRK_JSON`` line that benchmarks/mix.lua writes at the end."""
    for line in reversed(output.splitlines()):
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER):])
            break
    else:
        raise ValueError("no WRK_JSON line in wrk's output (was it run with -s benchmarks/mix.lua?)")
    ms = {name: data[f"{name}_us"] / 1000 for name in ("p50", "p90", "p95", "p99", "mean", "max")}
    errors = sum(data[f"errors_{kind}"] for kind in ("connect", "read", "write", "status", "timeout"))
    if not data["requests"]:
        raise ValueError("wrk completed no request: the server answered nothing within the run")
    return WrkRun(requests=data["requests"], seconds=data["duration_us"] / 1_000_000, errors=errors,
                  **{f"{name}_ms": value for name, value in ms.items()})


@dataclass
class MixResult:
    """One mix of requests (``probe.urls``), driven by wrk with the paths drawn at random per request."""

    key: str
    label: str
    auth: str
    paths: int  # distinct paths the requests were drawn from
    queries_min: int | None = None  # SQL statements per request over a sample of the paths, in-process
    queries_max: int | None = None
    cpu_ms: float | None = None  # median Python CPU time of one request of the sample, in-process
    run: WrkRun | None = None
    load_average: float | None = None  # the machine's 1-minute load average after the run


@dataclass
class Dataset:
    name: str  # "full" or "small"
    counts: dict = field(default_factory=dict)
    mixes: dict[str, MixResult] = field(default_factory=dict)
    # per list: median single-request latency (ms) of its first and its last page, on an idle server
    ends: dict[str, dict] = field(default_factory=dict)
    # RSS (MiB) of each web worker after the warm-up and after every mix, with the requests served between
    memory: dict = field(default_factory=dict)


def ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def of_bare_list(dataset: Dataset, key: str) -> float | None:
    """A mix's requests per second as a ratio of the bare list's, in the same run."""
    bare, mix = dataset.mixes.get("bare_list"), dataset.mixes.get(key)
    return ratio(mix.run.rps if mix and mix.run else None, bare.run.rps if bare and bare.run else None)


def growth(full: Dataset, small: Dataset) -> dict[str, dict]:
    """How latency and query counts grow from the small data set to the full one (ratios full / small)."""
    rows = {}
    for key, big in full.mixes.items():
        little = small.mixes.get(key)
        if not (little and big.run and little.run):
            continue
        rows[key] = {"p50": ratio(big.run.p50_ms, little.run.p50_ms), "p95": ratio(big.run.p95_ms, little.run.p95_ms),
                     "queries_full": big.queries_max, "queries_small": little.queries_max}
        rows[key]["within_target"] = (rows[key]["p50"] is not None and rows[key]["p50"] <= GROWTH_TARGET
                                      and big.queries_max == little.queries_max)
    return rows


def _fmt(value, spec: str, missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def mix_table(dataset: Dataset) -> list[list[str]]:
    rows = [["mix", "auth", "paths", "req/s", "× bare list", "p50 ms", "p95 ms", "p99 ms", "SQL/req", "CPU ms",
             "errors", "load"]]
    for key, result in dataset.mixes.items():
        run = result.run
        sql = (None if result.queries_max is None else f"{result.queries_min}" if result.queries_min ==
               result.queries_max else f"{result.queries_min}–{result.queries_max}")
        rows.append([
            result.label, result.auth, f"{result.paths:,}", _fmt(run and run.rps, ",.0f"),
            _fmt(of_bare_list(dataset, key), ".2f"), _fmt(run and run.p50_ms, ".1f"), _fmt(run and run.p95_ms, ".1f"),
            _fmt(run and run.p99_ms, ".1f"), sql or "–", _fmt(result.cpu_ms, ".1f"), _fmt(run and run.errors, "d"),
            _fmt(result.load_average, ".1f"),
        ])
    return rows


def ends_table(full: Dataset, small: Dataset | None = None) -> list[list[str]]:
    rows = [["list", "page 1 ms", "last page ms", "last / first", "page 1 small ms", "full / small"]]
    for name, row in full.ends.items():
        little = small.ends.get(name) if small else None
        rows.append([f"{name} (last: {row['last']})", f"{row['first_ms']:.1f}", f"{row['last_ms']:.1f}",
                     _fmt(ratio(row["last_ms"], row["first_ms"]), ".2f"), _fmt(little and little["first_ms"], ".1f"),
                     _fmt(ratio(row["first_ms"], little and little["first_ms"]), ".2f")])
    return rows


def growth_table(full: Dataset, small: Dataset) -> list[list[str]]:
    rows = [["mix", "p50 small", "p50 full", "p95 small", "p95 full", "p50 ×", "p95 ×", "SQL small", "SQL full",
             f"p50 ≤ {GROWTH_TARGET}×, same SQL"]]
    for key, row in growth(full, small).items():
        big, little = full.mixes[key].run, small.mixes[key].run
        rows.append([full.mixes[key].label, f"{little.p50_ms:.1f}", f"{big.p50_ms:.1f}", f"{little.p95_ms:.1f}",
                     f"{big.p95_ms:.1f}", _fmt(row["p50"], ".2f"), _fmt(row["p95"], ".2f"),
                     _fmt(row["queries_small"], "d"), _fmt(row["queries_full"], "d"),
                     "yes" if row["within_target"] else "no"])
    return rows


def memory_drift(memory: dict) -> float | None:
    """The largest change of a worker's RSS from after the warm-up to the end, as a fraction."""
    start, end = memory.get("start_mib") or [], memory.get("end_mib") or []
    if not start or len(start) != len(end):
        return None
    return max(abs(after - before) / before for before, after in zip(start, end, strict=True))


def targets(full: Dataset, small: Dataset | None) -> list[list[str]]:
    """The issue's targets, each with the figure measured and whether it is met."""
    def mix(key):
        return full.mixes.get(key)

    def run_of(key):
        return mix(key).run if mix(key) else None

    rows = [["target", "measured", "met"]]

    def add(label, value, met):
        rows.append([label, value, "–" if met is None else "yes" if met else "no"])

    for key, floor, p95 in (("list_api", 0.5, 150), ("detail_api", 0.8, None), ("html_list", 0.4, 200)):
        share, run = of_bare_list(full, key), run_of(key)
        label = f"{mix(key).label if mix(key) else key}: ≥ {floor}× bare list" + (f", p95 < {p95} ms" if p95 else "")
        value = f"{_fmt(share, '.2f')}×" + (f", p95 {run.p95_ms:.0f} ms" if run and p95 else "")
        met = None if share is None else share >= floor and (p95 is None or (run is not None and run.p95_ms < p95))
        add(label, value, met)
    run = run_of("dashboard")
    add("dashboard summary, cold, full scale: p95 < 100 ms", _fmt(run and run.p95_ms, ".0f") + " ms",
        None if run is None else run.p95_ms < 100)
    worst = max((ratio(row["last_ms"], row["first_ms"]) or 0 for row in full.ends.values()), default=None)
    add(f"last page / first page ≤ {GROWTH_TARGET}× on every list", f"worst {_fmt(worst, '.2f')}×",
        None if worst is None else worst <= GROWTH_TARGET)
    if small:
        rows_growth = growth(full, small)
        worst = max((row["p50"] or 0 for row in rows_growth.values()), default=None)
        add(f"full / small data ≤ {GROWTH_TARGET}× (p50 of each mix)", f"worst {_fmt(worst, '.2f')}×",
            None if worst is None else worst <= GROWTH_TARGET)
    drift = memory_drift(full.memory)
    add(f"worker RSS flat (±10 %) over {full.memory.get('requests', 0):,} mixed requests",
        f"largest change {_fmt(drift and drift * 100, '.1f')} %", None if drift is None else drift <= 0.10)
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
    for key, result in getattr(value, "mixes", {}).items():
        if result.run:
            data["mixes"][key]["run"]["rps"] = result.run.rps
    return data


def dataset_from_json(data: dict) -> Dataset:
    """The inverse of ``as_json``: a saved data set, to print its tables again."""
    mixes = {}
    for key, row in data["mixes"].items():
        run = row.pop("run")
        if run:
            run.pop("rps", None)
        mixes[key] = MixResult(**row, run=WrkRun(**run) if run else None)
    return Dataset(name=data["name"], counts=data["counts"], mixes=mixes, ends=data.get("ends", {}),
                   memory=data.get("memory", {}))
