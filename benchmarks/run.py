"""``make bench``: the portal's benchmark at province scale (issue 11), in one run of about ten minutes.

1. Two PostgreSQL databases: the full set (``DATABASE_URL``, default alliance_bench: 2,000 alliances,
   50,000 member units, 100,000 projects, 400,000 progress reports, 20,000 expert scores) and one ten
   times smaller (the same name + ``_small``). Each is migrated and loaded with ``generate_scale_data``
   unless it already holds that size (``--reload`` drops and reloads it), then VACUUM ANALYZEd.
2. For each database: gunicorn with the production settings (``DJANGO_ENV=production``, a generated
   ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``; ``SECURE_SSL_REDIRECT=false`` because wrk speaks plain
   HTTP on loopback; the API throttles raised so that they count but never refuse), sync workers
   sized for the machine (CPUs + 1), Redis as cache (``REDIS_URL``, default db 7, a key prefix per database).
3. A bureau officer with a session cookie (HTML page) and a knox token (API). Every endpoint is first
   fetched once over HTTP and must answer 200; wrk then warms it up and drives it on loopback
   (16 connections, 2 threads, a bounded duration), recording latency percentiles through report.lua.
   SQL statements per request are counted separately, in-process, with the test client inside
   ``CaptureQueriesContext`` (probe.py), on a warm second request.
4. Variants of the full set, served beside it (``VARIANTS``): with writes to the alliances, projects and
   progress reports every 2 s while measured (hits and misses of the caches mixed); with the response
   cache off, on both sets (the computed path and its own growth); with every read cache off (the cost
   of a request right after a write to what it reads).
5. The reminder sweep over 100,000 projects (``bench_reminder_sweep``, rolled back), and the load rates.

Prints the tables and writes ``artifacts/bench/bench-<time>.json`` / ``.md`` (and ``latest.*``).
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.results import (
    Dataset,
    EndpointResult,
    as_json,
    dataset_from_json,
    endpoint_table,
    growth,
    growth_table,
    markdown,
    plain,
)
from benchmarks.results import parse_wrk as parse_wrk_output

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
FULL = {"alliances": 2000, "units": 50000, "projects": 100_000, "reports": 400_000, "scores": 20_000}
SMALL = {name: value // 10 for name, value in FULL.items()}


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str  # {alliance} and {sector} are filled from probe.setup()
    auth: str  # none, session or token


ENDPOINTS = [
    Endpoint("ping", "bare ping (plain Django view)", "/bench/ping", "none"),
    Endpoint("bare_list", "bare list (plain DRF ListAPIView, 20/page)", "/bench/alliances/", "none"),
    Endpoint("dashboard", "dashboard summary API", "/api/v1/dashboard/summary/", "token"),
    Endpoint("alliance_page", "alliance list page (HTML)", "/alliances/", "session"),
    Endpoint("alliance_api", "alliance list API", "/api/v1/alliances/", "token"),
    Endpoint("alliance_detail", "alliance detail API", "/api/v1/alliances/{alliance}/", "token"),
    Endpoint("projects_api", "project list API, one sector", "/api/v1/projects/?sector={sector}", "token"),
]


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    import psycopg2

    connection = psycopg2.connect(with_database(url, "postgres"))
    connection.autocommit = True
    return connection


def ensure_database(url: str, *, drop: bool) -> None:
    name = database_name(url)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing odd database name {name!r}")
    connection = admin_connection(url)
    with connection.cursor() as cursor:
        if drop:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                           f"LC_CTYPE 'C.UTF-8'")
    connection.close()


def vacuum_analyze(url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def server_env(database_url: str, redis_url: str, prefix: str) -> dict:
    """The production profile, as a deployment would run it, with what loopback HTTP needs."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "API_THROTTLE"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "alliance_portal.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # wrk speaks plain HTTP on loopback; HSTS and secure cookies stay on
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "PORTAL_BENCHMARK_ENDPOINTS": "1",
        # The throttles still run (a cache round trip per API request) but never refuse the benchmark.
        "API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min",
        "API_THROTTLE_TOKEN": "100000000/min",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    })
    return env


def run(args: list[str], env: dict, *, timeout: int = 1800) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def probe(env: dict, *args: str) -> dict:
    return json.loads(run([PYTHON, "-m", "benchmarks.probe", *args], env).strip().splitlines()[-1])


