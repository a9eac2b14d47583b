"""Each backup run is recorded in the database (BackupRun): started, finished, outcome, sizes and checksums, where
it went, or the error of a failed run; the retention reports on the records; administrators alone see them in
the admin, which changes none."""

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from dbbackup import settings as dbbackup_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.roles import Role
from operability import backups
from operability.models import BackupRun
from tests.factories import UserFactory


def _backups_in(settings, monkeypatch, location):
    settings.STORAGES = {**settings.STORAGES, "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    # django-dbbackup's commands (mediabackup) read the setting once, when imported
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", {"location": str(location)})

# django-dbbackup's mediabackup leaves each stored file and its archive's temporary file for the garbage collector
# to close (CPython does, at once); in the test's process, with warnings as errors, that is a ResourceWarning
pytestmark = [
    pytest.mark.filterwarnings("ignore:Exception ignored in. <_io.FileIO:pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <function SpooledTemporaryFile.__del__:pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture
def backup_root(settings, monkeypatch, tmp_path):
    _backups_in(settings, monkeypatch, tmp_path / "backups")
    return tmp_path / "backups"


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_successful_run_is_recorded_with_sizes_checksums_and_destination(backup_root):
    default_storage.save("agreements/7/agreement.pdf", ContentFile(b"%PDF-1.4 an agreement"))

    manifest = backups.run_backup(now=datetime(2026, 12, 7, 18, 0, tzinfo=UTC))

    run = BackupRun.objects.get()
    folder = backup_root / "2026-12-07T180000Z"
    database = folder / run.database_file
    assert (run.name, run.outcome, run.error) == ("2026-12-07T180000Z", BackupRun.Outcome.SUCCEEDED, "")
    assert run.started_at == datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    assert run.finished_at > run.started_at
    assert run.duration_seconds == manifest["duration_seconds"] >= 0
    assert run.destination == f"{folder}/"
    assert (run.database_size, run.database_sha256) == (database.stat().st_size, _sha256(database))
    assert (run.media_size, run.media_sha256) == ((folder / "media.tar").stat().st_size, _sha256(folder / "media.tar"))
    assert run.size == run.database_size + run.media_size
    assert (run.tables, run.rows, run.files) == (len(manifest["inventory"]["tables"]),
                                                 sum(manifest["inventory"]["tables"].values()), 1)
    assert json.loads((folder / "manifest.json").read_text())["destination"] == run.destination


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_is_recorded_as_failed_with_its_error_and_leaves_no_partial_files(backup_root, monkeypatch):
    def media_store_unreachable(*args, **kwargs):
        raise OSError("the media store did not answer")

    monkeypatch.setattr(backups, "call_command", media_store_unreachable)  # after the database was dumped

    with pytest.raises(CommandError, match="recorded as a failed run"):
        call_command("backup")

    run = BackupRun.objects.get()
    assert run.outcome == BackupRun.Outcome.FAILED
    assert run.error == "OSError: the media store did not answer (its partial files were removed)"
    assert run.finished_at is not None
    assert run.database_sha256 == ""
    assert backups.list_runs() == []


@pytest.mark.django_db(transaction=True)
def test_a_run_that_cannot_write_is_recorded_as_failed(settings, monkeypatch, tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the backup volume should be")
    _backups_in(settings, monkeypatch, tmp_path / "not-a-folder" / "backups")

    with pytest.raises(backups.BackupError):
        backups.run_backup()

    run = BackupRun.objects.get()
    assert run.outcome == BackupRun.Outcome.FAILED
    assert run.error.startswith("NotADirectoryError")


def _stored_run(root, name):
    (root / name).mkdir(parents=True)
    (root / name / "database.sqlite").write_bytes(b"x")
    (root / name / "manifest.json").write_text("{}")


@pytest.mark.django_db
def test_retention_reports_on_each_recorded_run_and_skips_a_failed_one(backup_root):
    first = datetime(2026, 12, 1, 2, tzinfo=UTC)
    names = [(first + timedelta(days=day)).strftime(backups.RUN_NAME_FORMAT) for day in range(6)]
    for name in names:
        _stored_run(backup_root, name)
        BackupRun.objects.create(name=name, started_at=datetime.strptime(name, backups.RUN_NAME_FORMAT).replace(
            tzinfo=UTC), outcome=BackupRun.Outcome.SUCCEEDED, destination=str(backup_root / name))
    failed = "2026-12-07T020000Z"  # a manifest, but recorded as failed: it is no day's copy
    _stored_run(backup_root, failed)
    BackupRun.objects.create(name=failed, started_at=first + timedelta(days=6), outcome=BackupRun.Outcome.FAILED,
                             destination="x", error="OSError: disk full")

    deleted = backups.prune(keep_daily=3, keep_weekly=2)

    assert deleted == ["2026-12-03T020000Z", "2026-12-02T020000Z", "2026-12-01T020000Z"]
    report = dict(BackupRun.objects.values_list("name", "retention"))
    assert report["2026-12-06T020000Z"] == "kept: daily 2026-12-06, weekly 2026-W49"
    assert report["2026-12-05T020000Z"] == "kept: daily 2026-12-05"
    assert report["2026-12-04T020000Z"] == "kept: daily 2026-12-04"
    assert all(report[name].startswith("deleted ") for name in deleted)
    assert report[failed] == ""
    assert set(BackupRun.objects.filter(deleted_at__isnull=False).values_list("name", flat=True)) == set(deleted)
    assert sorted(path.name for path in backup_root.iterdir()) == [*names[3:], failed]


@pytest.mark.django_db
def test_backup_runs_are_listed_read_only_in_the_admin_for_administrators_only(client, admin_user):
    run = BackupRun.objects.create(name="2026-12-07T180000Z", started_at=datetime(2026, 12, 7, 18, tzinfo=UTC),
                                   outcome=BackupRun.Outcome.FAILED, destination="/backups/2026-12-07T180000Z/",
                                   error="OSError: disk full")
    administrator = UserFactory(roles=[Role.ADMIN], is_staff=True)
    staff_officer = UserFactory(roles=[Role.OFFICER], is_staff=True)

    client.force_login(administrator)
    listing = client.get("/admin/operability/backuprun/")
    detail = client.get(f"/admin/operability/backuprun/{run.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    assert "2026-12-07T180000Z" in listing.content.decode()
    assert "OSError: disk full" in listing.content.decode()
    assert client.post(f"/admin/operability/backuprun/{run.pk}/delete/").status_code == 403
    assert client.get("/admin/operability/backuprun/add/").status_code == 403

    client.force_login(admin_user)  # a superuser
    assert client.get("/admin/operability/backuprun/").status_code == 200

    client.force_login(staff_officer)
    assert client.get("/admin/operability/backuprun/").status_code == 403
    assert BackupRun.objects.filter(pk=run.pk, outcome=BackupRun.Outcome.FAILED).exists()


@pytest.mark.django_db
def test_backup_list_shows_stored_runs_with_their_records_then_runs_that_left_nothing(backup_root):
    _stored_run(backup_root, "2026-12-05T020000Z")
    _stored_run(backup_root, "2026-12-06T020000Z")
    BackupRun.objects.create(name="2026-12-06T020000Z", started_at=datetime(2026, 12, 6, 2, tzinfo=UTC),
                             outcome=BackupRun.Outcome.SUCCEEDED, destination="x", duration_seconds=1.5,
                             database_size=1024, media_size=1024, retention="kept: daily 2026-12-06")
    BackupRun.objects.create(name="2026-12-07T020000Z", started_at=datetime(2026, 12, 7, 2, tzinfo=UTC),
                             outcome=BackupRun.Outcome.FAILED, destination="x", error="OSError: disk full")
    out = io.StringIO()

    call_command("backup", "--list", stdout=out)

    assert out.getvalue().splitlines() == [
        "2026-12-05T020000Z  (no record in this database)",
        "2026-12-06T020000Z  succeeded  1.5 s  2.0\xa0KB  kept: daily 2026-12-06",
        "2026-12-07T020000Z  failed, not in the backup storage  OSError: disk full",
    ]
