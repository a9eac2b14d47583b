"""The in-process half of the benchmark, run by ``benchmarks/run.py`` with the server's environment:

``python -m benchmarks.probe counts``   rows per table (to skip reloading a database already loaded)
``python -m benchmarks.probe setup``    a bureau officer with a session and a knox token, and the ids the
                                        endpoints need; prints them as JSON (the session and token are
                                        secrets of this benchmark database only)
``python -m benchmarks.probe urls``     the benchmark's mixes of paths (``urls()``), as JSON
``python -m benchmarks.probe queries <urls.json> '<json setup>'``
                                        SQL statements per request over a sample of each mix's paths,
                                        counted in-process with ``CaptureQueriesContext``, and the median
                                        Python CPU time of a request

Each prints one JSON line last.
"""

import json
import os
import pathlib
import random
import statistics
import sys
import time
from types import SimpleNamespace
from urllib.parse import urlencode

BENCH_OFFICER = "bench-officer"


def counts() -> dict:
    # Imported here: main() sets Django up first, and models need the app registry
    from alliances.models import Alliance, Organisation
    from projects.models import ProgressReport, Project
    from reviews.models import Scorecard

    return {"alliances": Alliance.objects.count(), "units": Organisation.objects.count(),
            "projects": Project.objects.count(), "reports": ProgressReport.objects.count(),
            "scores": Scorecard.objects.count()}


