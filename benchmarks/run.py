"""``make bench``: the portal's speed on real traffic at province scale (issue 16), in about ten minutes.

1. Two PostgreSQL databases: the full set (``DATABASE_URL``, default alliance_bench: 2,000 alliances,
   50,000 member units, 100,000 projects, 400,000 progress reports, 20,000 expert scores) and one ten
   times smaller (the same name + ``_small``). Each is migrated and loaded with ``generate_scale_data``
   unless it already holds that size (``--reload`` drops and reloads it), then VACUUM ANALYZEd.
2. Per set, the mixes of ``probe.urls``: thousands of distinct paths each (the alliance and project list
   APIs with every filter and sort order they offer and pages across each filter's whole range; the detail
   APIs of random ids; the list pages with random filters, sorts and pages; the dashboard summary for
   every sector × district × year; the bare list on random pages). SQL statements per request are counted
   in-process over a sample of each mix.
3. gunicorn with the production settings (``DJANGO_ENV=production``, a generated ``SECRET_KEY``;
   ``SECURE_SSL_REDIRECT=false`` because wrk speaks plain HTTP on loopback; the API throttles raised so that
   they count but never refuse), sync workers (CPUs + 1), Redis as cache (``REDIS_URL``, default db 7).
   A bureau officer with a session cookie (pages) and a knox token (API).
4. Single requests, one at a time: the first page of each list against its last page.
5. wrk (16 connections, 2 threads, 20 s) per mix, each request drawn at random from the mix's paths
   (benchmarks/mix.lua), the cache emptied before each mix; small and full set in turn, mix by mix. The
   workers' RSS before and after.
6. The reminder sweep over 100,000 projects (``bench_reminder_sweep``, rolled back), and the load rates.

Prints the tables (with the issue's targets, met or missed) and writes ``artifacts/bench/bench-<time>.json``
/ ``.md`` (and ``latest.*``).
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.results import (
    Dataset,
    MixResult,
    as_json,
    dataset_from_json,
    ends_table,
    growth,
    growth_table,
    markdown,
    mix_table,
    plain,
    targets,
)
from benchmarks.results import parse_wrk as parse_wrk_output

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
FULL = {"alliances": 2000, "units": 50000, "projects": 100_000, "reports": 400_000, "scores": 20_000}
SMALL = {name: value // 10 for name, value in FULL.items()}


MIX_LABELS = {
    "bare_list": "bare list (plain DRF ListAPIView), random pages",
    "list_api": "list APIs (alliances, projects): filters, sorts, pages",
    "detail_api": "detail APIs (alliances, projects): random ids",
    "html_list": "list pages (alliances, projects): filters, sorts, pages",
    "dashboard": "dashboard summary API: sector × district × year",
}
SINGLE_REPEAT = 15


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    import psycopg2  # only the database steps need it (run.py starts without Django)

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
    import psycopg2  # only the database steps need it (run.py starts without Django)

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
        run([PYTHON, "manage.py", "recount_tallies"], env)  # loaded before the tallies existed, perhaps
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


def headers_for(auth: str, ids: dict) -> dict:
    if auth == "session":
        return {"Cookie": ids["session_cookie"]}
    if auth == "token":
        return {"Authorization": f"Token {ids['token']}"}
    return {}


def fetch(url: str, headers: dict) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        # S310: the URL is our own loopback server's
        with opener.open(urllib.request.Request(url, headers=headers), timeout=60) as response:  # noqa: S310
            response.read()
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

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker (the master's children), from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in sorted(children, key=int):
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)[1])
            sizes.append(round(kib / 1024, 1))
        return sizes


def wrk(url: str, headers: dict, paths_file: Path, *, seconds: int, connections: int, threads: int) -> str:
    args = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
            "-s", str(ROOT / "benchmarks" / "mix.lua")]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run([*args, url, "--", str(paths_file)], capture_output=True, text=True,
                            timeout=seconds + 60, check=False)
    if result.returncode:
        raise SystemExit(f"wrk failed: {result.stderr}")
    return result.stdout


def empty_caches(redis_url: str) -> None:
    """Nothing kept from an earlier run or mix: the benchmark's Redis database is emptied."""
    import redis  # only this step needs it (run.py starts without Django)

    redis.Redis.from_url(redis_url).flushdb()


