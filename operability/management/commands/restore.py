from django.core.management.base import BaseCommand, CommandError

from operability import backups


class Command(BaseCommand):
    help = ("Restore a backup run (its folder name under BACKUP_ROOT, or 'latest') into the configured, empty "
            "database and file storage, then check rows per table, file checksums and recorded file hashes "
            "against the run's manifest. Exits non-zero when anything differs.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="The run's folder name, e.g. 2026-12-07T180000Z, or 'latest'.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, name, interactive, **options):
        if name == "latest":
            runs = backups.list_runs()
            if not runs:
                raise CommandError("There is no backup to restore.")
            name = runs[-1]
        if interactive:
            answer = input(f"Restore {name} over the configured database and files? Type 'yes': ")
            if answer != "yes":
                raise CommandError("Not restored.")
        try:
            report = backups.run_restore(name)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {report.name} in {report.duration_seconds} s: {report.tables} tables, "
                          f"{report.rows} rows, {report.files} files, {report.recorded_hashes} recorded file "
                          "hashes checked")
        if report.problems:
            raise CommandError("the restore does not match the backup:\n" + "\n".join(report.problems))
        self.stdout.write("everything matches the backup's manifest")
