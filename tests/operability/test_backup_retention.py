from datetime import UTC, datetime, timedelta

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
