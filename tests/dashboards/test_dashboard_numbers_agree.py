"""The dashboard's numbers agree with the raw rows and with the lists they link to.

A generated city is summarised by the dashboard; every aggregate is then recomputed here in plain
Python from the rows themselves (no ORM aggregates), and every number's ``list`` is fetched from the
API and counted (or summed). Both must match, for several combinations of filters.
"""

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances.models import Alliance, Membership, Organisation
from alliances.workflow import DESIGNATED
from assessments.models import AssessmentRound, LifecycleStage
from dashboards.selectors import Board, DashboardFilters
from projects.models import OUTPUTS, Activity, ProgressReport, Project
from projects.selectors import stall_days
from projects.workflow import APPROVED_STATES, RUNNING, ProjectState
from reviews.models import Designation

from ..api.conftest import session_client
from .data import make_city

STARTED = {ProjectState.IN_PROGRESS, ProjectState.ACCEPTANCE, ProjectState.PASSED, ProjectState.FAILED}
ZERO = Decimal("0")


def local(dt) -> date | None:
    return timezone.localtime(dt).date() if dt else None


@pytest.fixture
def city(db):
    return make_city(alliances=16, seed=11)


class Raw:
    """The same numbers, from the rows, in Python."""

    def __init__(self, filters: DashboardFilters, today: date):
        self.f, self.today = filters, today
        self.alliances = list(Alliance.objects.select_related("chairman"))
        self.stages = {}
        for stage in LifecycleStage.objects.order_by("set_at", "pk"):
            self.stages[stage.alliance_id] = stage.stage  # the newest wins
        self.designations = list(Designation.objects.all())
        self.memberships = list(Membership.objects.select_related("alliance"))
        self.units = {o.pk: o for o in Organisation.objects.all()}
        self.projects = [p for p in Project.objects.select_related("latest_report", "lead_unit")
                         if p.state != ProjectState.DRAFT]
        self.reports = list(ProgressReport.objects.select_related("project__lead_unit"))
        self.activities = list(Activity.objects.select_related("alliance__chairman"))
        self.rounds = list(AssessmentRound.objects.select_related("alliance__chairman"))

    # scopes ---------------------------------------------------------------------------------
    def alliance_in_scope(self, a, sector=None, district=None):
        sector = sector if sector is not None else (self.f.sector.pk if self.f.sector else None)
        district = district if district is not None else (self.f.district.pk if self.f.district else None)
        return ((sector is None or a.sector_id == sector) and (district is None or a.chairman.district_id == district)
                and (not self.f.year or local(a.created_at) <= date(self.f.year, 12, 31)))

    def level(self, a):
        standing = {d.level for d in self.designations if d.alliance_id == a.pk and d.revoked_at is None}
        if a.state not in DESIGNATED:
            return "none"
        return "demonstration" if "demonstration" in standing else "pilot" if "pilot" in standing else "none"

    def confirmed(self, org_id, *, sector=None, role=None):
        return any(m.organisation_id == org_id and m.status == Membership.Status.CONFIRMED
                   and (sector is None or m.alliance.sector_id == sector) and (role is None or m.role == role)
                   for m in self.memberships)

    def unit_in_scope(self, o, sector=None, district=None):
        sector = sector if sector is not None else (self.f.sector.pk if self.f.sector else None)
        district = district if district is not None else (self.f.district.pk if self.f.district else None)
        return (self.confirmed(o.pk, sector=sector) and (district is None or o.district_id == district)
                and (not self.f.year or local(o.created_at) <= date(self.f.year, 12, 31)))

    def project_year(self, p):
        return local(p.approved_at or p.submitted_at or p.created_at).year

    def project_in_scope(self, p, sector=None, district=None):
        sector = sector if sector is not None else (self.f.sector.pk if self.f.sector else None)
        district = district if district is not None else (self.f.district.pk if self.f.district else None)
        return ((sector is None or p.sector_id == sector) and (district is None or p.lead_unit.district_id == district)
                and (not self.f.year or self.project_year(p) == self.f.year))

    # figures --------------------------------------------------------------------------------
    def scoped_alliances(self):
        return [a for a in self.alliances if self.alliance_in_scope(a)]

    def approved(self, **scope):
        return [p for p in self.projects if self.project_in_scope(p, **scope) and p.state in APPROVED_STATES]

    def summary(self):
        alliances = self.scoped_alliances()
        units = [o for o in self.units.values() if self.unit_in_scope(o)]
        projects = [p for p in self.projects if self.project_in_scope(p)]
        approved = self.approved()
        year = self.f.year or self.today.year
        activities = [x for x in self.activities if x.date.year == year
                      and (not self.f.sector or x.alliance.sector_id == self.f.sector.pk)
                      and (not self.f.district or x.alliance.chairman.district_id == self.f.district.pk)]
        report = lambda p, name: getattr(p.latest_report, name) if p.latest_report_id else 0  # noqa: E731
        return {
            "alliances": len(alliances),
            "by_state": Counter(a.state for a in alliances),
            "by_level": Counter(self.level(a) for a in alliances),
            "by_sector": Counter(a.sector_id for a in alliances),
            "by_stage": Counter(self.stages.get(a.pk, "") for a in alliances),
            "units": len(units),
            "units_by_kind": Counter(o.kind for o in units),
            "technical_support": sum(1 for o in units
                                     if self.confirmed(o.pk, role=Membership.Role.TECHNICAL_SUPPORT,
                                                       sector=self.f.sector.pk if self.f.sector else None)),
            "projects": len(projects),
            "projects_by_kind": Counter(p.kind for p in projects),
            "projects_by_state": Counter(p.state for p in projects),
            "approved": len(approved),
            "started": sum(1 for p in approved if p.state in STARTED or (p.latest_report_id and p.latest_report.started)),
            "total_investment": sum((p.total_investment for p in approved), ZERO),
            "completed_investment": sum((Decimal(report(p, "completed_investment")) for p in approved), ZERO),
            "outputs": {name: sum(report(p, name) for p in approved) for name, _label in OUTPUTS},
            "activities": len(activities),
            "high_level": sum(1 for x in activities if x.kind in Activity.HIGH_LEVEL),
        }

    def series(self):
        quarter = lambda d: (d.year, (d.month - 1) // 3 + 1)  # noqa: E731
        designations = Counter()
        for d in self.designations:
            a = next(a for a in self.alliances if a.pk == d.alliance_id)
            if ((not self.f.sector or a.sector_id == self.f.sector.pk)
                    and (not self.f.district or a.chairman.district_id == self.f.district.pk)
                    and (not self.f.year or d.year == self.f.year)):
                designations[quarter(local(d.designated_at))] += 1
        approved = Counter(quarter(local(p.approved_at)) for p in self.approved())
        investment = Counter()
        for r in self.reports:
            p = r.project
            if ((not self.f.sector or p.sector_id == self.f.sector.pk)
                    and (not self.f.district or p.lead_unit.district_id == self.f.district.pk)
                    and (not self.f.year or r.period_end.year == self.f.year)):
                investment[quarter(r.period_end)] += r.investment_increase
        return designations, approved, investment

    def breakdown(self, dimension, key):
        scope = {dimension: key}
        alliances = [a for a in self.alliances if self.alliance_in_scope(a, **scope)]
        units = [o for o in self.units.values() if self.unit_in_scope(o, **scope)]
        approved = self.approved(**scope)
        return {
            "alliances": len(alliances),
            "designated": sum(1 for a in alliances if a.state in DESIGNATED),
            "member_units": len(units),
            "projects": len(approved),
            "total_investment": sum((p.total_investment for p in approved), ZERO),
            "completed_investment": sum((p.latest_report.completed_investment for p in approved
                                         if p.latest_report_id), ZERO),
        }

    def watch(self):
        today = self.today
        scoped = [p for p in self.projects if self.project_in_scope(p)]
        running = [p for p in scoped if p.state in RUNNING]
        late = [p for p in running if (p.next_report_due and p.next_report_due < today) or p.end_date < today]
        stalled = [p for p in running
                   if ((not p.latest_report_id or not p.latest_report.started)
                       and p.start_date <= today - timedelta(days=stall_days()))
                   or (p.latest_report_id and p.latest_report.started and p.latest_report.investment_increase <= 0)]
        rounds = [r for r in self.rounds
                  if r.status == AssessmentRound.Status.SELF_ASSESSMENT and r.self_assessment_due < today
                  and (not self.f.sector or r.alliance.sector_id == self.f.sector.pk)
                  and (not self.f.district or r.alliance.chairman.district_id == self.f.district.pk)
                  and (not self.f.year or local(r.opened_at).year == self.f.year)]
        decline = [a for a in self.scoped_alliances() if self.stages.get(a.pk) == LifecycleStage.Stage.DECLINE]
        return {"overdue_assessments": len(rounds), "overdue_reports": len(late), "stalled_projects": len(stalled),
                "alliances_in_decline": len(decline)}


def _filters(city):
    s0, s1 = city["sectors"][0], city["sectors"][1]
    d0 = city["districts"][0]
    return [DashboardFilters(), DashboardFilters(sector=s0), DashboardFilters(district=d0),
            DashboardFilters(year=2025), DashboardFilters(sector=s1, district=d0, year=2026)]


def _values(figures):
    return {f.key: f.value for f in figures}


def test_every_aggregate_matches_the_raw_rows(city):
    for filters in _filters(city):
        board = Board(city["officer"], filters)
        raw = Raw(filters, board.today)
        expected = raw.summary()
        summary = board.summary()
        a, u, p = summary["alliances"], summary["member_units"], summary["projects"]
        context = filters.as_query()
        assert a["total"].value == expected["alliances"], context
        assert _values(a["by_state"]) == {k: expected["by_state"].get(k, 0) for k in _values(a["by_state"])}, context
        assert sum(f.value for f in a["by_state"]) == expected["alliances"]
        assert _values(a["by_designation_level"]) == {k: expected["by_level"].get(k, 0)
                                                      for k in ("demonstration", "pilot", "none")}, context
        assert {int(k): v for k, v in _values(a["by_sector"]).items()} == {
            s: expected["by_sector"].get(s, 0) for s, _name in board.sector_choices()}, context
        assert _values(a["by_lifecycle_stage"]) == {k: expected["by_stage"].get(k, 0)
                                                    for k in LifecycleStage.Stage.values}, context
        assert u["total"].value == expected["units"], context
        assert _values(u["by_kind"]) == {k: expected["units_by_kind"].get(k, 0) for k in Organisation.Kind.values}
        assert u["enterprises"].value == expected["units_by_kind"].get("enterprise", 0)
        assert u["technical_support_units"].value == expected["technical_support"], context
        assert p["total"].value == expected["projects"], context
        assert sum(f.value for f in p["by_kind"]) == expected["projects"]
        assert _values(p["by_state"]) == {k: expected["projects_by_state"].get(k, 0) for k in ProjectState.values}
        assert p["approved"].value == expected["approved"], context
        assert p["started"].value == expected["started"], context
        assert p["total_investment"].value == expected["total_investment"], context
        assert p["completed_investment"].value == expected["completed_investment"], context
        if expected["approved"]:
            assert p["start_rate"] == (Decimal(expected["started"]) * 100 / expected["approved"]).quantize(Decimal("0.1"))
        assert _values(p["outputs"]) == expected["outputs"], context
        assert summary["activities"]["total"].value == expected["activities"], context
        assert summary["activities"]["high_level"].value == expected["high_level"], context

        designations, approved, investment = raw.series()
        series = board.time_series()
        assert {(x["year"], x["quarter"]): x["designations"].value for x in series["by_quarter"]
                if x["designations"].value} == dict(designations), context
        assert {(x["year"], x["quarter"]): x["projects_approved"].value for x in series["by_quarter"]
                if x["projects_approved"].value} == dict(approved), context
        assert {(x["year"], x["quarter"]): x["investment_completed"].value for x in series["by_quarter"]
                if (x["year"], x["quarter"]) in investment} == dict(investment), context
        for point in series["by_year"]:
            assert point["designations"].value == sum(v for (y, _q), v in designations.items() if y == point["year"])

        for dimension in ("sector", "district"):
            for row in board.breakdown(dimension):
                wanted = raw.breakdown(dimension, row["key"])
                got = {name: row[name].value for name in wanted}
                assert got == wanted, (context, dimension, row["label"])

        watch = board.watch_list()
        assert {key: entry["count"].value for key, entry in watch.items()} == raw.watch(), context


def _figures(node):
    """Every number (with its list) in an API answer."""
    if isinstance(node, dict):
        if {"key", "label", "value", "list", "page"} <= set(node):
            yield node
        for value in node.values():
            yield from _figures(value)
    elif isinstance(node, list):
        for value in node:
            yield from _figures(value)


SUMMED = {"total_investment": "total_investment", "completed_investment": "completed_investment",
          "investment_completed": "investment_increase"}
NOT_A_COUNT = {name for name, _label in OUTPUTS}  # sums of report figures over the approved projects listed


@pytest.mark.parametrize("query", ["", "sector={s0}", "district={d0}&year=2026"])
def test_every_number_agrees_with_the_list_it_links_to(city, query):
    client = session_client(city["officer"])
    query = query.format(s0=city["sectors"][0].pk, d0=city["districts"][0].pk)
    checked = 0
    for endpoint in ("summary", "time-series", "sectors", "districts", "watch-list"):
        answer = client.get(f"/api/v1/dashboard/{endpoint}/?{query}").json()
        for figure in _figures(answer):
            if figure["key"] in NOT_A_COUNT:
                continue
            separator = "&" if "?" in figure["list"] else "?"
            listed = client.get(f"{figure['list']}{separator}page_size=100")  # data= would replace the query
            assert listed.status_code == 200, figure
            body = listed.json()
            assert body["count"] <= 100, "the generated city must fit one page"
            if figure["key"] in SUMMED:
                field = SUMMED[figure["key"]]
                total = sum((Decimal(row[field] or "0") for row in body["results"]), ZERO)
                assert Decimal(figure["value"]) == total, figure
            else:
                assert figure["value"] == body["count"], figure
            page = client.get(figure["page"])
            assert page.status_code == 200
            shown = re.search(r'id="result-count">\D*(\d+)', page.content.decode())
            assert int(shown.group(1)) == body["count"], figure["page"]
            checked += 1
    assert checked > 100
