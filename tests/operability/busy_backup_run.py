"""Run by test_backup_of_a_busy_database in a process of its own, against DATABASE_URL (a migrated database): a
backup during which the portal keeps writing. Right after the dump is taken, before the backup has counted
anything, another connection adds and commits audit events; the backup's manifest must still describe the dump.
Prints the run's name, the events its manifest counted, and the events the database holds afterwards."""

import json
import os
import sys
import threading

os.environ["DJANGO_SETTINGS_MODULE"] = "alliance_portal.settings"
sys.path.insert(0, os.getcwd())

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import AuditEvent  # noqa: E402
from operability import backups  # noqa: E402

WRITTEN_MEANWHILE = 5
AuditEvent.objects.create(action="before_backup", outcome=AuditEvent.Outcome.OK)
default_storage.save("agreements/before_backup.txt", ContentFile(b"an upload"))
real_dump = backups.dump_database


def write_from_another_connection():
    AuditEvent.objects.bulk_create(AuditEvent(action="during_backup", outcome=AuditEvent.Outcome.OK)
                                   for _ in range(WRITTEN_MEANWHILE))
    connection.close()
    default_storage.save("agreements/during_backup.txt", ContentFile(b"uploaded while the backup ran"))


def dump_then_someone_writes(filename, snapshot):
    real_dump(filename, snapshot)
    writer = threading.Thread(target=write_from_another_connection)  # a connection of its own, committed
    writer.start()
    writer.join()


backups.dump_database = dump_then_someone_writes
manifest = backups.run_backup()
print(json.dumps({"name": manifest["name"], "counted": manifest["inventory"]["tables"]["accounts_auditevent"],
                  "after": AuditEvent.objects.count(), "written_meanwhile": WRITTEN_MEANWHILE,
                  "files": sorted(manifest["inventory"]["files"])}))
