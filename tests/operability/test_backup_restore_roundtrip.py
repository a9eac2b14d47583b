"""The embedded default's backup and restore, end to end, in processes of their own (as an operator runs them):
SQLite files, uploads and issued certificates of the demo. CI's restore drill does the same on PostgreSQL."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env, check=True):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """The demo in a SQLite file with its uploads, backed up once."""
    work = tmp_path_factory.mktemp("backup")
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "REDIS_BROKER_URL", "DJANGO_ENV"}}
    env.update(DATABASE_URL=f"sqlite:///{work / 'portal.sqlite3'}", MEDIA_ROOT=str(work / "uploads"),
               BACKUP_ROOT=str(work / "backups"), LOG_LEVEL="WARNING")
    _manage("migrate", "-v0", env=env)
    _manage("load_demo_data", env=env)
    backup = _manage("backup", env=env)
    [run] = [path for path in (work / "backups").iterdir() if path.is_dir()]
    return work, env, run, backup.stdout


def test_backup_writes_database_files_and_manifest(backed_up):
    work, _env, run, stdout = backed_up
    manifest = json.loads((run / "manifest.json").read_text())

    assert sorted(manifest["artifacts"]) == ["database.sqlite", "media.tar"]
    assert manifest["artifacts"]["database.sqlite"]["size"] == (run / "database.sqlite").stat().st_size
    inventory = manifest["inventory"]
    # the copy is a database of its own with the same rows (SQLite's online backup, not a file copy)
    with sqlite3.connect(run / "database.sqlite") as copy:
        [(users,)] = copy.execute("SELECT COUNT(*) FROM accounts_user").fetchall()
    assert users == inventory["tables"]["accounts_user"] > 10
    uploaded = sorted(str(path.relative_to(work / "uploads")) for path in (work / "uploads").rglob("*")
                      if path.is_file())
    assert sorted(inventory["files"]) == uploaded
    assert any(name.startswith("official/") for name in uploaded)  # issued certificates
    assert inventory["recorded_hashes"]["checked"] == len(uploaded)
    assert inventory["recorded_hashes"]["mismatched"] == []
    assert f"backup {run.name}:" in stdout


def test_restore_into_an_empty_database_matches_the_backup(backed_up):
    work, env, run, _stdout = backed_up
    target = {**env, "DATABASE_URL": f"sqlite:///{work / 'restored.sqlite3'}", "MEDIA_ROOT": str(work / "restored")}

    result = _manage("restore", run.name, "--noinput", env=target)

    assert "everything matches the backup's manifest" in result.stdout
    source = json.loads(_manage("backup_inventory", env=env).stdout)
    restored = json.loads(_manage("backup_inventory", env=target).stdout)
    assert restored == source
    assert restored["recorded_hashes"]["checked"] > 0


def test_restore_refuses_a_damaged_backup(backed_up, tmp_path):
    work, env, run, _stdout = backed_up
    damaged = work / "backups" / "2000-01-01T000000Z"
    damaged.mkdir()
    for path in run.iterdir():
        (damaged / path.name).write_bytes(path.read_bytes())
    manifest = json.loads((damaged / "manifest.json").read_text())
    manifest["name"] = damaged.name
    (damaged / "manifest.json").write_text(json.dumps(manifest))
    archive = bytearray((damaged / "media.tar").read_bytes())
    archive[600] ^= 0xFF  # one byte of the first file's content
    (damaged / "media.tar").write_bytes(bytes(archive))
    target = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "f")}

    result = _manage("restore", damaged.name, "--noinput", env=target, check=False)

    assert result.returncode == 1
    assert "media.tar does not match its manifest" in result.stderr
    assert not (tmp_path / "never.sqlite3").exists()
    assert not (tmp_path / "f").exists()
