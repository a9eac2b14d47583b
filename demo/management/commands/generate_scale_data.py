"""manage.py generate_scale_data --alliances 2000 --units 50000 [--projects --reports --scores] [--batch 5000]:
bulk data for benchmarks. Without the last three, they follow the alliances (50 projects and 10 expert scores
per alliance, 4 progress reports per project): the defaults load the province-sized set of issue 11."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.scale import MAX_REPORTS_PER_PROJECT, ScaleRun, generate

PROJECTS_PER_ALLIANCE = 50
REPORTS_PER_PROJECT = 4
SCORES_PER_ALLIANCE = 10


class Command(BaseCommand):
    help = ("Bulk-create member units (valid, unique credit codes), alliances with ~25 memberships each, "
            "work plans, yearly targets and planned investment, designations, expert scorecards, projects of "
            "the designated alliances and their quarterly progress reports, and print rows per second per table.")

    def add_arguments(self, parser):
        parser.add_argument("--alliances", type=int, default=2000)
        parser.add_argument("--units", type=int, default=50000)
        parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT transaction")
        parser.add_argument("--members", type=int, default=25, help="memberships per alliance, chairman included")
        parser.add_argument("--projects", type=int, help=f"default {PROJECTS_PER_ALLIANCE} per alliance")
        parser.add_argument("--reports", type=int, help=f"progress reports; default {REPORTS_PER_PROJECT} per project")
        parser.add_argument("--scores", type=int, help=f"expert scorecards; default {SCORES_PER_ALLIANCE} per alliance")

    def handle(self, *args, alliances, units, batch, members, projects, reports, scores, **options):
        if min(alliances, units, batch, members) < 1:
            raise CommandError("--alliances, --units, --batch and --members must be positive.")
        if units < members:
            raise CommandError(f"--units ({units}) must be at least --members ({members}).")
        projects = alliances * PROJECTS_PER_ALLIANCE if projects is None else projects
        reports = projects * REPORTS_PER_PROJECT if reports is None else reports
        scores = alliances * SCORES_PER_ALLIANCE if scores is None else scores
        if min(projects, reports, scores) < 0:
            raise CommandError("--projects, --reports and --scores cannot be negative.")
        if reports > projects * MAX_REPORTS_PER_PROJECT:
            raise CommandError(f"--reports ({reports}) can be at most {MAX_REPORTS_PER_PROJECT} per project "
                               f"(three years of quarterly reports).")
        run = ScaleRun(alliances=alliances, units=units, batch=batch, members_per_alliance=members,
                       projects=projects, reports=reports, scores=scores)
        started = time.perf_counter()
        self.stdout.write(f"{'table':<22}{'rows':>10}{'seconds':>10}{'rows/s':>12}")
        results = generate(run, report=self._report)
        total = sum(r.rows for r in results)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"{'total':<22}{total:>10,}{elapsed:>10.2f}{total / elapsed if elapsed else 0:>12,.0f}"))

    def _report(self, result):
        self.stdout.write(f"{result.table:<22}{result.rows:>10,}{result.seconds:>10.2f}{result.rows_per_second:>12,.0f}")
