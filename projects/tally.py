"""The project tally (``ProjectTally``): filed projects counted and summed per dashboard key (sector, the lead
unit's district, year, kind, state).

The services wrap every change to what the rows sum in ``kept``: the keys the projects had before the
change and have after it are counted again from the projects, in the same transaction, so the dashboard's
summary, which reads the rows, always equals the project lists it links to. Recounting a key from the
projects, rather than adding and subtracting, cannot drift; each key's row is locked while it is recounted,
so two transactions changing projects of one key count one after the other. ``differences`` and the
command ``recount_tallies --check`` compare every row with the projects all the same.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from alliances.models import units_district
from alliances.rules import sees_all_alliances

from .models import OUTPUTS, Project, ProjectTally
from .selectors import started
from .workflow import STATE_GROUPS, ProjectState

KEY = ("sector", "district", "year", "kind", "state")
FIGURES = ("projects", "started", "total_investment", "completed_investment", *(name for name, _label in OUTPUTS))
MONEY = DecimalField(max_digits=20, decimal_places=4)
ZERO = Decimal("0")


def project_figures() -> dict:
    """The figures a tally row holds, as aggregates over projects (``values(...).annotate(**…)``)."""
    return {
        "projects": Count("pk"),
        "started": Count("pk", filter=started()),
        "total_investment": Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY),
        "completed_investment": Coalesce(Sum("latest_report__completed_investment"), Value(ZERO), output_field=MONEY),
        **{name: Coalesce(Sum(f"latest_report__{name}"), Value(0)) for name, _label in OUTPUTS},
    }


def tally_figures() -> dict:
    """The same figures summed over tally rows."""
    return {name: Sum(name) for name in FIGURES}


def _keyed(projects):
    """Filed projects (drafts are in no list of the bureau) with their tally key's parts annotated."""
    return projects.exclude(state=ProjectState.DRAFT).annotate(
        tally_district=F("lead_district"),
        tally_year=ExtractYear(Coalesce("approved_at", "submitted_at", "created_at")),
    )


def counted(projects) -> list[dict]:
    """The tally rows of ``projects``, computed: one dict per key, with its figures."""
    return list(_keyed(projects).order_by()
                .values("sector", "kind", "state", district=F("tally_district"), year=F("tally_year"))
                .annotate(**project_figures()))


def keys_of(projects) -> set[tuple]:
    """The tally keys of ``projects`` as they stand."""
    return set(_keyed(projects).order_by()
               .values_list("sector", "tally_district", "tally_year", "kind", "state").distinct())


def recount(*, keys: Iterable[tuple]) -> None:
    """Count these keys' rows again from the projects (precondition: the caller's changes are saved; effect:
    the rows equal the projects, in the caller's transaction). A key without projects loses its row."""
    keys = sorted(set(keys))
    if not keys:
        return
    with transaction.atomic():
        ProjectTally.objects.bulk_create(
            [ProjectTally(sector_id=sector, district_id=district, year=year, kind=kind, state=state)
             for sector, district, year, kind, state in keys], ignore_conflicts=True)
        matching = Q()
        for key in keys:
            matching |= Q(**{f"{name}_id" if name in ("sector", "district") else name: value
                             for name, value in zip(KEY, key, strict=True)})
        # Locked, in key order: a second transaction recounting one of these keys waits here, then counts
        # what this one committed.
        kept = {(row.sector_id, row.district_id, row.year, row.kind, row.state): row
                for row in ProjectTally.objects.select_for_update().filter(matching).order_by(*KEY)}
        project_matching = Q()
        for sector, district, year, kind, state in keys:
            project_matching |= Q(sector_id=sector, tally_district=district, tally_year=year, kind=kind, state=state)
        computed = {(row["sector"], row["district"], row["year"], row["kind"], row["state"]): row
                    for row in counted(Project.objects.filter(
                        pk__in=_keyed(Project.objects.all()).filter(project_matching).values("pk")))}
        emptied = []
        for key, row in kept.items():
            figures = computed.get(key)
            if figures is None:
                emptied.append(row.pk)
                continue
            for name in FIGURES:
                setattr(row, name, figures[name])
        ProjectTally.objects.bulk_update([row for row in kept.values() if row.pk not in emptied], FIGURES)
        ProjectTally.objects.filter(pk__in=emptied).delete()


