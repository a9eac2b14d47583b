import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_error_report_reaches_the_collector_tagged_and_without_personal_data(tmp_path):
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "REDIS_BROKER_URL", "DJANGO_ENV"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}", MEDIA_ROOT=str(tmp_path / "uploads"),
               LOG_LEVEL="CRITICAL", CHECK_PHONE="13800000000", CHECK_NAME="张三", CHECK_SESSION="abc123")
    script = Path(__file__).with_name("sentry_collector_run.py")
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=True)

    first, *events = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["status"] == 500
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == first["request_id"]
    text = json.dumps(event, ensure_ascii=False)
    for personal in ("张三", "13800000000", "abc123"):
        assert personal not in text
