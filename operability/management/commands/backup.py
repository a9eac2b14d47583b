from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from operability import backups
from operability.models import BackupRun


class Command(BaseCommand):
    help = ("Back up the database and every stored file into a dated folder of BACKUP_ROOT, with a manifest "
            "(sizes, SHA-256, rows per table, file checksums); then delete runs beyond BACKUP_KEEP_DAILY / "
            "BACKUP_KEEP_WEEKLY.")

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the runs kept, newest last, and stop.")
        parser.add_argument("--no-prune", action="store_true", help="Keep every earlier run this time.")

    def handle(self, *args, **options):
        if options["list"]:
            self.list_runs()
            return
        try:
            manifest = backups.run_backup()
        except backups.BackupError as error:
            raise CommandError(f"{error} (recorded as a failed run)") from error
        inventory = manifest["inventory"]
        self.stdout.write(
            f"backup {manifest['name']}: {manifest['duration_seconds']} s, "
            + ", ".join(f"{artifact} {entry['size']} bytes sha256 {entry['sha256']}"
                        for artifact, entry in manifest["artifacts"].items())
            + f"; {len(inventory['tables'])} tables, {sum(inventory['tables'].values())} rows, "
            f"{len(inventory['files'])} files"
        )
        if inventory["recorded_hashes"]["mismatched"]:
            # Backed up as found: the backup is still the best copy there is; the operator must know.
            self.stderr.write("recorded hashes that do not match their files: "
                              + "; ".join(inventory["recorded_hashes"]["mismatched"]))
        if not options["no_prune"]:
            for name in backups.prune(keep_daily=settings.BACKUP_KEEP_DAILY, keep_weekly=settings.BACKUP_KEEP_WEEKLY):
                self.stdout.write(f"deleted {name} (retention)")

    def list_runs(self):
        """The runs in the backup storage, oldest first, with what this database recorded of each; then the
        recorded runs that left nothing there (failed, deleted)."""
        stored = backups.list_runs()
        records = {run.name: run for run in BackupRun.objects.all()}
        for name in stored:
            run = records.get(name)
            if run is None:
                self.stdout.write(f"{name}  (no record in this database)")
                continue
            size = filesizeformat(run.size) if run.size is not None else "-"
            self.stdout.write(f"{name}  {run.outcome}  {run.duration_seconds} s  {size}  {run.retention}".rstrip())
        for run in sorted(records.values(), key=lambda run: run.name):
            if run.name not in stored:
                detail = run.error or run.retention
                self.stdout.write(f"{run.name}  {run.outcome}, not in the backup storage  {detail}".rstrip())
