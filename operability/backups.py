"""Backups that are checked when they are restored.

A run (``manage.py backup``) is a dated folder in the ``dbbackup`` storage (``BACKUP_ROOT``):

- ``database.pgdump`` (``pg_dump`` custom format, one consistent snapshot) or ``database.sqlite3`` (SQLite's
  online backup API, safe while the portal writes), written by django-dbbackup;
- ``media.tar``: every file of the default storage (uploads, issued certificates and documents), read through
  Django's storage API by django-dbbackup, so it works the same on a file system or an object store;
- ``manifest.json``: when, how long, each file's size and SHA-256, and the *inventory* of what was backed up
  (rows per table, SHA-256 per stored file, and each stored hash of an upload or issued document checked
  against its file).

``manage.py restore NAME`` checks the files against the manifest before touching anything, restores the
database and the files, takes the inventory again and compares it with the manifest's: any difference fails
the command. Runs are kept per ``BACKUP_KEEP_DAILY`` / ``BACKUP_KEEP_WEEKLY`` (``retention``).
"""

import hashlib
import io
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

logger = logging.getLogger("portal.backup")

RUN_NAME_FORMAT = "%Y-%m-%dT%H%M%SZ"
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"


class BackupError(Exception):
    """A backup cannot be trusted or a restore does not match its backup."""


def backup_storage():
    return storages["dbbackup"]


def database_filename() -> str:
    return "database.pgdump" if connection.vendor == "postgresql" else f"database.{connection.vendor}"