def setup() -> dict:
    # Imported here: main() sets Django up first, and models need the app registry
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client
    from knox.models import AuthToken

    from accounts.models import User
    from accounts.roles import Role

    officer, _created = User.objects.get_or_create(
        username=BENCH_OFFICER, defaults={"full_name": "基准测试科技局处室", "email": "bench-officer@example.cn"})
    officer.groups.add(Group.objects.get(name=Role.OFFICER.value))
    AuthToken.objects.filter(user=officer).delete()
    _token_row, token = AuthToken.objects.create(user=officer)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)

    return {"session_cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            "token": token}


def _client(auth: str, ids: dict):
    # Imported here: main() sets Django up first, and models need the app registry
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if auth == "session":
        client.force_login(User.objects.get(username=BENCH_OFFICER))
        return client, {}
    return client, ({"HTTP_AUTHORIZATION": f"Token {ids['token']}"} if auth == "token" else {})


def queries(mixes: dict, ids: dict) -> dict:
    """Per mix, over a sample of its paths: the SQL statements of each request (counted with
    ``CaptureQueriesContext`` after a first request of the same path) and the median Python CPU time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for key, mix in mixes.items():
        client, headers = _client(mix["auth"], ids)
        counts, cpu, statuses = [], [], set()
        for path in mix["paths"][:SAMPLE]:
            client.get(path, **headers)  # first-request costs (translations, content types) are not measured
            started = time.process_time()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, **headers)
            cpu.append((time.process_time() - started) * 1000)
            counts.append(len(captured))
            statuses.add(response.status_code)
        found[key] = {"queries_min": min(counts), "queries_max": max(counts), "cpu_ms": statistics.median(cpu),
                      "statuses": sorted(statuses)}
    return found


SAMPLE = 25  # paths per mix whose queries are counted in-process
MIX_SIZE = 4000  # paths drawn per mix
PER_PAGE = 20


def _pages(count: int) -> int:
    return max(1, -(-count // PER_PAGE))


def _as_query(params: dict):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in params.items():
        data[name] = str(value)
    return data


class _Lists:
    """Filter combinations of the alliance and project lists (API and pages), each with its row count as the
    benchmark officer sees it, so that pages are drawn across each combination's whole range."""

    def __init__(self, rng):
        # Imported here: main() sets Django up first, and models need the app registry
        from django.db.models import Count

        from accounts.models import User
        from alliances.api import AllianceFilter, alliance_rows
        from alliances.filters import AllianceFilterSet
        from alliances.models import Alliance, District, Sector
        from alliances.selectors import alliance_rows as alliance_page_rows
        from projects.api import ProjectApiFilter
        from projects.filters import ProjectFilter
        from projects.models import Project, ProjectKind
        from projects.selectors import project_rows

        self.rng = rng
        officer = User.objects.get(username=BENCH_OFFICER)
        self.sectors = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
        self.districts = list(District.objects.order_by("pk").values_list("pk", flat=True))
        self.alliance_ids = list(Alliance.objects.order_by("pk").values_list("pk", flat=True))
        self.project_ids = list(Project.objects.visible_to(officer).order_by("pk").values_list("pk", flat=True))
        self.alliance_states = sorted(row[0] for row in Alliance.objects.values_list("state").annotate(n=Count("pk")))
        self.project_states = sorted(row[0] for row in Project.objects.visible_to(officer).values_list("state")
                                     .annotate(n=Count("pk")))
        self.kinds = [value for value, _label in ProjectKind.choices]
        self.years = sorted({day.year for day in Project.objects.exclude(approved_at=None)
                             .dates("approved_at", "year")}) or [2025]

        def counter(filterset, rows):
            def count(params: dict) -> int:
                data = _as_query(params)
                made = filterset(data=data, queryset=rows(officer),
                                 request=SimpleNamespace(user=officer, query_params=data))
                if not made.is_valid():
                    raise SystemExit(f"invalid benchmark parameters {params}: {made.errors.as_json()}")
                return made.qs.count()
            return count

        self.count = {
            "alliance_api": counter(AllianceFilter, alliance_rows),
            "project_api": counter(ProjectApiFilter, project_rows),
            "alliance_page": counter(AllianceFilterSet, alliance_page_rows),
            "project_page": lambda params: ProjectFilter(_as_query(params), queryset=project_rows(officer),
                                                         user=officer).qs.count(),
        }

    def combos(self, kind: str, how_many: int) -> list[tuple[dict, int]]:
        """Distinct filter combinations (none, one or two filters) that hold rows, each with its row count."""
        filters = self.filters(kind)
        seen, combos = set(), []
        for _attempt in range(how_many * 5):
            chosen = self.rng.sample(sorted(filters), self.rng.choice([0, 1, 1, 2, 2]))
            params = {name: filters[name]() for name in chosen}
            key = tuple(sorted(params.items()))
            if key in seen:
                continue
            seen.add(key)
            count = self.count[kind](params)
            if count:
                combos.append((params, count))
            if len(combos) == how_many:
                break
        return combos

    def filters(self, kind: str) -> dict:
        rng = self.rng
        if kind == "alliance_api":
            return {
                "sector": lambda: rng.choice(self.sectors), "state": lambda: rng.choice(self.alliance_states),
                "district": lambda: rng.choice(self.districts),
                "state_group": lambda: rng.choice(["editable", "under_review", "designated", "closed"]),
                "designation_level": lambda: rng.choice(["demonstration", "pilot", "none"]),
                "year": lambda: rng.choice(self.years),
            }
        if kind == "project_api":
            return {
                "sector": lambda: rng.choice(self.sectors), "kind": lambda: rng.choice(self.kinds),
                "state": lambda: rng.choice(self.project_states), "district": lambda: rng.choice(self.districts),
                "year": lambda: rng.choice(self.years), "alliance": lambda: rng.choice(self.alliance_ids),
                "late": lambda: "true", "stalled": lambda: "true", "over_budget": lambda: "true",
                "started": lambda: rng.choice(["true", "false"]),
                "state_group": lambda: rng.choice(["approved", "running", "closed"]),
            }
        if kind == "alliance_page":
            return {"sector": lambda: rng.choice(self.sectors), "state": lambda: rng.choice(self.alliance_states),
                    "district": lambda: rng.choice(self.districts), "q": lambda: rng.choice(["技术", "产业", "0001"])}
        return {"sector": lambda: rng.choice(self.sectors), "kind": lambda: rng.choice(self.kinds),
                "state": lambda: rng.choice(self.project_states), "year": lambda: rng.choice(self.years),
                "alliance": lambda: rng.choice(self.alliance_ids), "late": lambda: "on"}


# Every sort order each list offers (None: the default order).
ORDERINGS = {
    "alliance_api": ("ordering", ["name", "-name", "created_at", "-created_at", "state_changed_at", "member_count",
                                  "-member_count", "state", "designation_level", None]),
    "project_api": ("ordering", ["created_at", "-created_at", "approved_at", "-start_date", "end_date",
                                 "-total_investment", "title", "next_report_due", None]),
    "alliance_page": ("o", ["name", "-sector", "chairman", "state", "-members", "version", "-updated", None]),
    "project_page": ("o", ["number", "title", "-alliance", "start", "-end", "investment", "state", "-year", None]),
}
LIST_PATHS = {"alliance_api": "/api/v1/alliances/", "project_api": "/api/v1/projects/",
              "alliance_page": "/alliances/", "project_page": "/projects/"}


def _list_paths(lists: _Lists, kind: str, how_many: int) -> list[str]:
    combos = lists.combos(kind, 120)
    parameter, orderings = ORDERINGS[kind]
    paths = []
    for _index in range(how_many):
        params, count = lists.rng.choice(combos)
        ordering = lists.rng.choice(orderings)
        query = {**params, **({parameter: ordering} if ordering else {}),
                 "page": lists.rng.randint(1, _pages(count))}
        paths.append(f"{LIST_PATHS[kind]}?{urlencode(query)}")
    return paths


def urls(seed: int = 2026) -> dict:
    """The benchmark's mixes: thousands of distinct paths each, drawn at random (a fixed seed: every run and
    both data sets draw alike), with the authentication each needs; and, per list, its first and last page
    (for single-request latency)."""
    # Imported here: main() sets Django up first, and models need the app registry
    from alliances.models import Alliance

    rng = random.Random(seed)
    lists = _Lists(rng)
    total = Alliance.objects.count()
    mixes = {
        "bare_list": {"auth": "none", "paths": [f"/bench/alliances/?page={rng.randint(1, _pages(total))}"
                                                for _index in range(MIX_SIZE)]},
        "list_api": {"auth": "token", "paths": _list_paths(lists, "alliance_api", MIX_SIZE // 2)
                     + _list_paths(lists, "project_api", MIX_SIZE // 2)},
        "detail_api": {"auth": "token", "paths": [
            f"/api/v1/alliances/{rng.choice(lists.alliance_ids)}/" if index % 2 else
            f"/api/v1/projects/{rng.choice(lists.project_ids)}/" for index in range(MIX_SIZE)]},
        "html_list": {"auth": "session", "paths": _list_paths(lists, "alliance_page", MIX_SIZE // 2)
                      + _list_paths(lists, "project_page", MIX_SIZE // 2)},
        "dashboard": {"auth": "token", "paths": [
            "/api/v1/dashboard/summary/?" + urlencode({name: value for name, value in (
                ("sector", sector), ("district", district), ("year", year)) if value is not None})
            for sector in [None, *lists.sectors] for district in [None, *lists.districts]
            for year in [None, *lists.years]]},
    }
    for mix in mixes.values():
        rng.shuffle(mix["paths"])
    sector = lists.sectors[0]
    ends = {
        "alliance list API": ("token", LIST_PATHS["alliance_api"] + "?page={}", lists.count["alliance_api"]({})),
        "project list API": ("token", LIST_PATHS["project_api"] + "?page={}", lists.count["project_api"]({})),
        "project list API, one sector": ("token", LIST_PATHS["project_api"] + f"?sector={sector}&page={{}}",
                                         lists.count["project_api"]({"sector": sector})),
        "alliance list page": ("session", LIST_PATHS["alliance_page"] + "?page={}", lists.count["alliance_page"]({})),
        "project list page": ("session", LIST_PATHS["project_page"] + "?page={}", lists.count["project_page"]({})),
    }
    return {"mixes": mixes,
            "ends": {name: {"auth": auth, "first": pattern.format(1), "last": pattern.format(_pages(count))}
                     for name, (auth, pattern, count) in ends.items()}}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings")
    import django

    django.setup()
    command = argv[0]
    if command == "counts":
        result = counts()
    elif command == "setup":
        result = setup()
    elif command == "urls":
        result = urls()
    elif command == "queries":
        result = queries(json.loads(pathlib.Path(argv[1]).read_text())["mixes"], json.loads(argv[2]))
    else:
        raise SystemExit(f"unknown probe command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
