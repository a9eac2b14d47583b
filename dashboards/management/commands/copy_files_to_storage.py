"""Copy the uploaded and issued files from a local folder into the configured file storage.

For a move from the file system (``MEDIA_ROOT`` of an earlier deployment, or a restored backup) to the object
store: every file a row of the database names (every ``FileField`` of every model) is copied under the same
name, unless the storage already holds it; with ``--check`` nothing is copied and the command fails when a
named file is missing from the storage. Safe to run again: it copies only what is missing.
"""

from django.apps import apps
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def stored_names():
    """(model label, file name) of every file a row names, model by model."""
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            names = model._default_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
            for name in names.values_list(field, flat=True).order_by(field).iterator():
                yield model._meta.label, name


class Command(BaseCommand):
    help = "Copy the files the database names from a local folder into the file storage (S3 when configured)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", help="the folder holding the files (the old MEDIA_ROOT)")
        parser.add_argument("--check", action="store_true", help="copy nothing; fail when a file is missing")

    def handle(self, *args, source=None, check=False, **options):
        if not check and not source:
            raise CommandError("Give --from <folder> (or --check to only compare).")
        local = FileSystemStorage(location=source) if source else None
        copied = present = 0
        missing = []
        for label, name in stored_names():
            if default_storage.exists(name):
                present += 1
            elif check or not local.exists(name):
                missing.append(f"{label}: {name}")
            else:
                with local.open(name, "rb") as handle:
                    saved = default_storage.save(name, handle)
                if saved != name:
                    raise CommandError(f"{name} was stored as {saved}: the storage renamed it")
                copied += 1
        self.stdout.write(f"{copied} copied, {present} already in the storage, {len(missing)} missing")
        for line in missing[:50]:
            self.stdout.write(f"  missing: {line}")
        if missing:
            raise CommandError(f"{len(missing)} file(s) named in the database are not in the storage"
                               + ("" if check else " nor in the folder"))
