"""Backups that are checked when they are restored.

A run (``manage.py backup``) is a dated folder in the ``dbbackup`` storage (``BACKUP_ROOT``):

- ``database.pgdump`` (``pg_dump`` custom format, one consistent snapshot) or ``database.sqlite3`` (SQLite's
  online backup API, safe while the portal writes), written by django-dbbackup;
- ``media.tar``: every file of the default storage (uploads, issued certificates and documents), read through
  Django's storage API by django-dbbackup, so it works the same on a file system or an object store;
- ``manifest.json``: when, how long, each file's size and SHA-256, and the *inventory* of what was backed up
  (rows per table, SHA-256 per stored file, and each stored hash of an upload or issued document checked
  against its file).

The inventory describes the backup itself, not the database a moment later: its rows are counted inside the
snapshot the dump is taken from (PostgreSQL: one REPEATABLE READ transaction whose snapshot ``pg_dump`` imports
with ``--snapshot``; SQLite: one read transaction on the connection whose online backup API makes the copy), and
its files are hashed as they are in ``media.tar``. A portal that keeps writing during the backup changes neither.
Each run is recorded as a ``BackupRun`` too (started, finished, outcome, sizes, checksums, where it went, the
error of a failed run, what the retention made of it).

``manage.py restore NAME`` checks the files against the manifest before touching anything, restores the
database and the files, takes the inventory again and compares it with the manifest's: any difference fails
the command. Runs are kept per ``BACKUP_KEEP_DAILY`` / ``BACKUP_KEEP_WEEKLY`` (``retention``).
"""

import hashlib
import io
import json
import logging
import os
import tarfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from dbbackup.db.base import get_connector
from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .models import BackupRun

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
    if not path and isinstance(storage, FileSystemStorage) and not storage.exists(""):
        return  # no file stored yet: the folder is made with the first upload
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


@contextmanager
def consistent_read(*, for_dump: bool = False):
    """Everything read inside sees one snapshot of the database, however busy it is.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction; yields its exported snapshot for ``pg_dump
    --snapshot``. SQLite: a deferred read transaction on this connection (WAL: writers go on, this connection
    keeps reading what it first saw, and so does an online backup made through it); yields None. Inside a
    transaction already (a test's), it is that transaction's view, which a dump cannot share: ``for_dump`` refuses.
    """
    if connection.in_atomic_block:
        if for_dump:
            raise BackupError("A backup runs outside any transaction (it takes a snapshot of its own).")
        yield None
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT COUNT(*) FROM sqlite_master")  # the read that fixes the snapshot
    try:
        yield None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # nothing was written


def database_inventory() -> dict:
    """Rows per table and the recorded file hashes, as the current snapshot has them (call inside
    ``consistent_read``)."""
    tables = {model._meta.db_table: model._base_manager.count()
              for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy}
    tables[MigrationRecorder.Migration._meta.db_table] = MigrationRecorder(connection).migration_qs.count()
    recorded = []
    for model, field in _hashed_file_fields():
        rows = model._base_manager.exclude(**{field.name: ""}).values_list("pk", field.name, "sha256")
        recorded += [(model._meta.label, pk, name, sha256) for pk, name, sha256 in rows.order_by("pk").iterator()]
    return {"tables": dict(sorted(tables.items())), "recorded": recorded}


def files_in_storage(storage) -> dict:
    return {name: _sha256_of(storage, name)[0] for name in _walk(storage)}


def files_in_archive(storage, archive: str) -> dict:
    """SHA-256 of each file in a ``mediabackup`` archive: the files as backed up, whatever was uploaded since."""
    files = {}
    with storage.open(archive, "rb") as stored, tarfile.open(fileobj=stored, mode="r|") as tar:
        for member in tar:
            if member.isfile():
                digest = hashlib.sha256()
                content = tar.extractfile(member)
                for chunk in iter(lambda content=content: content.read(1024 * 1024), b""):
                    digest.update(chunk)
                files[member.name] = digest.hexdigest()
    return dict(sorted(files.items()))


