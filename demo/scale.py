"""Province-sized data for benchmarks: bulk inserts in batches, one transaction per batch.

The generator is a list of steps (``STEPS``); each step reads what earlier steps made from the
shared ``ScaleRun`` and returns how many rows it wrote. Unlike the demo, states are assigned
directly: this is synthetic volume for measuring queries, not a history. The relations are still
the real ones: designated alliances hold standing designations and carry the projects, a project's
lead unit is a confirmed member of its alliance, progress reports cover consecutive reporting
periods of their project (the project's ``latest_report`` and ``next_report_due`` follow them), and
every expert scorecard belongs to a submitted assignment of an application that reached expert review.
"""

import operator
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from alliances import tally as member_tally
from alliances.models import (
    Alliance,
    District,
    Membership,
    Organisation,
    PlannedInvestment,
    Sector,
    WorkPlan,
    YearlyTarget,
)
from alliances.workflow import DESIGNATED, State
from projects import tally
from projects.models import REPORTED, ProgressReport, Project, ProjectKind
from projects.periods import period_containing
from projects.workflow import APPROVED_STATES, RUNNING, ProjectState
from reviews.models import (
    CertificateCounter,
    CriterionScore,
    Designation,
    ExpertAssignment,
    ExpertProfile,
    Scorecard,
    ScoreCriterion,
)

from . import codes, names

# Divisions of Shandong's other cities: scale data never collides with the Zibo demo's codes (3703xx).
DIVISIONS = ["370102", "370202", "370402", "370502", "370602", "370702", "370802", "370902", "371002", "371102"]
STATE_WEIGHTS = {
    State.DRAFT: 12, State.SUBMITTED: 6, State.SCREENING: 6, State.RETURNED: 5, State.RESUBMITTED: 3,
    State.EXPERT_REVIEW: 6, State.JOINT_REVIEW: 4, State.PUBLIC_NOTICE: 2, State.PILOT: 35, State.ASSESSMENT: 5,
    State.DEMONSTRATION: 8, State.RECTIFICATION: 2, State.REJECTED: 4, State.WITHDRAWN: 2,
}
# Applications that went through expert review: their experts' scorecards exist.
SCORED_STATES = frozenset({State.EXPERT_REVIEW, State.JOINT_REVIEW, State.PUBLIC_NOTICE, State.REJECTED} | DESIGNATED)
PROJECT_STATE_WEIGHTS = {
    ProjectState.DRAFT: 4, ProjectState.SUBMITTED: 5, ProjectState.RETURNED: 2, ProjectState.REJECTED: 3,
    ProjectState.APPROVED: 8, ProjectState.IN_PROGRESS: 60, ProjectState.ACCEPTANCE: 6, ProjectState.PASSED: 9,
    ProjectState.FAILED: 1, ProjectState.TERMINATED: 2,
}
# Projects that have reported: approved ones that have started (an approved project reports after its first period).
REPORTED_STATES = frozenset(APPROVED_STATES - {ProjectState.APPROVED})
REPORT_MONTHS = 3  # quarterly reports, the portal's default
MAX_REPORTS_PER_PROJECT = 12  # a three-year project has twelve quarters
DESIGNATION_YEARS = range(2019, 2026)  # past years: this year's certificate numbers stay free for real designations


@dataclass
class ScaleRun:
    alliances: int
    units: int
    batch: int
    members_per_alliance: int = 25
    projects: int = 0
    reports: int = 0
    scores: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    unit_ids: list[int] = field(default_factory=list)
    enterprise_ids: list[int] = field(default_factory=list)
    alliance_ids: list[int] = field(default_factory=list)
    alliance_rows: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # pk → (state, sector, version)
    members: dict[int, list[int]] = field(default_factory=dict)  # alliance pk → confirmed member units
    work_plan_ids: list[int] = field(default_factory=list)
    expert_ids: list[int] = field(default_factory=list)
    assignment_ids: list[int] = field(default_factory=list)
    criteria: list = field(default_factory=list)
    marks: dict[int, list[int]] = field(default_factory=dict)  # assignment pk → points per criterion
    scorecard_ids: list[tuple[int, int]] = field(default_factory=list)  # (scorecard pk, assignment pk)
    reporting_project_ids: list[int] = field(default_factory=list)
    project_starts: dict[int, date] = field(default_factory=dict)