@contextmanager
def kept(projects):
    """Around a change to ``projects`` (a queryset): the keys they had before and have after it are counted
    again when the block ends, inside the caller's transaction."""
    before = keys_of(projects)
    yield
    recount(keys=before | keys_of(projects))


# The project lists' filters that are parts of the tally's key (or, ``started``, one of its figures): a list
# filtered by these alone has as many rows as its tally rows sum up.
TALLIED = {"sector": "sector", "district": "district", "year": "year", "kind": "kind", "state": "state",
           "state_group": "state__in", "started": None}


def list_count(user, filters: dict) -> int | None:
    """How many projects the bureau's project list holds under ``filters`` (a FilterSet's ``cleaned_data``),
    summed from the tally rows rather than counted from the projects; ``None`` where the tally cannot tell:
    a filter outside its key (search, alliance, the monitoring flags, date ranges) or a user who sees only
    some projects. Exact, as the tally is kept in the same transaction as the projects."""
    if not sees_all_alliances(user):
        return None
    chosen = {name: value for name, value in filters.items()
              if value not in (None, "", [], ()) and name != "o"  # a sort order counts what it sorts
              and not (name == "late" and value is False)}  # the pages' checkbox: unticked filters nothing
    if not chosen.keys() <= TALLIED.keys():
        return None
    rows = ProjectTally.objects.filter(**{TALLIED[name]: STATE_GROUPS[value] if name == "state_group" else value
                                          for name, value in chosen.items() if name != "started"})
    totals = rows.aggregate(projects=Sum("projects", default=0), started=Sum("started", default=0))
    if "started" not in chosen:
        return totals["projects"]
    return totals["started"] if chosen["started"] else totals["projects"] - totals["started"]


@contextmanager
def lead_units_kept(organisations):
    """Around a change to member units (``organisations``, a queryset; their district may change): the projects
    they lead take their unit's district again (``Project.lead_district``) and the tally keys those projects
    had before and have after are counted again, inside the caller's transaction."""
    ids = list(organisations.values_list("pk", flat=True))
    led = Project.objects.filter(lead_unit__in=ids)
    with kept(led):
        yield
        led.update(lead_district=units_district("lead_unit"))


def rebuild() -> int:
    """Count every row again from the projects (after a bulk load that went around the services), the projects'
    kept districts first; returns the number of rows."""
    with transaction.atomic():
        Project.objects.exclude(lead_district=F("lead_unit__district")).update(
            lead_district=units_district("lead_unit"))
        ProjectTally.objects.all().delete()
        ProjectTally.objects.bulk_create(
            ProjectTally(sector_id=row["sector"], district_id=row["district"],
                         **{name: row[name] for name in ("year", "kind", "state", *FIGURES)})
            for row in counted(Project.objects.all()))
    return ProjectTally.objects.count()


def differences() -> list[str]:
    """Every tally row that differs from the projects, missing or left over, described; empty when exact."""
    def keyed(rows):
        return {tuple(row[name] for name in KEY): tuple(_plain(row[name]) for name in FIGURES) for row in rows}

    found = [f"project {pk}: kept district {kept_district}, its lead unit is in district {district}"
             for pk, kept_district, district in Project.objects.exclude(lead_district=F("lead_unit__district"))
             .values_list("pk", "lead_district", "lead_unit__district").order_by("pk")]
    kept_rows = keyed(ProjectTally.objects.values(*KEY, *FIGURES))
    actual = keyed(counted(Project.objects.all()))
    for key in sorted(kept_rows.keys() | actual.keys(), key=str):
        if kept_rows.get(key) != actual.get(key):
            found.append(f"{dict(zip(KEY, key, strict=True))}: kept {kept_rows.get(key)}, "
                         f"projects give {actual.get(key)}")
    return found


def _plain(value):
    return Decimal(value).normalize() if isinstance(value, Decimal) else value