def _inventory(database: dict, files: dict) -> dict:
    by_model, mismatched = {}, []
    for label, pk, name, recorded in database["recorded"]:
        by_model[label] = by_model.get(label, 0) + 1
        if files.get(name) != recorded:
            mismatched.append(f"{label} {pk}: {name}")
    for model, _field in _hashed_file_fields():
        by_model.setdefault(model._meta.label, 0)
    return {
        "tables": database["tables"],
        "files": files,
        "recorded_hashes": {"checked": sum(by_model.values()), "by_model": dict(sorted(by_model.items())),
                            "mismatched": mismatched},
    }


def take_inventory() -> dict:
    """Rows per table (one snapshot), SHA-256 of every stored file, and each recorded file hash checked against
    its file."""
    with consistent_read():
        database = database_inventory()
    return _inventory(database, files_in_storage(default_storage))


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

def describe_destination(storage, name: str) -> str:
    """Where a run went, for the record: the bucket and prefix, or the folder."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        prefix = (getattr(storage, "location", "") or "").strip("/")
        return f"s3://{bucket}/{prefix + '/' if prefix else ''}{name}/"
    try:
        return storage.path(name) + "/"
    except NotImplementedError:
        return f"{type(storage).__name__}:{name}/"


def dump_database(filename: str, snapshot: str | None) -> None:
    """django-dbbackup's connector for this database writes the dump: ``pg_dump`` in custom format reading the
    given exported snapshot, or SQLite's online backup through this connection (inside ``consistent_read``)."""
    connector = get_connector(DEFAULT_DB_ALIAS)
    if snapshot:
        connector.dump_suffix = f"{connector.dump_suffix} --snapshot={snapshot}".strip()
    dump = connector.create_dump()
    try:
        backup_storage().save(filename, File(dump))
    finally:
        dump.close()


def run_backup(*, now: datetime | None = None) -> dict:
    """Writes a run folder (database, files, manifest) and records the run; returns the manifest. A failure is
    recorded as such (with its error, its partial files removed) and raised as ``BackupError``."""
    now = now or datetime.now(UTC)
    name = now.strftime(RUN_NAME_FORMAT)
    storage = backup_storage()
    database_name = f"{name}/{database_filename()}"
    run = BackupRun.objects.create(name=name, started_at=now, destination=describe_destination(storage, name),
                                   database_file=database_filename())
    started = time.monotonic()
    try:
        with consistent_read(for_dump=True) as snapshot:
            dump_database(database_name, snapshot)
            database = database_inventory()
        if isinstance(default_storage, FileSystemStorage):
            os.makedirs(default_storage.location, exist_ok=True)  # a portal without uploads yet has no folder
        call_command("mediabackup", output_filename=f"{name}/{MEDIA_ARCHIVE}", verbosity=0)
        artifacts = {}
        for artifact in (database_name, f"{name}/{MEDIA_ARCHIVE}"):
            sha256, size = _sha256_of(storage, artifact)
            artifacts[artifact.rsplit("/", 1)[1]] = {"sha256": sha256, "size": size}
        inventory = _inventory(database, files_in_archive(storage, f"{name}/{MEDIA_ARCHIVE}"))
        finished = timezone.now()
        manifest = {
            "name": name,
            "started_at": now.isoformat(),
            "finished_at": finished.isoformat(),
            "duration_seconds": round(time.monotonic() - started, 2),
            "destination": run.destination,
            "database_vendor": connection.vendor,
            "artifacts": artifacts,
            "inventory": inventory,
        }
        storage.save(f"{name}/{MANIFEST}",
                     ContentFile(json.dumps(manifest, indent=1, ensure_ascii=False).encode()))
    except Exception as error:
        _record_failure(run, error, duration=round(time.monotonic() - started, 2))
        raise BackupError(f"backup {name} failed: {error}") from error
    _record_success(run, manifest)
    logger.info("backup %s written", name, extra={
        "backup": name, "duration_seconds": manifest["duration_seconds"], "size_bytes": run.size,
        "database_sha256": run.database_sha256, "media_sha256": run.media_sha256, "destination": run.destination,
        "tables": run.tables, "rows": run.rows, "files": run.files,
    })
    return manifest


def _record_success(run: BackupRun, manifest: dict) -> None:
    database = manifest["artifacts"][run.database_file]
    media = manifest["artifacts"][MEDIA_ARCHIVE]
    inventory = manifest["inventory"]
    run.finished_at = datetime.fromisoformat(manifest["finished_at"])
    run.duration_seconds = manifest["duration_seconds"]
    run.outcome = BackupRun.Outcome.SUCCEEDED
    run.database_size, run.database_sha256 = database["size"], database["sha256"]
    run.media_size, run.media_sha256 = media["size"], media["sha256"]
    run.tables, run.rows = len(inventory["tables"]), sum(inventory["tables"].values())
    run.files = len(inventory["files"])
    run.save()