@dataclass
class StepResult:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(model, rows: Iterable, batch: int) -> list:
    """Insert ``rows`` in batches of ``batch``, each batch in its own transaction; returns the saved rows."""
    saved = []
    for chunk in _batches(rows, batch):
        with transaction.atomic():
            saved += model.objects.bulk_create(chunk, batch_size=batch)
    return saved


def bulk_insert_count(model, rows: Iterable, batch: int) -> int:
    """Like ``bulk_insert`` for large tables whose rows later steps do not need: keeps only the count."""
    return len(insert_rows(model, rows, batch))


UNNEST_BATCH = 20_000


def insert_rows(model, rows: Iterable, batch: int, returning: tuple[str, ...] = ("pk",)) -> list[tuple]:
    """Insert unsaved ``rows`` of ``model``; returns ``returning`` (attribute names) of each saved row.

    On PostgreSQL one ``INSERT … SELECT * FROM unnest(<one array literal per column>)`` per batch: the
    server parses one text array per column instead of a ``VALUES`` row per object, and plain columns
    are read straight from the rows (the whole province set loads in about a third of ``bulk_create``'s
    time). Elsewhere (SQLite, small sizes) ``bulk_create``. Defaults come from the model's constructor;
    ``auto_now`` and other special fields are prepared by the fields themselves.
    """
    if connection.vendor != "postgresql":
        return [tuple(getattr(row, name) for name in returning) for row in bulk_insert(model, rows, batch)]
    fields = [f for f in model._meta.concrete_fields
              if not isinstance(f, models.GeneratedField) and f is not model._meta.pk]
    table, quote = model._meta.db_table, connection.ops.quote_name
    columns = {"pk": model._meta.pk.column} | {f.attname: f.column for f in model._meta.concrete_fields}
    names_, arrays = ", ".join(quote(f.column) for f in fields), ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    # identifiers come from the model's metadata; every value is a query parameter
    sql = f"INSERT INTO {quote(table)} ({names_}) SELECT * FROM unnest({arrays}) RETURNING "  # noqa: S608
    sql += ", ".join(quote(columns[name]) for name in returning)
    readers = [_column_reader(f) for f in fields]
    saved = []
    for chunk in _batches(rows, max(batch, UNNEST_BATCH)):
        values = [_array_literal(map(read, chunk)) for read in readers]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, values)
            saved += cursor.fetchall()
    return saved


# Fields whose Python value is already what the server parses from text (str() of it): read directly.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DecimalField,
                models.ForeignKey)


def _column_reader(field) -> Callable:
    """How to read one column's value from an unsaved row: the attribute itself for plain fields (the
    expensive part of ``bulk_create`` is preparing each value), the field's own preparation otherwise
    (``auto_now`` dates, JSON …)."""
    plain = isinstance(field, PLAIN_FIELDS) or (
        isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add))
    if plain:
        return operator.attrgetter(field.attname)
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs a lookup per value
    return lambda row: field.get_db_prep_save(field.pre_save(row, add=True), db)


def _array_literal(values: Iterable) -> str:
    """A PostgreSQL array literal ('{"a","b",NULL}'): parsed by the server far faster than ARRAY[…] of parameters."""
    def element(value) -> str:
        if value is None:
            return "NULL"
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'

    return "{" + ",".join(element(value) for value in values) + "}"


def organisations(run: ScaleRun) -> int:
    rng = run.rng
    districts = list(District.objects.all())
    now = timezone.now()
    # Serials continue after the largest primary key, so a second run adds new codes instead of clashing.
    start = (Organisation.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    kinds = [(Organisation.Kind.ENTERPRISE, codes.ENTERPRISE, 86), (Organisation.Kind.UNIVERSITY,
             codes.PUBLIC_INSTITUTION, 3), (Organisation.Kind.INSTITUTE, codes.PUBLIC_INSTITUTION, 7),
             (Organisation.Kind.OTHER, codes.SOCIAL_ORGANISATION, 4)]
    kind_choices = rng.choices(range(len(kinds)), [k[2] for k in kinds], k=run.units)
    words = [w for ws in names.INDUSTRY_WORDS.values() for w in ws]

    def rows():
        for index in range(run.units):
            serial = start + index
            kind, prefix, _weight = kinds[kind_choices[index]]
            district = districts[index % len(districts)]
            enterprise = kind == Organisation.Kind.ENTERPRISE
            revenue = Decimal(rng.randrange(500, 900_000)) if enterprise else None
            yield Organisation(
                name=f"规模测试{rng.choice(words)}单位{serial:06d}", kind=kind,
                credit_code=codes.make(prefix, DIVISIONS[serial % len(DIVISIONS)], serial),
                legal_representative=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES),
                address=f"山东省{district.name}测试路{index % 500 + 1}号", district=district,
                contact_person=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES),
                phone=f"1380000{serial % 10000:04d}", email=f"unit{serial}@example.com",
                is_high_tech=enterprise and rng.random() < 0.4, revenue=revenue,
                rd_spending=(revenue * Decimal("0.04")).quantize(Decimal("0.01")) if revenue else None,
                rd_staff=rng.randrange(5, 300) if enterprise else None,
                verification=Organisation.Verification.VERIFIED, verified_at=now, created_at=now,
            )

    saved = insert_rows(Organisation, rows(), run.batch, returning=("pk", "kind"))
    run.unit_ids = [pk for pk, _kind in saved]
    run.enterprise_ids = [pk for pk, kind in saved if kind == Organisation.Kind.ENTERPRISE]
    return len(saved)


