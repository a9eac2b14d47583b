"""The bureau dashboard's aggregates (调度系统), computed in the database.

Every number is a ``Figure``: its value and the list behind it (a dataset and its query parameters).
Numbers are counted on exactly the querysets those lists show (``Dataset.filtered``), grouped and
summed with ``values().annotate()`` / ``aggregate()``: a fixed number of queries whatever the rows.

"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.api import DesignationLevel
from alliances.models import District, Membership, MemberUnitTally, Organisation, Sector
from alliances.rules import sees_all_alliances
from alliances.workflow import State
from assessments.models import LifecycleStage
from projects import tally
from projects.models import OUTPUTS, Activity, ProjectKind, ProjectTally
from projects.workflow import APPROVED_STATES, ProjectState

from .datasets import DATASETS

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=4)
WATCH_LIST_ROWS = 10
# Columns the datasets' lean rows hold as aliases (computed only where used): grouped by, they are annotated.
ALIASED = frozenset({"designation_level", "lifecycle_stage", "member_count", "project_year"})


@dataclass(frozen=True)
class DashboardFilters:
    """The dashboard's filters: an industry sector, a district, a year (each optional)."""

    sector: Sector | None = None
    district: District | None = None
    year: int | None = None

    def as_query(self) -> dict:
        query = {}
        if self.sector is not None:
            query["sector"] = self.sector.pk
        if self.district is not None:
            query["district"] = self.district.pk
        if self.year:
            query["year"] = self.year
        return query


@dataclass
class Figure:
    """One number of the dashboard and the list it counts."""

    key: str
    label: str
    value: object
    dataset: str = ""
    params: dict = field(default_factory=dict)