def _record_failure(run: BackupRun, error: Exception, *, duration: float) -> None:
    removed = ""
    try:
        if run.name in list_runs():
            delete_run(run.name)
            removed = " (its partial files were removed)"
    except Exception as cleanup_error:  # the error worth recording is the run's own
        removed = f" (its partial files could not be removed: {cleanup_error!r})"
    run.finished_at = timezone.now()
    run.duration_seconds = duration
    run.outcome = BackupRun.Outcome.FAILED
    run.error = f"{error.__class__.__name__}: {error}{removed}"[:5000]
    run.save(update_fields=["finished_at", "duration_seconds", "outcome", "error"])
    logger.error("backup %s failed: %s", run.name, run.error, extra={"backup": run.name})


def record_restored_run(manifest: dict) -> None:
    """In a restored database the run's own record is as the snapshot saw it, still running: complete it from
    the manifest (an update, so the rows per table stay those of the backup)."""
    if "finished_at" not in manifest or BackupRun._meta.db_table not in connection.introspection.table_names():
        return  # a backup made before runs were recorded
    run = BackupRun.objects.filter(name=manifest["name"], outcome=BackupRun.Outcome.RUNNING).first()
    if run is None:
        return
    _record_success(run, manifest)


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

def retention_reasons(names: list[str], *, keep_daily: int, keep_weekly: int) -> dict[str, str | None]:
    """Why each run is kept (``"daily 2026-12-07"``, ``"weekly 2026-W49"``, or both), or None for a run to delete:
    kept are the newest run of each of the ``keep_daily`` latest days that have one, and the newest run of each of
    the ``keep_weekly`` latest ISO weeks that have one. The names sort by time."""
    newest_first = sorted(names, reverse=True)
    reasons: dict[str, list[str]] = {name: [] for name in newest_first}
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for name in newest_first:
        day = datetime.strptime(name, RUN_NAME_FORMAT).date()
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                reasons[name].append(f"daily {day.isoformat()}")
        week = day.isocalendar()[:2]
        if week not in weeks:
            weeks.append(week)
            if len(weeks) <= keep_weekly:
                reasons[name].append(f"weekly {week[0]}-W{week[1]:02d}")
    return {name: ", ".join(why) or None for name, why in reasons.items()}


def retention(names: list[str], *, keep_daily: int, keep_weekly: int) -> list[str]:
    """The runs to delete, newest first (``retention_reasons``)."""
    reasons = retention_reasons(names, keep_daily=keep_daily, keep_weekly=keep_weekly)
    return [name for name, reason in reasons.items() if reason is None]


def delete_run(name: str) -> None:
    storage = backup_storage()
    for file_name in list(_walk(storage, name)):
        storage.delete(file_name)
    storage.delete(name)  # the empty folder (FileSystemStorage); an object store has none


def prune(*, keep_daily: int, keep_weekly: int) -> list[str]:
    """Deletes the complete runs beyond the retention and records on each run why it is kept or when it was
    deleted. Complete: its manifest is there and its record (if this database has one) does not say it failed. A
    run without a manifest (interrupted, or failed) neither counts as a day's backup nor is deleted here."""
    storage = backup_storage()
    failed = set(BackupRun.objects.filter(outcome=BackupRun.Outcome.FAILED).values_list("name", flat=True))
    complete = [name for name in list_runs() if name not in failed and storage.exists(f"{name}/{MANIFEST}")]
    reasons = retention_reasons(complete, keep_daily=keep_daily, keep_weekly=keep_weekly)
    deleted = [name for name, reason in reasons.items() if reason is None]
    for name in deleted:
        delete_run(name)
    now = timezone.now()
    BackupRun.objects.filter(name__in=deleted).update(deleted_at=now, retention=f"deleted {now:%Y-%m-%d %H:%M} UTC")
    for name, reason in reasons.items():
        if reason is not None:
            BackupRun.objects.filter(name=name).exclude(retention=f"kept: {reason}").update(
                retention=f"kept: {reason}")
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
    record_restored_run(manifest)
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