def alliances(run: ScaleRun) -> int:
    rng = run.rng
    sectors = list(Sector.objects.all())
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    chosen_states = rng.choices(states, weights, k=run.alliances)
    if (run.projects or run.scores) and not DESIGNATED.intersection(chosen_states):
        chosen_states[0] = State.PILOT  # a tiny run still has an alliance to carry projects and scores
    chairs = rng.sample(run.enterprise_ids, min(run.alliances, len(run.enterprise_ids)))
    now = timezone.now()

    def rows():
        for index in range(run.alliances):
            sector = sectors[index % len(sectors)]
            created = now - timedelta(days=rng.randrange(1, 1500))
            state = chosen_states[index]
            yield Alliance(
                name=f"规模测试{sector.name}产业技术创新战略联盟{index + 1:05d}", sector=sector,
                technical_direction=f"{sector.name}领域共性关键技术研发与产业化", output_targets="三年内申请发明专利30项",
                chairman_id=chairs[index % len(chairs)], secretariat_contact="测试联系人",
                secretariat_phone="0531-88888888", standing_body="联盟秘书处", state=state,
                state_changed_at=created + timedelta(days=rng.randrange(0, 60)),
                current_version=0 if state == State.DRAFT else rng.randrange(1, 3), created_at=created,
            )

    saved = insert_rows(Alliance, rows(), run.batch, returning=("pk", "state", "sector_id", "current_version"))
    run.alliance_ids = [pk for pk, *_rest in saved]
    run.alliance_rows = {pk: tuple(rest) for pk, *rest in saved}
    return len(saved)


def memberships(run: ScaleRun) -> int:
    rng = run.rng
    chairs = dict(Alliance.objects.filter(pk__in=run.alliance_ids).values_list("pk", "chairman_id"))
    roles = [Membership.Role.VICE_CHAIRMAN] * 2 + [Membership.Role.TECHNICAL_SUPPORT] * 3
    now = timezone.now()

    def rows():
        for alliance_id in run.alliance_ids:
            chairman = chairs[alliance_id]
            yield Membership(alliance_id=alliance_id, organisation_id=chairman, role=Membership.Role.CHAIRMAN,
                             is_core=True, status=Membership.Status.CONFIRMED, invited_at=now, responded_at=now)
            others = {u for u in rng.sample(run.unit_ids, run.members_per_alliance) if u != chairman}
            confirmed = run.members[alliance_id] = [chairman]
            for position, organisation_id in enumerate(list(others)[: run.members_per_alliance - 1]):
                confirmed.append(organisation_id)
                role = roles[position] if position < len(roles) else Membership.Role.MEMBER
                yield Membership(alliance_id=alliance_id, organisation_id=organisation_id, role=role,
                                 is_core=position % 2 == 0, status=Membership.Status.CONFIRMED,
                                 invited_at=now, responded_at=now)

    return bulk_insert_count(Membership, rows(), run.batch)


def work_plans(run: ScaleRun) -> int:
    text = {name: f"规模测试数据：{name}" for name in WorkPlan.TEXT_FIELDS}
    saved = bulk_insert(WorkPlan, (WorkPlan(alliance_id=pk, **text) for pk in run.alliance_ids), run.batch)
    run.work_plan_ids = [p.pk for p in saved]
    return len(saved)


def yearly_targets(run: ScaleRun) -> int:
    indicators = names.TARGET_INDICATORS[:3]

    def rows():
        for plan_id in run.work_plan_ids:
            for year in (2026, 2027, 2028):
                for indicator, unit, low, high in indicators:
                    yield YearlyTarget(work_plan_id=plan_id, year=year, indicator=indicator, unit=unit,
                                       target_value=Decimal(run.rng.randrange(low, high + 1)))

    return len(bulk_insert(YearlyTarget, rows(), run.batch))


