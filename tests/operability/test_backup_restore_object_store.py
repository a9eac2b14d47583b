"""Backup and restore when the files live in an S3-compatible object store (as in docker-compose.yml): the files
are read from one bucket through the storage API and restored into another, empty one (moto's S3 server, over
HTTP, in this process), the database a SQLite file; each command in a process of its own."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(*args, env):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def object_store():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                      region_name="us-east-1")
    for bucket in ("portal-files", "portal-files-restored"):
        s3.create_bucket(Bucket=bucket)
    yield endpoint, s3
    server.stop()


def _keys(s3, bucket):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_backup_reads_the_bucket_and_restore_fills_an_empty_one(object_store, tmp_path):
    endpoint, s3 = object_store
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DATABASE_URL", "REDIS", "DJANGO_ENV", "MEDIA", "S3_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}", MEDIA_ROOT=str(tmp_path / "local"),
               BACKUP_ROOT=str(tmp_path / "backups"), S3_BUCKET="portal-files", S3_ENDPOINT_URL=endpoint,
               S3_ACCESS_KEY_ID="test", S3_SECRET_ACCESS_KEY="test", LOG_LEVEL="WARNING")
    _manage("migrate", "-v0", env=env)
    _manage("load_demo_data", env=env)
    stored = _keys(s3, "portal-files")
    assert any(key.startswith("official/") for key in stored)  # issued certificates, in the bucket
    _manage("backup", env=env)

    target = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
              "S3_BUCKET": "portal-files-restored"}
    restored = _manage("restore", "latest", "--noinput", env=target)

    assert "everything matches the backup's manifest" in restored.stdout
    assert _keys(s3, "portal-files-restored") == stored
    assert not (tmp_path / "local").exists()  # nothing went through a local folder
    source_inventory = json.loads(_manage("backup_inventory", env=env).stdout)
    assert json.loads(_manage("backup_inventory", env=target).stdout) == source_inventory
    assert source_inventory["recorded_hashes"]["by_model"]["reviews.OfficialDocument"] > 0
    assert sorted(source_inventory["files"]) == stored
