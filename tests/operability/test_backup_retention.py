from datetime import UTC, datetime, timedelta

import pytest

from operability.backups import RUN_NAME_FORMAT, retention


def _runs(first: datetime, days: int, per_day=(2,)) -> list[str]:
    return [(first + timedelta(days=day, hours=hour)).strftime(RUN_NAME_FORMAT)
            for day in range(days) for hour in per_day]


def test_retention_keeps_the_newest_run_of_each_of_the_latest_days():
    runs = _runs(datetime(2026, 12, 1, tzinfo=UTC), 10, per_day=(2, 14))

    deleted = retention(runs, keep_daily=7, keep_weekly=0)

    kept = sorted(set(runs) - set(deleted))
    assert kept == [f"2026-12-{day:02d}T140000Z" for day in range(4, 11)]


def test_retention_keeps_one_run_per_week_beyond_the_daily_ones():
    runs = _runs(datetime(2026, 10, 1, tzinfo=UTC), 70)  # 2026-10-01 … 2026-12-09, one run a day

    kept = sorted(set(runs) - set(retention(runs, keep_daily=7, keep_weekly=8)))

    daily = [f"2026-12-{day:02d}T020000Z" for day in range(3, 10)]
    # the newest run of each of the 8 latest ISO weeks: the week of 12-09 (its newest is 12-09, kept daily
    # already), then the Sundays before it
    sundays = [(datetime(2026, 12, 6) - timedelta(weeks=week)).strftime("%Y-%m-%dT020000Z") for week in range(7)]
    assert kept == sorted(set(daily) | set(sundays))
    assert len(kept) == 13  # 7 days, of which 12-06 is also a week's newest; 6 more Sundays


def test_retention_of_few_runs_deletes_nothing():
    runs = _runs(datetime(2026, 12, 1, tzinfo=UTC), 3)

    assert retention(runs, keep_daily=7, keep_weekly=8) == []


@pytest.mark.django_db
def test_prune_deletes_old_complete_runs_and_leaves_an_interrupted_one(settings, tmp_path):
    from operability.backups import list_runs, prune

    settings.STORAGES = {**settings.STORAGES, "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    runs = _runs(datetime(2026, 12, 1, tzinfo=UTC), 6)
    for name in runs:
        (tmp_path / name).mkdir()
        (tmp_path / name / "database.sqlite").write_bytes(b"x")
        (tmp_path / name / "manifest.json").write_text("{}")
    interrupted = "2026-12-07T020000Z"
    (tmp_path / interrupted).mkdir()
    (tmp_path / interrupted / "database.sqlite").write_bytes(b"x")  # no manifest: the run did not finish
    (tmp_path / "not-a-run").mkdir()

    deleted = prune(keep_daily=3, keep_weekly=0)

    assert deleted == ["2026-12-03T020000Z", "2026-12-02T020000Z", "2026-12-01T020000Z"]
    assert list_runs() == ["2026-12-04T020000Z", "2026-12-05T020000Z", "2026-12-06T020000Z", interrupted]
    assert sorted(path.name for path in tmp_path.iterdir()) == [*list_runs(), "not-a-run"]