def single_latency(base: str, headers: dict, path: str, repeat: int = SINGLE_REPEAT) -> float:
    """Median milliseconds of ``repeat`` requests of ``path``, one at a time (after two not counted)."""
    times = []
    for index in range(repeat + 2):
        started = time.perf_counter()
        status = fetch(base + path, headers)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        if index >= 2:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(envs: dict[str, dict], redis_url: str, opts) -> dict[str, Dataset]:
    """Serve both data sets at once and drive each mix on each in turn (small, then full), so that both sides
    of a growth ratio are measured under the same load of the machine. Paths are drawn and queries counted
    in-process first."""
    datasets, ids, mixes, paths_files = {}, {}, {}, {}
    opts.out.mkdir(parents=True, exist_ok=True)
    for name, env in envs.items():
        datasets[name] = Dataset(name=name, counts=probe(env, "counts"))
        ids[name] = probe(env, "setup")
        log(f"{name}: drawing the mixes' paths")
        urls_file = opts.out / f"urls-{name}.json"
        urls_file.write_text(run([PYTHON, "-m", "benchmarks.probe", "urls"], env).strip().splitlines()[-1])
        mixes[name] = json.loads(urls_file.read_text())
        counted = probe(env, "queries", str(urls_file), json.dumps(ids[name]))
        for key, mix in mixes[name]["mixes"].items():
            if opts.mixes and key not in opts.mixes:
                continue
            paths_files[name, key] = opts.out / f"paths-{name}-{key}.txt"
            paths_files[name, key].write_text("\n".join(mix["paths"]) + "\n")
            datasets[name].mixes[key] = MixResult(
                key, MIX_LABELS[key], mix["auth"], len(set(mix["paths"])), counted[key]["queries_min"],
                counted[key]["queries_max"], counted[key]["cpu_ms"])
            if counted[key]["statuses"] != [200]:
                raise SystemExit(f"{name}: {key} answered {counted[key]['statuses']} in-process")
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(Server(env, opts.workers, opts.server_threads))
                   for name, env in envs.items()}
        for name, server in servers.items():
            datasets[name].ends = {
                label: {**end, "first_ms": single_latency(server.base, headers_for(end["auth"], ids[name]), end["first"]),
                        "last_ms": single_latency(server.base, headers_for(end["auth"], ids[name]), end["last"])}
                for label, end in mixes[name]["ends"].items()}
            datasets[name].memory = {"start_mib": server.worker_rss_mib(), "requests": 0}
        for key in MIX_LABELS:
            for name, server in servers.items():
                result = datasets[name].mixes.get(key)
                if result is None:
                    continue
                headers = headers_for(result.auth, ids[name])
                empty_caches(redis_url)
                output = wrk(server.base, headers, paths_files[name, key], seconds=opts.duration,
                             connections=opts.connections, threads=opts.threads)
                result.load_average = os.getloadavg()[0]
                try:
                    result.run = parse_wrk_output(output)
                except ValueError as problem:
                    log(f"{name}: {result.label}: {problem}")
                    continue
                datasets[name].memory["requests"] += result.run.requests
                log(f"{name}: {result.label}: {result.run.rps:,.1f} req/s, p50 {result.run.p50_ms:.1f} ms, "
                    f"p95 {result.run.p95_ms:.1f} ms, p99 {result.run.p99_ms:.1f} ms, SQL {result.queries_min}–"
                    f"{result.queries_max}, {result.run.errors} errors, load {result.load_average:.1f}")
        for name, server in servers.items():
            datasets[name].memory["end_mib"] = server.worker_rss_mib()
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