def _sha256_of(storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _walk(storage, path=""):
    directories, files = storage.listdir(path)
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


# --- Inventory: what a restore must reproduce -----------------------------------------------------------

def _hashed_file_fields():
    """(model, file field) for each model that records its file's SHA-256 beside it."""
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if "sha256" not in names:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def take_inventory() -> dict:
    """Rows per table, SHA-256 of every stored file, and each recorded file hash checked against its file."""
    tables = {model._meta.db_table: model._base_manager.count()
              for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy}
    tables[MigrationRecorder.Migration._meta.db_table] = MigrationRecorder(connection).migration_qs.count()
    files = {name: _sha256_of(default_storage, name)[0] for name in _walk(default_storage)}
    by_model, mismatched = {}, []
    for model, field in _hashed_file_fields():
        rows = model._base_manager.exclude(**{field.name: ""}).values_list("pk", field.name, "sha256")
        by_model[model._meta.label] = 0
        for pk, name, recorded in rows.order_by("pk").iterator():
            by_model[model._meta.label] += 1
            if files.get(name) != recorded:
                mismatched.append(f"{model._meta.label} {pk}: {name}")
    return {
        "tables": dict(sorted(tables.items())),
        "files": files,
        "recorded_hashes": {"checked": sum(by_model.values()), "by_model": dict(sorted(by_model.items())),
                            "mismatched": mismatched},
    }


def compare_inventories(expected: dict, found: dict) -> list[str]:
    """Human-readable differences; empty when the restore reproduces the backup."""
    problems = []
    for table in sorted(set(expected["tables"]) | set(found["tables"])):
        want, got = expected["tables"].get(table), found["tables"].get(table)
        if want != got:
            problems.append(f"table {table}: {want} rows backed up, {got} restored")
    for name in sorted(set(expected["files"]) | set(found["files"])):
        want, got = expected["files"].get(name), found["files"].get(name)
        if want != got:
            problems.append(f"file {name}: " + ("missing" if got is None else "not in the backup" if want is None
                                               else "checksum differs"))
    problems += [f"recorded hash does not match its file: {entry}"
                 for entry in found["recorded_hashes"]["mismatched"]]
    if expected["recorded_hashes"]["checked"] != found["recorded_hashes"]["checked"]:
        problems.append(f"{expected['recorded_hashes']['checked']} recorded file hashes backed up, "
                        f"{found['recorded_hashes']['checked']} restored")
    return problems


# --- Backup ---------------------------------------------------------------------------------------------

def run_backup(*, now: datetime | None = None) -> dict:
    """Writes a run folder (database, files, manifest); returns the manifest."""
    now = now or datetime.now(UTC)
    name = now.strftime(RUN_NAME_FORMAT)
    storage = backup_storage()
    started = time.monotonic()
    database_name = f"{name}/{database_filename()}"
    call_command("dbbackup", output_filename=database_name, verbosity=0)
    call_command("mediabackup", output_filename=f"{name}/{MEDIA_ARCHIVE}", verbosity=0)
    inventory = take_inventory()
    artifacts = {}
    for artifact in (database_name, f"{name}/{MEDIA_ARCHIVE}"):
        sha256, size = _sha256_of(storage, artifact)
        artifacts[artifact.rsplit("/", 1)[1]] = {"sha256": sha256, "size": size}
    manifest = {
        "name": name,
        "started_at": now.isoformat(),
        "duration_seconds": round(time.monotonic() - started, 2),
        "database_vendor": connection.vendor,
        "artifacts": artifacts,
        "inventory": inventory,
    }
    storage.save(f"{name}/{MANIFEST}", ContentFile(json.dumps(manifest, indent=1, ensure_ascii=False).encode()))
    logger.info("backup %s written", name, extra={
        "backup": name, "duration_seconds": manifest["duration_seconds"],
        "size_bytes": sum(entry["size"] for entry in artifacts.values()),
        "database_sha256": artifacts[database_filename()]["sha256"],
        "tables": len(inventory["tables"]), "files": len(inventory["files"]),
    })
    return manifest


def list_runs() -> list[str]:
    directories, _files = backup_storage().listdir("")
    runs = []
    for directory in directories:
        try:
            datetime.strptime(directory, RUN_NAME_FORMAT)
        except ValueError:
            continue  # not ours
        runs.append(directory)
    return sorted(runs)


def read_manifest(name: str) -> dict:
    storage = backup_storage()
    if name not in list_runs() or not storage.exists(f"{name}/{MANIFEST}"):
        raise BackupError(f"No complete backup named {name!r} (runs: {', '.join(list_runs()) or 'none'}).")
    with storage.open(f"{name}/{MANIFEST}", "rb") as manifest:
        return json.load(io.TextIOWrapper(manifest, encoding="utf-8"))


# --- Retention ------------------------------------------------------------------------------------------

def retention(names: list[str], *, keep_daily: int, keep_weekly: int) -> list[str]:
    """The runs to delete: kept are the newest run of each of the ``keep_daily`` latest days that have one, and
    the newest run of each of the ``keep_weekly`` latest ISO weeks that have one (a run may count for both).
    Runs that are not complete (no manifest) are the caller's to judge; the names sort by time."""
    newest_first = sorted(names, reverse=True)
    kept: set[str] = set()
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for name in newest_first:
        day = datetime.strptime(name, RUN_NAME_FORMAT).date()
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                kept.add(name)
        week = day.isocalendar()[:2]
        if week not in weeks:
            weeks.append(week)
            if len(weeks) <= keep_weekly:
                kept.add(name)
    return [name for name in newest_first if name not in kept]


def delete_run(name: str) -> None:
    storage = backup_storage()
    for file_name in list(_walk(storage, name)):
        storage.delete(file_name)
    storage.delete(name)  # the empty folder (FileSystemStorage); an object store has none


def prune(*, keep_daily: int, keep_weekly: int) -> list[str]:
    """Deletes the complete runs beyond the retention. A run without a manifest (interrupted) neither counts as
    a day's backup nor is deleted: the operator looks at it."""
    storage = backup_storage()
    complete = [name for name in list_runs() if storage.exists(f"{name}/{MANIFEST}")]
    deleted = retention(complete, keep_daily=keep_daily, keep_weekly=keep_weekly)
    for name in deleted:
        delete_run(name)
    return deleted


# --- Restore --------------------------------------------------------------------------------------------

@dataclass
class RestoreReport:
    name: str
    duration_seconds: float
    problems: list[str]
    tables: int
    rows: int
    files: int
    recorded_hashes: int


def verify_artifacts(manifest: dict) -> None:
    storage = backup_storage()
    for artifact, expected in manifest["artifacts"].items():
        sha256, size = _sha256_of(storage, f"{manifest['name']}/{artifact}")
        if (sha256, size) != (expected["sha256"], expected["size"]):
            raise BackupError(f"{manifest['name']}/{artifact} does not match its manifest (damaged or altered): "
                              "nothing was restored.")


def run_restore(name: str) -> RestoreReport:
    """Restores run ``name`` into the configured database and default storage, then compares the inventory."""
    manifest = read_manifest(name)
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(f"{name} is a {manifest['database_vendor']} backup; this database is {connection.vendor}.")
    verify_artifacts(manifest)
    started = time.monotonic()
    database_artifact = next(artifact for artifact in manifest["artifacts"] if artifact.startswith("database."))
    call_command("dbrestore", input_filename=f"{name}/{database_artifact}", interactive=False, verbosity=0)
    connection.close()  # the restored database is read afresh
    call_command("mediarestore", input_filename=f"{name}/{MEDIA_ARCHIVE}", interactive=False, replace=True,
                 verbosity=0)
    found = take_inventory()
    report = RestoreReport(
        name=name, duration_seconds=round(time.monotonic() - started, 2),
        problems=compare_inventories(manifest["inventory"], found),
        tables=len(found["tables"]), rows=sum(found["tables"].values()), files=len(found["files"]),
        recorded_hashes=found["recorded_hashes"]["checked"],
    )
    logger.info("restore of %s %s", name, "matches its backup" if not report.problems else "DIFFERS", extra={
        "backup": name, "duration_seconds": report.duration_seconds, "problems": len(report.problems),
        "tables": report.tables, "rows": report.rows, "files": report.files,
    })
    return report