def planned_investments(run: ScaleRun) -> int:
    sources = [PlannedInvestment.Source.SELF_RAISED, PlannedInvestment.Source.GOVERNMENT]

    def rows():
        for plan_id in run.work_plan_ids:
            for year in (2026, 2027, 2028):
                for source in sources:
                    yield PlannedInvestment(work_plan_id=plan_id, year=year, source=source,
                                            amount=Decimal(run.rng.randrange(100, 20_000)))

    return len(bulk_insert(PlannedInvestment, rows(), run.batch))


def _designated(run: ScaleRun) -> list[int]:
    return [pk for pk in run.alliance_ids if run.alliance_rows[pk][0] in DESIGNATED]


def designations(run: ScaleRun) -> int:
    """A standing designation for every designated alliance (demonstration for those designated so), numbered
    on after each past year's counter, which then records the last number given."""
    rng = run.rng
    designated = _designated(run)
    years = {pk: rng.choice(DESIGNATION_YEARS) for pk in designated}
    last = dict(CertificateCounter.objects.filter(year__in=DESIGNATION_YEARS).values_list("year", "last_sequence"))
    for year, top in (Designation.objects.filter(year__in=DESIGNATION_YEARS).values("year")
                      .annotate(top=Max("sequence")).values_list("year", "top")):
        last[year] = max(last.get(year, 0), top)
    tz = timezone.get_current_timezone()

    def rows():
        for pk in designated:
            year = years[pk]
            last[year] = sequence = last.get(year, 0) + 1
            demonstration = run.alliance_rows[pk][0] == State.DEMONSTRATION
            level = Designation.Level.DEMONSTRATION if demonstration else Designation.Level.PILOT
            yield Designation(alliance_id=pk, level=level, year=year, sequence=sequence,
                              certificate_number=Designation.format_number(year, sequence),
                              designated_at=timezone.make_aware(
                                  datetime(year, rng.randrange(1, 13), rng.randrange(1, 29), 10), tz))

    count = bulk_insert_count(Designation, rows(), run.batch)
    with transaction.atomic():
        for year, sequence in last.items():
            CertificateCounter.objects.update_or_create(year=year, defaults={"last_sequence": sequence})
    return count


