"""A backup taken while the portal writes describes the backup, not the database a moment later: its rows are
counted in the dump's own snapshot, so a restore compares equal to its manifest. (Counted after the dump, as
before, the five events written meanwhile showed up as a difference the restore did not have.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _environment(work, database_url):
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "REDIS_BROKER_URL", "DJANGO_ENV"}}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(work / "uploads"), BACKUP_ROOT=str(work / "backups"),
               LOG_LEVEL="WARNING")
    return env


def _maintain(server, *statements):
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        admin.close()


def _backup_busy_then_restore(work, source_url, target_url):
    source = _environment(work, source_url)
    _run(["manage.py", "migrate", "-v0"], source)
    report = json.loads(_run([str(Path(__file__).with_name("busy_backup_run.py"))], source))
    target = {**_environment(work, target_url), "MEDIA_ROOT": str(work / "restored")}
    restored = _run(["manage.py", "restore", report["name"], "--noinput"], target)
    inventory = json.loads(_run(["manage.py", "backup_inventory"], target))
    return report, restored, inventory


def test_backup_of_a_busy_sqlite_database_matches_its_restore(tmp_path):
    report, restored, inventory = _backup_busy_then_restore(
        tmp_path, f"sqlite:///{tmp_path / 'portal.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}")

    assert report["after"] == report["counted"] + report["written_meanwhile"]
    assert "everything matches the backup's manifest" in restored
    assert inventory["tables"]["accounts_auditevent"] == report["counted"]
    # the file uploaded after the dump and before the files were archived is in the archive and so in the
    # manifest: the manifest lists what the archive holds
    assert report["files"] == ["agreements/before_backup.txt", "agreements/during_backup.txt"]
    assert sorted(inventory["files"]) == report["files"]


@pytest.mark.postgres
def test_backup_of_a_busy_postgresql_database_matches_its_restore(tmp_path, using_postgres):
    database = settings.DATABASES["default"]
    server = (f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
              f"{database['PORT'] or 5432}")
    names = [f"{database['NAME']}_busy", f"{database['NAME']}_busy_restore"]
    _maintain(server, *(f'DROP DATABASE IF EXISTS "{name}"' for name in names), *(
        f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        for name in names))
    try:
        report, restored, inventory = _backup_busy_then_restore(tmp_path, f"{server}/{names[0]}",
                                                                f"{server}/{names[1]}")
    finally:
        _maintain(server, *(f'DROP DATABASE IF EXISTS "{name}"' for name in names))

    assert report["after"] == report["counted"] + report["written_meanwhile"]
    assert "everything matches the backup's manifest" in restored
    assert inventory["tables"]["accounts_auditevent"] == report["counted"]
