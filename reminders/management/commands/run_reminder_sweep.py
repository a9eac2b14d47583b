"""Run a reminder sweep by hand: ``manage.py run_reminder_sweep resubmission --date 2026-12-01 --dry-run``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reminders import services, sweeps


class Command(BaseCommand):
    help = "Run one reminder sweep (or all) now, in this process; --dry-run lists what would be sent."

    def add_arguments(self, parser):
        parser.add_argument("sweep", help=f"a sweep name, or 'all' ({', '.join(sorted(sweeps.SWEEPS))})")
        parser.add_argument("--date", type=date.fromisoformat, default=None,
                            help="the day to sweep for, YYYY-MM-DD (default: today in the portal's time zone)")
        parser.add_argument("--dry-run", action="store_true", help="list the reminders that would be created")

    def handle(self, *args, sweep, date, dry_run, **options):
        names = sorted(sweeps.SWEEPS) if sweep == "all" else [sweep]
        for name in names:
            if name not in sweeps.SWEEPS:
                raise CommandError(f"unknown sweep {name!r}; choose from: all, {', '.join(sorted(sweeps.SWEEPS))}")
        for name in names:
            if dry_run:
                outcome = services.preview_sweep(name, today=date)
                self.stdout.write(f"{name} on {outcome.today}: {outcome.found} due, {outcome.created} would be new")
                for c in outcome.candidates:
                    self.stdout.write(f"  {c.subject_type}#{c.subject_id} due {c.due_date} {c.stage} → user "
                                      f"{c.recipient_id}")
            else:
                outcome = services.run_sweep(name, today=date)
                self.stdout.write(f"{name} on {outcome.today}: {outcome.found} due, {outcome.created} new "
                                  f"reminders queued for delivery")
