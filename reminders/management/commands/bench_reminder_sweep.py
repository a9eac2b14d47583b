"""Benchmark: the progress-report sweep over many projects; prints seconds and SQL statements.

``manage.py bench_reminder_sweep --projects 100000`` builds the projects (with their alliances, lead
units and one user per lead unit) inside a transaction, runs the sweep twice (the second run finds
every reminder already in the ledger), prints the figures and rolls everything back: the database is
left as it was, and no delivery is enqueued (deliveries wait for a commit that never comes).
"""

import time
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from alliances.models import Alliance, District, Organisation, Sector
from projects.models import Project, ProjectKind
from projects.workflow import ProjectState
from reminders import services
from reminders.models import Kind

PROJECTS_PER_UNIT = 20
UNITS_PER_ALLIANCE = 10


class Rollback(Exception):
    """Raised to leave the benchmark's transaction without committing anything."""


class Command(BaseCommand):
    help = "Time the progress-report reminder sweep over N generated projects (all rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100_000)
        parser.add_argument("--spread-days", type=int, default=90,
                            help="next report due dates spread over this many days around today (default 90)")

    def handle(self, *args, projects, spread_days, **options):
        if projects < 1 or spread_days < 1:
            raise CommandError("--projects and --spread-days must be positive")
        today = timezone.localdate()
        try:
            with transaction.atomic():
                started = time.perf_counter()
                build_projects(projects, today=today, spread_days=spread_days)
                if connection.vendor == "postgresql":
                    # Fresh rows inside one transaction: give the planner the statistics a live database has.
                    with connection.cursor() as cursor:
                        for model in (Organisation, User, Alliance, Project):
                            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
                self.stdout.write(f"built {projects:,} projects in {time.perf_counter() - started:.1f} s "
                                  f"({connection.vendor})")
                for run in ("first run", "second run"):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        outcome = services.run_sweep(Kind.PROGRESS_REPORT.value, today=today)
                        seconds = time.perf_counter() - started
                    self.stdout.write(
                        f"{run}: {outcome.found:,} reminders due, {outcome.created:,} written, "
                        f"{seconds:.2f} s, {len(queries)} SQL statements"
                    )
                raise Rollback
        except Rollback:
            self.stdout.write("rolled back: the database is as it was")


def build_projects(count: int, *, today: date, spread_days: int) -> None:
    """``count`` running projects, 20 per lead unit (each with one user), 10 lead units per alliance, their
    next reports due on the days of ``spread_days`` around ``today`` in turn. Bulk inserts only."""
    sector = Sector.objects.order_by("pk").first() or Sector.objects.create(code="bench", name="基准测试领域")
    district = District.objects.order_by("pk").first()
    if district is None:
        raise CommandError("no district: run migrate first (it loads the reference data)")
    units = -(-count // PROJECTS_PER_UNIT)
    stamp = f"{time.time_ns() % 10**9:09d}"
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"基准测试企业{n}", kind=Organisation.Kind.ENTERPRISE, credit_code=f"B{stamp}{n:08d}",
                      address="淄博市", district=district, contact_person="测试", phone="13800000000",
                      email=f"bench{n}@example.cn", verification=Organisation.Verification.VERIFIED)
         for n in range(units)],
        batch_size=5000,
    )
    User.objects.bulk_create(
        [User(username=f"bench-{stamp}-{n}", email=f"bench-{stamp}-{n}@example.cn", organisation=org)
         for n, org in enumerate(organisations)],
        batch_size=5000,
    )
    alliances = Alliance.objects.bulk_create(
        [Alliance(name=f"基准测试联盟{n}", sector=sector, chairman=organisations[n * UNITS_PER_ALLIANCE],
                  state="pilot")
         for n in range(-(-units // UNITS_PER_ALLIANCE))],
        batch_size=5000,
    )
    start = today - timedelta(days=spread_days // 2)
    Project.objects.bulk_create(
        [Project(alliance=alliances[n // (PROJECTS_PER_UNIT * UNITS_PER_ALLIANCE)], title=f"基准测试项目{n}",
                 kind=ProjectKind.COMMON_RD, sector=sector, lead_unit=organisations[n // PROJECTS_PER_UNIT],
                 lead_district=organisations[n // PROJECTS_PER_UNIT].district,
                 objectives="-", key_indicators="-", start_date=date(2026, 1, 1), end_date=date(2028, 12, 31),
                 total_investment=Decimal("100"), state=ProjectState.IN_PROGRESS,
                 next_report_due=start + timedelta(days=n % spread_days))
         for n in range(count)],
        batch_size=2000,
    )
