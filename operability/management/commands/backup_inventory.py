import json

from django.core.management.base import BaseCommand

from operability import backups


class Command(BaseCommand):
    help = ("Print, as JSON, what a restore must reproduce: rows per table, the SHA-256 of every stored file, and "
            "the recorded hashes of uploads and issued documents checked against their files (compare two "
            "databases with diff).")

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(backups.take_inventory(), indent=1, sort_keys=True, ensure_ascii=False))