class Board:
    """Counts for one user and one set of filters."""

    def __init__(self, user, filters: DashboardFilters, today: date | None = None):
        self.user = user
        self.filters = filters
        self.today = today or timezone.localdate()
        self._rows = {}

    def params(self, dataset: str, **extra) -> dict:
        return {**DATASETS[dataset].scope(self.filters), **{k: str(v) for k, v in extra.items()}}

    def rows(self, dataset: str, **extra):
        """The dataset's rows in these filters; built once per board (a FilterSet costs milliseconds to build,
        and the sections group the same rows several ways)."""
        params = self.params(dataset, **extra)
        key = (dataset, tuple(sorted(params.items())))
        if key not in self._rows:
            self._rows[key] = DATASETS[dataset].filtered(self.user, params).order_by()
        return self._rows[key]

    def figure(self, key, label, value, dataset, **extra) -> Figure:
        return Figure(key, str(label), value, dataset, self.params(dataset, **extra))

    def grouped(self, dataset: str, column: str, choices, param: str, **extra) -> list[Figure]:
        """Rows of ``dataset`` counted per value of ``column`` (one query), in the order of ``choices``.

        A plain count: the lists' filters narrow through subqueries and to-one joins, so no row appears twice
        (``COUNT(DISTINCT id)`` sorted all 100,000 projects on disk to find that out)."""
        rows = self.rows(dataset, **extra)
        if column in ALIASED:
            rows = rows.annotate(**{column: F(column)})
        counts = dict(rows.values_list(column).annotate(n=Count("pk")))
        return [self.figure(str(value), label, counts.get(value, 0), dataset, **{param: value}, **extra)
                for value, label in choices]

    # --- Sections ------------------------------------------------------------------------------

    def alliances(self) -> dict:
        stages = [*LifecycleStage.Stage.choices, ("", _("No stage recorded"))]
        by_state = self.grouped("alliances", "state", State.choices, "state")
        return {
            # every row has one of the states: their counts add up to the total, without another scan
            "total": self.figure("total", _("Alliances"), sum(f.value for f in by_state), "alliances"),
            "by_state": by_state,
            "by_designation_level": self.grouped("alliances", "designation_level", DesignationLevel.CHOICES,
                                                 "designation_level"),
            # With a sector chosen, only that sector's bar: a link cannot say "sector A and sector B".
            "by_sector": self.grouped("alliances", "sector", self.sector_choices(), "sector"),
            "by_lifecycle_stage": [
                f for f in self.grouped("alliances", "lifecycle_stage", stages, "lifecycle_stage") if f.key
            ],
        }

    def member_units(self) -> dict:
        """Member units counted once each, however many alliances they belong to."""
        by_kind, support = self.member_unit_counts()
        return {
            "total": self.figure("total", pgettext_lazy("dashboard", "Member units"), sum(by_kind.values()), "organisations"),
            "by_kind": [self.figure(kind, label, by_kind.get(kind, 0), "organisations", kind=kind)
                        for kind, label in Organisation.Kind.choices],
            "enterprises": self.figure("enterprises", _("Enterprises"), by_kind.get(Organisation.Kind.ENTERPRISE, 0),
                                       "organisations", kind=Organisation.Kind.ENTERPRISE),
            "technical_support_units": self.figure(
                "technical_support_units", _("Technical support units"), support,
                "organisations", alliance_role=Membership.Role.TECHNICAL_SUPPORT,
            ),
        }

    def member_unit_counts(self) -> tuple[dict, int]:
        """Member units in these filters per kind, and how many of them are technical support units: from the
        member-unit tally when the user sees every unit, else counted on the units the user sees."""
        if not sees_all_alliances(self.user):
            by_kind = dict(self.rows("organisations").values_list("kind").annotate(n=Count("pk")))
            return by_kind, self.rows("organisations", alliance_role=Membership.Role.TECHNICAL_SUPPORT).count()
        rows = MemberUnitTally.objects.filter(
            sector=self.filters.sector.pk if self.filters.sector is not None else MemberUnitTally.ANY_SECTOR)
        if self.filters.district is not None:
            rows = rows.filter(district=self.filters.district)
        if self.filters.year:  # registered by the end of the year, as the list's registered_before
            rows = rows.filter(year__lte=self.filters.year)
        counts = list(rows.values("kind").annotate(units=Sum("units"), support=Sum("support_units")).order_by())
        return {row["kind"]: row["units"] for row in counts}, sum(row["support"] for row in counts)

    def project_groups(self, *columns: str) -> list[dict]:
        """Filed projects in these filters grouped by ``columns`` (of the tally: sector, district, year, kind,
        state), each group with its count, started count, investment and outputs. From the project tally when
        the user sees every filed project (the tally counts exactly those), else computed from the projects
        the user sees."""
        if sees_all_alliances(self.user):
            rows = ProjectTally.objects.all()
            for name in ("sector", "district", "year"):
                if getattr(self.filters, name):
                    rows = rows.filter(**{name: getattr(self.filters, name)})
            return list(rows.values(*columns).annotate(**tally.tally_figures()).order_by())
        names = {"district": F("lead_district"), "year": F("project_year")}
        rows = self.rows("projects").annotate(project_year=F("project_year"))
        return list(rows.values(*(name for name in columns if name not in names),
                                **{name: names[name] for name in columns if name in names})
                    .annotate(**tally.project_figures()).order_by())

    def projects(self) -> dict:
        groups = self.project_groups("kind", "state")
        approved = [group for group in groups if group["state"] in APPROVED_STATES]

        def total(rows, name, zero=0):
            return sum((row[name] or zero for row in rows), zero)

        by_state = [self.figure(value, label, total([g for g in groups if g["state"] == value], "projects"), "projects",
                                state=value) for value, label in ProjectState.choices]
        total_investment = Decimal(total(approved, "total_investment", ZERO))
        completed = Decimal(total(approved, "completed_investment", ZERO))
        started = total(approved, "started")
        return {
            "total": self.figure("total", _("Projects"), sum(f.value for f in by_state), "projects"),
            "by_kind": [self.figure(value, label, total([g for g in groups if g["kind"] == value], "projects"),
                                    "projects", kind=value) for value, label in ProjectKind.choices],
            "by_state": by_state,
            "approved": self.figure("approved", _("Approved projects"), total(approved, "projects"), "projects",
                                    state_group="approved"),
            "started": self.figure("started", _("Started projects"), started, "projects",
                                   state_group="approved", started="true"),
            "start_rate": _percent(started, total(approved, "projects")),
            "total_investment": self.figure("total_investment", _("Total investment (10k CNY)"), total_investment,
                                            "projects", state_group="approved"),
            "completed_investment": self.figure("completed_investment", _("Completed investment (10k CNY)"),
                                                completed, "projects", state_group="approved"),
            "investment_ratio": _percent(completed, total_investment),
            "outputs": [self.figure(name, label, total(approved, name), "projects", state_group="approved")
                        for name, label in OUTPUTS],
        }

    def activities(self) -> dict:
        year = self.filters.year or self.today.year
        scoped = DashboardFilters(self.filters.sector, self.filters.district, year)
        board = Board(self.user, scoped, self.today)
        rows = board.rows("activities")
        counts = rows.aggregate(total=Count("pk"), high_level=Count("pk", filter=Q(kind__in=Activity.HIGH_LEVEL)))
        return {
            "year": year,
            "total": board.figure("total", _("Activities in %(year)s") % {"year": year}, counts["total"],
                                  "activities"),
            "high_level": board.figure("high_level", _("High-level events in %(year)s") % {"year": year},
                                       counts["high_level"], "activities", high_level="true"),
        }

    def time_series(self) -> dict:
        """Designations, projects approved and investment completed, by year and by quarter."""
        return self._time_series()

    def _time_series(self) -> dict:
        designations = _by_quarter(self.rows("designations"), "designated_at", Count("pk"))
        approved = _by_quarter(self.rows("projects", state_group="approved"), "approved_at", Count("pk"))
        investment = _by_quarter(self.rows("progress-reports"), "period_end",
                                 Coalesce(Sum("investment_increase"), Value(ZERO), output_field=MONEY))
        quarters = sorted(set(designations) | set(approved) | set(investment))
        years = sorted({year for year, _quarter in quarters})

        def point(year, quarter=None):
            keys = [(year, quarter)] if quarter else [k for k in quarters if k[0] == year]
            start, end = _period(year, quarter)
            return {
                "year": year, "quarter": quarter,
                "designations": self.figure("designations", _("Designations"),
                                            sum(designations.get(k, 0) for k in keys), "designations",
                                            designated_after=start, designated_before=end),
                "projects_approved": self.figure("projects_approved", _("Projects approved"),
                                                 sum(approved.get(k, 0) for k in keys), "projects",
                                                 state_group="approved", approved_after=start, approved_before=end),
                "investment_completed": self.figure(
                    "investment_completed", _("Investment completed (10k CNY)"),
                    sum((investment.get(k, ZERO) for k in keys), ZERO), "progress-reports",
                    period_after=start, period_before=end),
            }

        return {"by_year": [point(year) for year in years],
                "by_quarter": [point(year, quarter) for year, quarter in quarters]}

    def breakdown(self, dimension: str) -> list[dict]:
        """Per sector or per district: alliances, designated alliances, member units, projects, investment."""
        return self._breakdown(dimension)

    def _breakdown(self, dimension: str) -> list[dict]:
        if dimension == "sector":
            choices = self.sector_choices()
            unit_column, alliance_column = "memberships__alliance__sector", "sector"
        else:
            choices = self.district_choices()
            unit_column, alliance_column = "district", "chairman__district"
        alliances = dict(self.rows("alliances").values_list(alliance_column).annotate(n=Count("pk")))
        designated = dict(self.rows("alliances", state_group="designated").values_list(alliance_column)
                          .annotate(n=Count("pk")))
        units_rows = self.rows("organisations")
        if dimension == "sector":
            units_rows = units_rows.filter(memberships__status=Membership.Status.CONFIRMED)
        units = dict(units_rows.values_list(unit_column).annotate(n=Count("pk", distinct=True)))
        projects = {}
        for group in self.project_groups(dimension, "state"):
            if group["state"] in APPROVED_STATES:
                n, total, completed = projects.get(group[dimension], (0, ZERO, ZERO))
                projects[group[dimension]] = (n + group["projects"], total + (group["total_investment"] or ZERO),
                                              completed + (group["completed_investment"] or ZERO))
        table = []
        for key, label in choices:
            n, total, completed = projects.get(key, (0, ZERO, ZERO))
            scope = {dimension: key}
            table.append({
                "key": key, "label": str(label),
                "alliances": self.figure("alliances", _("Alliances"), alliances.get(key, 0), "alliances", **scope),
                "designated": self.figure("designated", pgettext_lazy("dashboard", "Designated alliances"), designated.get(key, 0),
                                          "alliances", state_group="designated", **scope),
                "member_units": self.figure("member_units", pgettext_lazy("dashboard", "Member units"), units.get(key, 0), "organisations",
                                            **scope),
                "projects": self.figure("projects", _("Approved projects"), n, "projects", state_group="approved",
                                        **scope),
                "total_investment": self.figure("total_investment", _("Total investment (10k CNY)"), Decimal(total),
                                                "projects", state_group="approved", **scope),
                "completed_investment": self.figure("completed_investment", _("Completed investment (10k CNY)"),
                                                    Decimal(completed), "projects", state_group="approved", **scope),
            })
        return table

    def watch_list(self) -> dict:
        """What needs the bureau's attention: overdue assessments and reports, stalled projects, decline."""
        return self._watch_list()

    def _watch_list(self) -> dict:
        entries = {
            "overdue_assessments": ("assessments", _("Overdue self-assessments"), {"overdue": "true"},
                                    lambda r: (r.alliance.name, r.self_assessment_due)),
            "overdue_reports": ("projects", _("Projects with an overdue report or end date"), {"late": "true"},
                                lambda p: (p.title, p.next_report_due)),
            "stalled_projects": ("projects", _("Stalled projects"), {"stalled": "true"},
                                 lambda p: (p.title, p.start_date)),
            "alliances_in_decline": ("alliances", _("Alliances in decline"), {"lifecycle_stage": "decline"},
                                     lambda a: (a.name, None)),
        }
        watch = {}
        for key, (dataset, label, extra, describe) in entries.items():
            rows = DATASETS[dataset].filtered(self.user, self.params(dataset, **extra))
            first = list(DATASETS[dataset].shown(rows.order_by(*DATASETS[dataset].ordering))[:WATCH_LIST_ROWS])
            watch[key] = {
                "count": self.figure(key, label, rows.count(), dataset, **extra),
                "rows": [{"id": row.pk, "name": describe(row)[0], "date": describe(row)[1]} for row in first],
            }
        return watch

    def summary(self) -> dict:
        return {
            "filters": self.filters.as_query(),
            "alliances": self.alliances(),
            "member_units": self.member_units(),
            "projects": self.projects(),
            "activities": self.activities(),
        }

    # --- Choices -------------------------------------------------------------------------------

    def sector_choices(self):
        if self.filters.sector is not None:
            return [(self.filters.sector.pk, self.filters.sector.name)]
        return list(Sector.objects.order_by("position", "name").values_list("pk", "name"))

    def district_choices(self):
        if self.filters.district is not None:
            return [(self.filters.district.pk, self.filters.district.name)]
        return list(District.objects.order_by("code").values_list("pk", "name"))


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _by_quarter(queryset, column: str, aggregate) -> dict:
    rows = (queryset.exclude(**{f"{column}__isnull": True})
            .annotate(y=ExtractYear(column), q=ExtractQuarter(column))
            .values_list("y", "q").annotate(v=aggregate).order_by())
    return {(year, quarter): value for year, quarter, value in rows}


def _period(year: int, quarter: int | None) -> tuple[str, str]:
    if quarter is None:
        return f"{year}-01-01", f"{year}-12-31"
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    last_day = 31 if last_month in (3, 12) else 30
    return f"{year}-{first_month:02d}-01", f"{year}-{last_month:02d}-{last_day}"
