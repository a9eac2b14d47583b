"""manage.py generate_scale_data --alliances 2000 --units 50000 [--batch 5000]: bulk data for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from alliances.demo.scale import ScaleRun, generate


class Command(BaseCommand):
    help = ("Bulk-create member units (valid, unique credit codes), alliances with ~25 memberships each, "
            "work plans, yearly targets and planned investment, and print rows per second per table.")

    def add_arguments(self, parser):
        parser.add_argument("--alliances", type=int, default=2000)
        parser.add_argument("--units", type=int, default=50000)
        parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT transaction")
        parser.add_argument("--members", type=int, default=25, help="memberships per alliance, chairman included")

    def handle(self, *args, alliances, units, batch, members, **options):
        if min(alliances, units, batch, members) < 1:
            raise CommandError("--alliances, --units, --batch and --members must be positive.")
        if units < members:
            raise CommandError(f"--units ({units}) must be at least --members ({members}).")
        run = ScaleRun(alliances=alliances, units=units, batch=batch, members_per_alliance=members)
        started = time.perf_counter()
        self.stdout.write(f"{'table':<22}{'rows':>10}{'seconds':>10}{'rows/s':>12}")
        results = generate(run, report=self._report)
        total = sum(r.rows for r in results)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"{'total':<22}{total:>10,}{elapsed:>10.2f}{total / elapsed if elapsed else 0:>12,.0f}"))

    def _report(self, result):
        self.stdout.write(f"{result.table:<22}{result.rows:>10,}{result.seconds:>10.2f}{result.rows_per_second:>12,.0f}")
