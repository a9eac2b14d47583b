"""The in-process half of the benchmark, run by ``benchmarks/run.py`` with the server's environment:

``python -m benchmarks.probe counts``   rows per table (to skip reloading a database already loaded)
``python -m benchmarks.probe setup``    a bureau officer with a session and a knox token, and the ids the
                                        endpoints need; prints them as JSON (the session and token are
                                        secrets of this benchmark database only)
``python -m benchmarks.probe queries '<json endpoints>' '<json setup>'``
                                        SQL statements per request of each endpoint, counted with
                                        ``CaptureQueriesContext`` around a test-client request (the third,
                                        so that a cold cache does not count), and the
                                        median Python CPU time and wall time of seven more

``python -m benchmarks.probe writes <seconds between writes>``
                                        until stopped: a write to the alliances, the projects and the
                                        progress reports every so many seconds, as a busy province's
                                        portal sees them (the "mixed" run of the benchmark)

Each prints one JSON line last.
"""

import json
import os
import statistics
import sys
import time

BENCH_OFFICER = "bench-officer"
REPEAT = 7


def counts() -> dict:
    from alliances.models import Alliance, Organisation
    from projects.models import ProgressReport, Project
    from reviews.models import Scorecard

    return {"alliances": Alliance.objects.count(), "units": Organisation.objects.count(),
            "projects": Project.objects.count(), "reports": ProgressReport.objects.count(),
            "scores": Scorecard.objects.count()}


def setup() -> dict:
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from knox.models import AuthToken

    from accounts.models import User
    from accounts.roles import Role
    from alliances.models import Alliance
    from projects.models import Project
    from reviews.workflow import State

    officer, _created = User.objects.get_or_create(
        username=BENCH_OFFICER, defaults={"full_name": "基准测试科技局处室", "email": "bench-officer@example.cn"})
    officer.groups.add(Group.objects.get(name=Role.OFFICER.value))
    AuthToken.objects.filter(user=officer).delete()
    _token_row, token = AuthToken.objects.create(user=officer)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    from django.conf import settings

    # A pilot alliance with the median number of projects, and the sector with the most projects.
    pilots = list(Alliance.objects.filter(state=State.PILOT).annotate(n=Count("projects")).order_by("n", "pk")
                  .values_list("pk", flat=True))
    sector = (Project.objects.values("sector").annotate(n=Count("pk")).order_by("-n", "sector")
              .values_list("sector", flat=True).first())
    return {"session_cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            "token": token, "alliance": pilots[len(pilots) // 2] if pilots else None, "sector": sector}


def queries(endpoints: list[dict], ids: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    session = Client(HTTP_HOST="127.0.0.1")
    session.force_login(User.objects.get(username=BENCH_OFFICER))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for endpoint in endpoints:
        path = endpoint["path"].format(**ids)
        if endpoint["auth"] == "session":
            client, headers = session, {}
        else:
            client = anonymous
            headers = {"HTTP_AUTHORIZATION": f"Token {ids['token']}"} if endpoint["auth"] == "token" else {}
        # warm: first-request caches are not what the benchmark measures; with the response cache on, the
        # first request learns which tables the response reads and the second keeps it
        for _ in range(2):
            client.get(path, **headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, **headers)
        # counted now: the captured list is read from the connection's log, which the next request clears
        count = len(captured)
        # The Python CPU time of one request (the database works in its own processes): less sensitive than
        # wall-clock latency to a machine shared with other work. Median of REPEAT requests.
        cpu, wall = [], []
        for _ in range(REPEAT):
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            client.get(path, **headers)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
        found[endpoint["key"]] = {"queries": count, "status": response.status_code,
                                  "cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall)}
    return found


def write_round(number: int) -> None:
    """One UPDATE of an alliance, a project and a progress report (the ``number``-th of each, in turn across
    the first thousand). The values stay as they were (the benchmark's data set is not changed), but each
    statement moves its table's generation as a real edit would: the cached responses, list counts and
    dashboard sections that read the table are retired and computed again by the next request."""
    from django.db.models import F

    from alliances.models import Alliance
    from projects.models import ProgressReport, Project

    for model, field in ((Alliance, "updated_at"), (Project, "updated_at"), (ProgressReport, "submitted_at")):
        ids = _first_ids.get(model) or _first_ids.setdefault(
            model, list(model.objects.order_by("pk").values_list("pk", flat=True)[:1000]))
        if ids:
            model.objects.filter(pk=ids[number % len(ids)]).update(**{field: F(field)})


_first_ids: dict = {}


def writes(interval: float) -> dict:
    """Until SIGTERM: a ``write_round`` every ``interval`` seconds."""
    import signal

    stopped = []
    signal.signal(signal.SIGTERM, lambda *_args: stopped.append(True))
    rounds = 0
    while not stopped:
        write_round(rounds)
        rounds += 1
        time.sleep(interval)
    return {"write_rounds": rounds}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings")
    import django

    django.setup()
    command = argv[0]
    if command == "counts":
        result = counts()
    elif command == "setup":
        result = setup()
    elif command == "queries":
        result = queries(json.loads(argv[1]), json.loads(argv[2]))
    elif command == "writes":
        result = writes(float(argv[1]))
    else:
        raise SystemExit(f"unknown probe command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