def counts_text(counts: dict) -> str:
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def _sections(results: dict, render) -> list[str]:
    full, small = results["datasets"]["full"], results["datasets"].get("small")
    options = results["options"]
    parts = [f"Benchmark {results['started']} (git {results['machine']['git']}), {results['machine']['cpus']} CPUs, "
             f"load average at start {results['machine']['load_average'][0]:.1f}, at end "
             f"{results['load_average_end'][0]:.1f}; gunicorn {options['workers']} "
             f"{worker_text(options.get('server_threads', 1))}, production profile; wrk {options['connections']} "
             f"connections, {options['threads']} threads, {options['duration']} s per mix, every request drawn at "
             f"random from the mix's paths; the cache emptied before each mix.", "",
             f"Full data set ({counts_text(full.counts)}):", "", render(mix_table(full)), "",
             "Targets (full data set):", "", render(targets(full, small)), "",
             "Single requests, one at a time on the idle server (median of "
             f"{SINGLE_REPEAT}): first page against last page, and against the small set:", "",
             render(ends_table(full, small)), ""]
    if small:
        parts += [f"Growth from the small set ({counts_text(small.counts)}) to the full one (ratios full / small):",
                  "", render(growth_table(full, small)), "", "Small data set:", "", render(mix_table(small)), ""]
    memory = full.memory
    if memory.get("end_mib"):
        parts.append(f"Worker memory (full set): RSS {memory['start_mib']} MiB after the single requests, "
                     f"{memory['end_mib']} MiB after {memory['requests']:,} more requests of the mixes.")
    sweep = results.get("reminder_sweep")
    if sweep and "first run" in sweep:
        parts.append(f"Reminder sweep over {sweep['projects']:,} projects: first run {sweep['first run']['seconds']:.2f} s, "
                     f"{sweep['first run']['queries']} SQL ({sweep['first run']['reminders_due']:,} reminders due); "
                     f"second run {sweep['second run']['seconds']:.2f} s, {sweep['second run']['queries']} SQL.")
    for name, load in results.get("load", {}).items():
        tables = load.get("tables") if isinstance(load, dict) else None
        if tables:
            parts.append(f"Scale-data load ({name}, loaded {load['loaded']} at load average "
                         f"{load['load_average']:.1f}): " + ", ".join(
                             f"{row['table']} {row['rows']:,} in {row['seconds']:.1f} s" for row in tables))
    return parts


def report(results: dict) -> str:
    return "\n".join(_sections(results, lambda rows: "```\n" + plain(rows) + "\n```"))


def markdown_report(results: dict) -> str:
    return "\n".join(_sections(results, markdown)) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reload", action="store_true", help="drop and reload both databases")
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per mix (default 20)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn workers (CPUs + 1)")
    parser.add_argument("--server-threads", type=int, default=1,
                        help="threads per gunicorn worker (1: sync workers; more: gthread workers)")
    parser.add_argument("--skip-small", action="store_true", help="no 10× smaller set (no growth ratios)")
    parser.add_argument("--mixes", type=lambda text: text.split(","), default=None,
                        help=f"only these mixes, comma-separated ({','.join(MIX_LABELS)})")
    parser.add_argument("--skip-sweep", action="store_true", help="no reminder sweep")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench")
    parser.add_argument("--render", type=Path, help="print the Markdown report of a saved JSON result and stop")
    opts = parser.parse_args(argv)
    if opts.render:
        saved = json.loads(opts.render.read_text())
        saved["datasets"] = {name: dataset_from_json(data) for name, data in saved["datasets"].items()}
        print(markdown_report(saved))
        return
    if opts.mixes and "bare_list" not in opts.mixes:
        opts.mixes.append("bare_list")  # every ratio is to the bare list of the same run

    started = datetime.now(UTC)
    results = {"started": f"{started:%Y-%m-%d %H:%M} UTC", "machine": machine(),
               "options": vars(opts) | {"out": str(opts.out)}, "datasets": {}, "load": {}}
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
    results["datasets"] = measure({name: envs[name] for name, _url, _sizes in reversed(sets)}, redis_url, opts)
    if not opts.skip_sweep:
        log("reminder sweep over 100,000 projects (bench_reminder_sweep, rolled back)")
        results["reminder_sweep"] = reminder_sweep(envs["full"], FULL["projects"])
    results["load_average_end"] = os.getloadavg()
    results["finished"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"

    print("\n" + report(results), flush=True)
    stamp = f"{started:%Y%m%dT%H%M}"
    data = {**results, "datasets": {name: as_json(d) for name, d in results["datasets"].items()}}
    if "small" in results["datasets"]:
        data["growth"] = growth(results["datasets"]["full"], results["datasets"]["small"])
    for target in (opts.out / f"bench-{stamp}", opts.out / "latest"):
        target.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        target.with_suffix(".md").write_text(markdown_report(results))
    log(f"written {opts.out / f'bench-{stamp}.json'} and .md")


if __name__ == "__main__":
    main()
