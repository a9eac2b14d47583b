"""manage.py load_demo_data [--if-empty]: a realistic Zibo demo portal with logins for every role."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import loader
from demo.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = ("Load the Zibo demo: ~300 member units, 21 alliances in every workflow state (moved through the "
            "services), users for every role with one demo password. Running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds member units or alliances.")
        parser.add_argument("--allow-production", action="store_true",
                            help="Load even with DJANGO_ENV=production (demo users have a published password).")

    def handle(self, *args, if_empty=False, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError("Refusing to load demo users with a published password into production "
                               "(pass --allow-production to insist).")
        if loader.is_loaded():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            self._print_after_designation(loader.after_designation())
            self._print_logins(loader.logins())
            return
        if if_empty and loader.has_data():
            self.stdout.write("The database already holds data; demo data not loaded (--if-empty).")
            return
        started = time.perf_counter()
        result = loader.load()
        elapsed = time.perf_counter() - started
        states = ", ".join(f"{state} {count}" for state, count in sorted(result.alliances.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded in {elapsed:.1f} s: {result.units} member units, "
            f"{sum(result.alliances.values())} alliances ({states}); "
            f"{result.emails_suppressed} notification e-mails kept in memory, not sent."
        ))
        self._print_after_designation(result.after_designation)
        self._print_logins(result.logins)

    def _print_after_designation(self, sections):
        self.stdout.write("After designation:")
        for section, counts in sections.items():
            figures = ", ".join(f"{key} {count}" for key, count in counts.items()) or "none"
            self.stdout.write(f"  {section}: {figures}")

    def _print_password(self):
        self.stdout.write(f"Demo logins use the password: {DEMO_PASSWORD}")

    def _print_logins(self, logins):
        rows = [("Role", "User name", "Name", "Notes")] + [(str(x.role), x.username, x.name, x.note) for x in logins]
        widths = [max(_width(row[column]) for row in rows) for column in range(3)]
        self.stdout.write("")
        for index, row in enumerate(rows):
            cells = [row[column] + " " * (widths[column] - _width(row[column])) for column in range(3)]
            self.stdout.write("  ".join([*cells, row[3]]).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths) + "  -----")
        self.stdout.write("")
        self._print_password()


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
