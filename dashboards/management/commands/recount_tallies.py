"""``manage.py recount_tallies [--check]``: rebuild the dashboard's tallies (projects, member units) from the rows
they count, or only compare them (exit status 1 and every difference listed when they differ)."""

import time

from django.core.management.base import BaseCommand, CommandError

from alliances import tally as member_tally
from projects import tally as project_tally

TALLIES = {"project tally": project_tally, "member-unit tally": member_tally}


class Command(BaseCommand):
    help = "Rebuild the tallies the dashboard reads from the rows they count, or compare them (--check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; fail when they differ")

    def handle(self, *args, check: bool, **options):
        differing = 0
        for name, tally in TALLIES.items():
            started = time.perf_counter()
            if not check:
                rows = tally.rebuild()
                self.stdout.write(f"{name}: {rows:,} rows recounted in {time.perf_counter() - started:.1f} s")
                continue
            found = tally.differences()
            for line in found:
                self.stdout.write(f"{name}: {line}")
            differing += len(found)
            if not found:
                self.stdout.write(f"{name}: equals what it counts ({time.perf_counter() - started:.1f} s)")
        if differing:
            raise CommandError(f"{differing} tally rows differ from what they count")
