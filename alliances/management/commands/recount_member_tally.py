"""``manage.py recount_member_tally [--check]``: rebuild the dashboard's member-unit tally from the memberships,
or only compare it with them (exit status 1 and every difference listed when they differ)."""

import time

from django.core.management.base import BaseCommand, CommandError

from alliances import tally


class Command(BaseCommand):
    help = "Rebuild the member-unit tally the dashboard reads from the memberships, or compare it (--check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only; fail when they differ")

    def handle(self, *args, check: bool, **options):
        started = time.perf_counter()
        if check:
            found = tally.differences()
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(f"{len(found)} tally rows differ from the memberships")
            self.stdout.write(f"the member-unit tally equals the memberships ({time.perf_counter() - started:.1f} s)")
            return
        rows = tally.rebuild()
        self.stdout.write(f"recounted: {rows:,} tally rows in {time.perf_counter() - started:.1f} s")