LOAD_LINE = re.compile(r"^(?P<table>[a-z ]+?)\s+(?P<rows>[\d,]+)\s+(?P<seconds>[\d.]+)\s+(?P<rate>[\d,]+)$")


def parse_load(output: str) -> list[dict]:
    """The per-table lines of ``generate_scale_data`` (table, rows, seconds, rows per second)."""
    rows = []
    for line in output.splitlines():
        match = LOAD_LINE.match(line.strip())
        if match:
            rows.append({"table": match["table"], "rows": int(match["rows"].replace(",", "")),
                         "seconds": float(match["seconds"]), "rows_per_second": int(match["rate"].replace(",", ""))})
    return rows


def prepare(url: str, sizes: dict, env: dict, *, reload: bool, out: Path) -> tuple[dict, dict]:
    """Migrate and load the database unless it already holds ``sizes``; returns the counts and the load
    figures (those of this run, or of the run that loaded the database, kept in ``out``)."""
    kept = out / f"load-{database_name(url)}.json"
    ensure_database(url, drop=reload)
    log(f"{database_name(url)}: migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    found = probe(env, "counts")
    if found == sizes:
        log(f"{database_name(url)}: already loaded {found}; --reload to load again")
        vacuum_analyze(url)
        return found, json.loads(kept.read_text()) if kept.exists() else {}
    if found["alliances"]:
        log(f"{database_name(url)}: holds {found}, not the benchmark's size: dropping it")
        ensure_database(url, drop=True)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    log(f"{database_name(url)}: generate_scale_data {sizes}")
    output = run([PYTHON, "manage.py", "generate_scale_data", *(f"--{name}={value}" for name, value in sizes.items())],
                 env)
    print(output, flush=True)
    vacuum_analyze(url)
    load = {"loaded": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "load_average": os.getloadavg()[0],
            "tables": parse_load(output)}
    out.mkdir(parents=True, exist_ok=True)
    kept.write_text(json.dumps(load, indent=2) + "\n")
    return probe(env, "counts"), load


def static_files_stale() -> bool:
    """Whether collectstatic must run: no manifest yet, or a static source file newer than it."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [*ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]
    return any(path.stat().st_mtime > built for path in sources if path.is_file())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def headers_for(endpoint: Endpoint, ids: dict) -> dict:
    if endpoint.auth == "session":
        return {"Cookie": ids["session_cookie"]}
    if endpoint.auth == "token":
        return {"Authorization": f"Token {ids['token']}"}
    return {}


def fetch(url: str, headers: dict) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        # S310: the URL is our own loopback server's
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Server:
    """gunicorn on a free loopback port, stopped (by its own pid) when the block ends."""

    def __init__(self, env: dict, workers: int, threads: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # Sync workers by default: with gthread workers and keep-alive, wrk's 16 connections are shared out
        # unevenly between the workers when they connect, and the busiest worker then sets the rate (runs of
        # the same endpoint varied by 2× here); a sync worker closes each connection, so every request goes
        # to a free worker.
        worker = ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "30"] if threads > 1 else \
            ["--worker-class", "sync"]
        self.args = [str(Path(PYTHON).parent / "gunicorn"), "alliance_portal.wsgi:application", "--bind",
                     f"127.0.0.1:{self.port}", *worker, "--workers", str(workers), "--log-level", "warning",
                     "--timeout", "120"]
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited while starting")
            try:
                if fetch(f"{self.base}/healthz", {}) == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(url: str, headers: dict, *, seconds: int, connections: int, threads: int) -> str:
    args = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
            "-s", str(ROOT / "benchmarks" / "report.lua")]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 60, check=False)
    if result.returncode:
        raise SystemExit(f"wrk failed: {result.stderr}")
    return result.stdout


@contextlib.contextmanager
def writing(env: dict, every: float | None):
    """``probe writes`` running in the background for the block (nothing when ``every`` is None)."""
    if every is None:
        yield
        return
    writer = subprocess.Popen([PYTHON, "-m", "benchmarks.probe", "writes", str(every)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        writer.terminate()
        writer.wait(timeout=every + 30)


def measure(envs: dict[str, dict], opts) -> dict[str, Dataset]:
    """Serve every database at once and drive each endpoint on each in turn (small, then full), so that
    both sides of a growth ratio are measured under the same load of the machine. Queries are counted
    in-process first."""
    datasets, ids, counted = {}, {}, {}
    endpoints = [e for e in ENDPOINTS if not opts.endpoints or e.key in opts.endpoints]
    for name, env in envs.items():
        datasets[name] = Dataset(name=name, counts=probe(env, "counts"))
        # a variant serves the database of its set: a second setup would replace the officer's token and session
        ids[name] = ids[VARIANTS[name].dataset] if name in VARIANTS else probe(env, "setup")
        counted[name] = probe(env, "queries", json.dumps([e.__dict__ for e in endpoints]), json.dumps(ids[name]))
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(Server(env, opts.workers, opts.server_threads))
                   for name, env in envs.items()}
        for endpoint in endpoints:
            for name, server in servers.items():
                path = endpoint.path.format(**ids[name])
                result = datasets[name].endpoints[endpoint.key] = EndpointResult(
                    endpoint.key, endpoint.label, path, endpoint.auth, queries=counted[name][endpoint.key]["queries"],
                    cpu_ms=counted[name][endpoint.key]["cpu_ms"])
                headers = headers_for(endpoint, ids[name])
                status, in_process = fetch(server.base + path, headers), counted[name][endpoint.key]["status"]
                if status != 200 or in_process != 200:
                    log(f"{name}: {path} answered {status} over HTTP, {in_process} in-process: not measured")
                    continue
                writes = name in VARIANTS and VARIANTS[name].writes_every is not None
                with writing(envs[name], opts.write_every if writes else None):
                    wrk(server.base + path, headers, seconds=opts.warmup, connections=opts.connections,
                        threads=opts.threads)
                    output = wrk(server.base + path, headers, seconds=opts.duration, connections=opts.connections,
                                 threads=opts.threads)
                result.load_average = os.getloadavg()[0]
                try:
                    result.run = parse_wrk_output(output)
                except ValueError as problem:
                    log(f"{name}: {endpoint.label}: {problem}")
                    continue
                log(f"{name}: {endpoint.label}: {result.run.rps:,.1f} req/s, p50 {result.run.p50_ms:.1f} ms, "
                    f"p95 {result.run.p95_ms:.1f} ms, {result.queries} SQL, {result.run.errors} errors, "
                    f"load {result.load_average:.1f}")
    return datasets


SWEEP_LINE = re.compile(r"^(?P<run>first run|second run): (?P<found>[\d,]+) reminders due, (?P<created>[\d,]+) written, "
                        r"(?P<seconds>[\d.]+) s, (?P<queries>\d+) SQL statements")


def reminder_sweep(env: dict, projects: int) -> dict:
    output = run([PYTHON, "manage.py", "bench_reminder_sweep", f"--projects={projects}"], env)
    sweeps = {}
    for line in output.splitlines():
        match = SWEEP_LINE.match(line.strip())
        if match:
            sweeps[match["run"]] = {"reminders_due": int(match["found"].replace(",", "")),
                                    "written": int(match["created"].replace(",", "")),
                                    "seconds": float(match["seconds"]), "queries": int(match["queries"])}
    return {"projects": projects, "output": output.strip(), **sweeps}


def machine() -> dict:
    return {"cpus": os.cpu_count(), "load_average": os.getloadavg(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                  text=True, check=False).stdout.strip()}


def worker_text(threads: int) -> str:
    return "sync workers" if threads <= 1 else f"gthread workers × {threads} threads"


MIXED_WRITES_EVERY = 2.0  # seconds; --write-every changes it


@dataclass(frozen=True)
class Variant:
    """A data set served again with some of the read caches off."""

    dataset: str  # full or small
    env: dict
    title: str
    writes_every: float | None = None  # seconds between the writes of probe.writes while it is measured


VARIANTS = {
    # The response cache off: every response computed, with the list counts and dashboard sections still
    # taken from the cache (the first request for a URL, or a repeat after a write to a table the list does
    # not count, such as a new notification).
    "computed": Variant("full", {"RESPONSE_CACHE": "false"},
                        "Full data set with the response cache off (RESPONSE_CACHE=false: every response computed; "
                        "list counts and dashboard sections still cached):"),
    "computed_small": Variant("small", {"RESPONSE_CACHE": "false"}, "Small data set with the response cache off:"),
    # Every read cache off: what a request costs right after a write to the tables it reads.
    # Every cache on, and writes to the tables the lists and the dashboard read while they are measured: the
    # cached path's hits and misses as a busy province mixes them (a province files some 1,600 progress
    # reports a working day, one every 20 s; this writes each table every 2 s).
    "mixed": Variant("full", {}, "Full data set, every cache on, with a write to the alliances, projects and progress "
                     "reports every {writes_every:g} s while each endpoint is measured (hits and misses mixed):",
                     writes_every=MIXED_WRITES_EVERY),
    "cold": Variant("full", {"READ_CACHE": "false"},
                    "Full data set with every read cache off (READ_CACHE=false: responses, list counts and dashboard "
                    "sections all computed, as right after a write to the tables they read):"),
}


def variant_title(name: str, results: dict) -> str:
    return VARIANTS[name].title.format(writes_every=results["options"].get("write_every", MIXED_WRITES_EVERY))


def report(results: dict) -> str:
    full, small = results["datasets"]["full"], results["datasets"].get("small")
    parts = [f"Benchmark {results['started']} (git {results['machine']['git']}), {results['machine']['cpus']} CPUs, "
             f"load average at start {results['machine']['load_average'][0]:.1f}, at end "
             f"{results['load_average_end'][0]:.1f}; gunicorn {results['options']['workers']} "
             f"{worker_text(results['options'].get('server_threads', 4))}; wrk {results['options']['connections']} connections, "
             f"{results['options']['threads']} threads, {results['options']['duration']} s per endpoint after "
             f"{results['options']['warmup']} s warm-up.", "",
             f"Full data set: {full.counts}", ""]
    parts += ["```", plain(endpoint_table(full)), "```", ""]
    if small:
        parts += [f"Growth from the small set ({small.counts}) to the full one:", "",
                  "```", plain(growth_table(full, small)), "```", ""]
        parts += ["Small data set:", "", "```", plain(endpoint_table(small)), "```", ""]
    datasets = results["datasets"]
    if "computed" in datasets and "computed_small" in datasets:
        parts += ["Growth with the response cache off (small → full):", "",
                  "```", plain(growth_table(datasets["computed"], datasets["computed_small"])), "```", ""]
    for name in ("mixed", "computed", "cold"):
        if name in datasets:
            parts += [variant_title(name, results), "", "```", plain(endpoint_table(datasets[name])), "```", ""]
    sweep = results.get("reminder_sweep")
    if sweep and "first run" in sweep:
        parts.append(f"Reminder sweep over {sweep['projects']:,} projects: first run {sweep['first run']['seconds']:.2f} s, "
                     f"{sweep['first run']['queries']} SQL ({sweep['first run']['reminders_due']:,} reminders due); "
                     f"second run {sweep['second run']['seconds']:.2f} s, {sweep['second run']['queries']} SQL.")
    for name, load in results.get("load", {}).items():
        tables = load.get("tables") if isinstance(load, dict) else load  # older results kept a bare list
        if tables:
            total = next((row for row in tables if row["table"] == "total"), None)
            when = f", loaded {load['loaded']} at load average {load['load_average']:.1f}" if isinstance(load, dict) else ""
            parts.append(f"Scale-data load ({name}{when}): " + ", ".join(
                f"{row['table']} {row['rows']:,} in {row['seconds']:.1f} s ({row['rows_per_second']:,}/s)"
                for row in tables if row["table"] != "total")
                + (f"; total {total['rows']:,} rows in {total['seconds']:.0f} s ({total['rows_per_second']:,} rows/s)"
                   if total else ""))
    return "\n".join(parts)


def counts_text(counts: dict) -> str:
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def markdown_report(results: dict) -> str:
    full, small = results["datasets"]["full"], results["datasets"].get("small")
    summary = report(results).split("\n")[0]
    lines = [summary, "", f"Full data set ({counts_text(full.counts)}):", "", markdown(endpoint_table(full)), ""]
    if small:
        lines += [f"Growth from the small set ({counts_text(small.counts)}) to the full one (ratios full / small):",
                  "", markdown(growth_table(full, small)), ""]
    datasets = results["datasets"]
    for name in ("mixed", "computed", "cold"):
        if name in datasets:
            lines += [variant_title(name, results), "", markdown(endpoint_table(datasets[name])), ""]
    if "computed" in datasets and "computed_small" in datasets:
        lines += ["Growth with the response cache off (small → full, ratios full / small):", "",
                  markdown(growth_table(datasets["computed"], datasets["computed_small"])), ""]
    lines += [line for line in report(results).splitlines() if line.startswith(("Reminder", "Scale-data"))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reload", action="store_true", help="drop and reload both databases")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up per endpoint (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn workers (CPUs + 1)")
    parser.add_argument("--server-threads", type=int, default=1,
                        help="threads per gunicorn worker (1: sync workers; more: gthread workers)")
    parser.add_argument("--skip-small", action="store_true", help="no 10× smaller set (no growth ratios)")
    parser.add_argument("--skip-computed", action="store_true",
                        help="no variant runs (writes while measured; response cache off on both sets; every "
                             "read cache off)")
    parser.add_argument("--variants", type=lambda text: text.split(","), default=list(VARIANTS),
                        help=f"variant runs, comma-separated (default all: {','.join(VARIANTS)})")
    parser.add_argument("--write-every", type=float, default=MIXED_WRITES_EVERY,
                        help=f"seconds between the mixed run's writes (default {MIXED_WRITES_EVERY:g})")
    parser.add_argument("--endpoints", type=lambda text: text.split(","), default=None,
                        help=f"only these endpoints, comma-separated ({','.join(e.key for e in ENDPOINTS)})")
    parser.add_argument("--skip-sweep", action="store_true", help="no reminder sweep")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench")
    parser.add_argument("--render", type=Path, help="print the Markdown report of a saved JSON result and stop")
    opts = parser.parse_args(argv)
    if opts.render:
        saved = json.loads(opts.render.read_text())
        saved["datasets"] = {name: dataset_from_json(data) for name, data in saved["datasets"].items()}
        print(markdown_report(saved))
        return

    started = datetime.now(UTC)
    results = {"started": f"{started:%Y-%m-%d %H:%M} UTC", "machine": machine(), "options": vars(opts) | {"out": str(opts.out)},
               "datasets": {}, "load": {}}
    full_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    sets = [("full", full_url, FULL)]
    if not opts.skip_small:
        sets.append(("small", with_database(full_url, f"{database_name(full_url)}_small"), SMALL))

    envs = {name: server_env(url, redis_url, f"bench-{name}") for name, url, _sizes in sets}
    for name, url, sizes in sets:
        _counts, results["load"][name] = prepare(url, sizes, envs[name], reload=opts.reload, out=opts.out)
    if static_files_stale():
        log("collectstatic (the production profile serves hashed, compressed static files)")
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], envs["full"])
    served = {name: envs[name] for name, _url, _sizes in reversed(sets)}
    if not opts.skip_computed:
        # The sets again with the read caches off: what the caches save, and the cost of a miss.
        served |= {name: {**envs[variant.dataset], **variant.env} for name, variant in VARIANTS.items()
                   if variant.dataset in envs and name in opts.variants}
    results["datasets"] = measure(served, opts)
    if not opts.skip_sweep:
        log("reminder sweep over 100,000 projects (bench_reminder_sweep, rolled back)")
        results["reminder_sweep"] = reminder_sweep(envs["full"], FULL["projects"])
    results["load_average_end"] = os.getloadavg()
    results["finished"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"

    text = report(results)
    print("\n" + text, flush=True)
    opts.out.mkdir(parents=True, exist_ok=True)
    stamp = f"{started:%Y%m%dT%H%M}"
    data = {**results, "datasets": {name: as_json(d) for name, d in results["datasets"].items()}}
    for key, full_name, small_name in (("growth", "full", "small"), ("growth_computed", "computed", "computed_small")):
        if full_name in results["datasets"] and small_name in results["datasets"]:
            data[key] = growth(results["datasets"][full_name], results["datasets"][small_name])
    for target in (opts.out / f"bench-{stamp}", opts.out / "latest"):
        target.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        target.with_suffix(".md").write_text(markdown_report(results))
    log(f"written {opts.out / f'bench-{stamp}.json'} and .md")


if __name__ == "__main__":
    main()
