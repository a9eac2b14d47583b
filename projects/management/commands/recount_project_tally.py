"""``manage.py recount_project_tally [--check]``: rebuild the dashboard's project tally from the projects, or
only compare it with them (exit status 1 and every difference listed when they differ)."""

import time

from django.core.management.base import BaseCommand, CommandError

from projects import tally


class Command(BaseCommand):
    help = "Rebuild the project tally the dashboard reads from the projects, or compare it with them (--check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; fail when they differ")

    def handle(self, *args, check: bool, **options):
        started = time.perf_counter()
        if check:
            found = tally.differences()
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(f"{len(found)} tally rows differ from the projects")
            self.stdout.write(f"the project tally equals the projects ({time.perf_counter() - started:.1f} s)")
            return
        rows = tally.rebuild()
        self.stdout.write(f"recounted: {rows:,} tally rows in {time.perf_counter() - started:.1f} s")
