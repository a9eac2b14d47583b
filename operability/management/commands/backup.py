from django.conf import settings
from django.core.management.base import BaseCommand

from operability import backups


class Command(BaseCommand):
    help = ("Back up the database and every stored file into a dated folder of BACKUP_ROOT, with a manifest "
            "(sizes, SHA-256, rows per table, file checksums); then delete runs beyond BACKUP_KEEP_DAILY / "
            "BACKUP_KEEP_WEEKLY.")

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the runs kept, newest last, and stop.")
        parser.add_argument("--no-prune", action="store_true", help="Keep every earlier run this time.")

    def handle(self, *args, **options):
        if options["list"]:
            for name in backups.list_runs():
                self.stdout.write(name)
            return
        manifest = backups.run_backup()
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