def experts(run: ScaleRun) -> int:
    """The expert pool that scored the applications: one user (role expert) and profile each; counts both."""
    if not run.scores:
        return 0
    scored = [pk for pk in run.alliance_ids if run.alliance_rows[pk][0] in SCORED_STATES]
    per_application = -(-run.scores // len(scored))
    count = max(30, per_application + 5, run.scores // 40)
    stamp = f"{time.time_ns() % 10**10:010d}"
    users = bulk_insert(User, (User(username=f"scale-expert-{stamp}-{n:05d}", email=f"expert{stamp}{n}@example.cn",
                                    full_name=run.rng.choice(names.SURNAMES) + run.rng.choice(names.GIVEN_NAMES))
                               for n in range(count)), run.batch)
    expert_group = Group.objects.get(name=Role.EXPERT.value)
    bulk_insert(User.groups.through, (User.groups.through(user_id=u.pk, group_id=expert_group.pk) for u in users),
                run.batch)
    profiles = bulk_insert(ExpertProfile, (ExpertProfile(user_id=u.pk, affiliation_name="规模测试专家库",
                                                         title="正高级工程师", specialty="共性关键技术")
                                           for u in users), run.batch)
    run.expert_ids = [p.pk for p in profiles]
    return len(users) + len(profiles)


def expert_assignments(run: ScaleRun) -> int:
    """``run.scores`` submitted assignments of the current version, spread over the applications that reached
    expert review, each to a different expert of the pool."""
    if not run.scores:
        return 0
    rng = run.rng
    scored = [pk for pk in run.alliance_ids if run.alliance_rows[pk][0] in SCORED_STATES]
    now = timezone.now()
    cards_for = {pk: run.scores // len(scored) + (1 if index < run.scores % len(scored) else 0)
                 for index, pk in enumerate(scored)}
    saved = insert_rows(ExpertAssignment, (
        ExpertAssignment(alliance_id=pk, expert_id=expert_id, version=max(run.alliance_rows[pk][2], 1),
                         status=ExpertAssignment.Status.SUBMITTED, due_date=(now - timedelta(days=30)).date(),
                         assigned_at=now - timedelta(days=40), responded_at=now - timedelta(days=39))
        for pk in scored for expert_id in rng.sample(run.expert_ids, cards_for[pk])
    ), run.batch)
    run.assignment_ids = [pk for (pk,) in saved]
    return len(saved)


def scorecards(run: ScaleRun) -> int:
    """One submitted scorecard per assignment, its weighted total computed from the marks the next step stores."""
    rng = run.rng
    criteria = run.criteria = list(ScoreCriterion.objects.filter(call__isnull=True, is_active=True)
                                   .order_by("position", "pk"))
    total_weight = sum(c.weight for c in criteria) or Decimal(1)
    now = timezone.now()

    def weighted(points: list[int]) -> Decimal:
        earned = sum(Decimal(p) / c.max_score * c.weight for p, c in zip(points, criteria, strict=True))
        return (earned * 100 / total_weight).quantize(Decimal("0.01"))

    run.marks = {pk: [rng.randrange(c.max_score // 2, c.max_score + 1) for c in criteria]
                 for pk in run.assignment_ids}
    saved = insert_rows(Scorecard, (
        Scorecard(assignment_id=pk, recommendation=rng.choice(Scorecard.Recommendation.values),
                  comments="规模测试评审意见", weighted_total=weighted(run.marks[pk]),
                  updated_at=now - timedelta(days=35), submitted_at=now - timedelta(days=35))
        for pk in run.assignment_ids
    ), run.batch, returning=("pk", "assignment_id"))
    run.scorecard_ids = saved
    return len(saved)


def criterion_scores(run: ScaleRun) -> int:
    return bulk_insert_count(CriterionScore, (
        CriterionScore(scorecard_id=card, criterion_id=c.pk, score=Decimal(points), weight=c.weight,
                       max_score=c.max_score)
        for card, assignment in run.scorecard_ids for c, points in zip(run.criteria, run.marks[assignment], strict=True)
    ), run.batch)


def projects(run: ScaleRun) -> int:
    """``run.projects`` projects spread over the designated alliances, led by a confirmed member unit, in the
    alliance's sector, quarterly reporting; approved ones carry an approval number unique across runs."""
    if not run.projects:
        return 0
    rng = run.rng
    designated = _designated(run)
    states, weights = zip(*PROJECT_STATE_WEIGHTS.items(), strict=True)
    chosen_states = rng.choices(states, weights, k=run.projects)
    # enough started projects to carry the reports, at most twelve quarters each
    missing = -(-run.reports // MAX_REPORTS_PER_PROJECT) - sum(s in REPORTED_STATES for s in chosen_states)
    for index, state in enumerate(chosen_states):
        if missing <= 0:
            break
        if state not in REPORTED_STATES:
            chosen_states[index], missing = ProjectState.IN_PROGRESS, missing - 1
    serial_base = (Project.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    kinds = ProjectKind.values
    tz = timezone.get_current_timezone()

    lead_districts = dict(Organisation.objects.values_list("pk", "district_id"))

    def rows():
        for index in range(run.projects):
            alliance_id = designated[index % len(designated)]
            state = chosen_states[index]
            # start in a quarter of 2023 or 2024: up to twelve quarters have passed since
            start = date(2023 + index % 2, 1 + 3 * rng.randrange(4), 1)
            approved = state in APPROVED_STATES
            approved_at = (timezone.make_aware(datetime(start.year, start.month, 1, 9), tz)
                           - timedelta(days=rng.randrange(10, 60))) if approved else None
            investment = Decimal(rng.randrange(50, 5000))
            lead_unit_id = rng.choice(run.members[alliance_id])
            yield Project(
                alliance_id=alliance_id, title=f"规模测试项目{serial_base + index:07d}", kind=kinds[index % len(kinds)],
                sector_id=run.alliance_rows[alliance_id][1], lead_unit_id=lead_unit_id,
                lead_district_id=lead_districts[lead_unit_id],
                objectives="规模测试：突破共性关键技术", key_indicators="规模测试：关键技术指标",
                planned_patents_applied=rng.randrange(0, 10), planned_standards=rng.randrange(0, 3),
                planned_new_products=rng.randrange(0, 5), start_date=start,
                end_date=start.replace(year=start.year + 3) - timedelta(days=1), total_investment=investment,
                government_funding_requested=(investment * Decimal("0.2")).quantize(Decimal("0.0001")),
                state=state, submitted_at=approved_at and approved_at - timedelta(days=30),
                approval_number=f"GM-{start.year}-{serial_base + index:07d}" if approved else None,
                approved_at=approved_at, granted_funding=investment * Decimal("0.1") if approved else None,
                report_period_months=REPORT_MONTHS,
                next_report_due=period_containing(start, REPORT_MONTHS).due_date if state in RUNNING else None,
                created_at=approved_at - timedelta(days=45) if approved else timezone.now(),
            )

    saved = insert_rows(Project, rows(), run.batch, returning=("pk", "state", "start_date"))
    run.project_starts = {pk: start for pk, state, start in saved if state in REPORTED_STATES}
    run.reporting_project_ids = sorted(run.project_starts)
    return len(saved)


def progress_reports(run: ScaleRun) -> int:
    """``run.reports`` reports over the projects that have started, consecutive quarters from each project's
    start with growing cumulative figures; then each project points at its latest report and next due date."""
    if not run.reports:
        return 0
    rng = run.rng
    reporting = run.reporting_project_ids
    tz = timezone.get_current_timezone()

    def rows():
        for index, project_id in enumerate(reporting):
            count = run.reports // len(reporting) + (1 if index < run.reports % len(reporting) else 0)
            period = period_containing(run.project_starts[project_id], REPORT_MONTHS)
            figures = dict.fromkeys(("self_raised", "government", "patents", "products"), 0)
            for _number in range(count):
                figures = {name: value + rng.randrange(0, 40 if name in ("self_raised", "government") else 3)
                           for name, value in figures.items()}
                late = rng.random() < 0.08
                submitted = period.due_date + timedelta(days=rng.randrange(1, 20) if late else -rng.randrange(0, 14))
                yield ProgressReport(
                    project_id=project_id, period_start=period.start, period_end=period.end,
                    due_date=period.due_date, started=True, completed_self_raised=Decimal(figures["self_raised"]),
                    completed_government=Decimal(figures["government"]),
                    government_funds_used=Decimal(figures["government"]), patents_applied=figures["patents"],
                    new_products=figures["products"], investment_increase=Decimal(rng.randrange(0, 40)), is_late=late,
                    submitted_at=timezone.make_aware(datetime(submitted.year, submitted.month,
                                                                       submitted.day, 15), tz),
                )
                period = period.next()

    count = bulk_insert_count(ProgressReport, rows(), run.batch)
    newest = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-period_start").values("pk")[:1]
    for chunk in _batches(reporting, run.batch):
        with transaction.atomic():
            Project.objects.filter(pk__in=chunk).update(latest_report=Subquery(newest))
            latest = ProgressReport.objects.filter(pk=OuterRef("latest_report_id")).order_by()  # no join to projects
            Project.objects.filter(pk__in=chunk).update(  # the figures the flags read (Project.take_latest_report)
                **{field: Subquery(latest.values(source)[:1]) for field, source in REPORTED.items()})
            # a running project's next report is due one grace period after the quarter following its newest one
            ends = (ProgressReport.objects.filter(project_id__in=chunk, project__state__in=RUNNING)
                    .values("project_id").annotate(end=Max("period_end")).values_list("project_id", "end"))
            by_due: dict[date, list[int]] = {}
            for pk, end in ends:
                by_due.setdefault(period_containing(end + timedelta(days=1), REPORT_MONTHS).due_date, []).append(pk)
            for due, pks in by_due.items():
                Project.objects.filter(pk__in=pks).update(next_report_due=due)
    return count


# (table label, step): run in order; each step reads what the earlier ones made.
STEPS: list[tuple[str, Callable[[ScaleRun], int]]] = [
    ("organisations", organisations),
    ("alliances", alliances),
    ("memberships", memberships),
    ("work plans", work_plans),
    ("yearly targets", yearly_targets),
    ("planned investments", planned_investments),
    ("designations", designations),
    ("experts", experts),
    ("expert assignments", expert_assignments),
    ("scorecards", scorecards),
    ("criterion scores", criterion_scores),
    ("projects", projects),
    ("progress reports", progress_reports),
    # loaded around the services: the dashboard's tallies are counted once at the end
    ("member unit tally", lambda run: member_tally.rebuild()),
    ("project tally", lambda run: tally.rebuild()),
]


def generate(run: ScaleRun, *, report: Callable[[StepResult], None] = lambda result: None) -> list[StepResult]:
    results = []
    for table, step in STEPS:
        started = time.perf_counter()
        rows = step(run)
        result = StepResult(table, rows, time.perf_counter() - started)
        report(result)
        results.append(result)
    return results
