"""Province-sized data for benchmarks: bulk inserts in batches, one transaction per batch.

The generator is a list of steps (``STEPS``); each step reads what earlier steps made from the
shared ``ScaleRun`` and returns how many rows it wrote. Later steps (projects, progress reports,
expert scores) are added by appending functions to the list. Unlike the demo, states are assigned
directly: this is synthetic volume for measuring queries, not a history.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import islice

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

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
from reviews.workflow import State

from . import codes, names

# Divisions of Shandong's other cities: scale data never collides with the Zibo demo's codes (3703xx).
DIVISIONS = ["370102", "370202", "370402", "370502", "370602", "370702", "370802", "370902", "371002", "371102"]
STATE_WEIGHTS = {
    State.DRAFT: 12, State.SUBMITTED: 6, State.SCREENING: 6, State.RETURNED: 5, State.RESUBMITTED: 3,
    State.EXPERT_REVIEW: 6, State.JOINT_REVIEW: 4, State.PUBLIC_NOTICE: 2, State.PILOT: 35, State.ASSESSMENT: 5,
    State.DEMONSTRATION: 8, State.RECTIFICATION: 2, State.REJECTED: 4, State.WITHDRAWN: 2,
}


@dataclass
class ScaleRun:
    alliances: int
    units: int
    batch: int
    members_per_alliance: int = 25
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    unit_ids: list[int] = field(default_factory=list)
    enterprise_ids: list[int] = field(default_factory=list)
    alliance_ids: list[int] = field(default_factory=list)
    work_plan_ids: list[int] = field(default_factory=list)


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

    saved = bulk_insert(Organisation, rows(), run.batch)
    run.unit_ids = [o.pk for o in saved]
    run.enterprise_ids = [o.pk for o in saved if o.kind == Organisation.Kind.ENTERPRISE]
    return len(saved)


def alliances(run: ScaleRun) -> int:
    rng = run.rng
    sectors = list(Sector.objects.all())
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    chosen_states = rng.choices(states, weights, k=run.alliances)
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

    saved = bulk_insert(Alliance, rows(), run.batch)
    run.alliance_ids = [a.pk for a in saved]
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
            for position, organisation_id in enumerate(list(others)[: run.members_per_alliance - 1]):
                role = roles[position] if position < len(roles) else Membership.Role.MEMBER
                yield Membership(alliance_id=alliance_id, organisation_id=organisation_id, role=role,
                                 is_core=position % 2 == 0, status=Membership.Status.CONFIRMED,
                                 invited_at=now, responded_at=now)

    return len(bulk_insert(Membership, rows(), run.batch))


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


# (table label, step): run in order. Append projects, progress reports, expert scores … here.
STEPS: list[tuple[str, Callable[[ScaleRun], int]]] = [
    ("organisations", organisations),
    ("alliances", alliances),
    ("memberships", memberships),
    ("work plans", work_plans),
    ("yearly targets", yearly_targets),
    ("planned investments", planned_investments),
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
