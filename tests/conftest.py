import os
import shutil

import pytest
from django.conf import settings

from accounts.roles import Role
from alliance_portal.celery import app as celery_app

from .e2e.a11y import terminal_summary as a11y_summary
from .factories import OrganisationFactory, UserFactory, member_user


def pytest_configure(config):
    # CI must test against the real servers: a missing DATABASE_URL there is a failure, not a skip.
    if os.environ.get("CI") and not os.environ.get("DATABASE_URL"):
        raise pytest.UsageError("CI runs need DATABASE_URL (PostgreSQL); refusing to fall back to SQLite.")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the serialized test-database contents visible from every context, not only this one.

    Django keeps them on the connection object, and connection objects are per context: Playwright's
    sync API runs browser tests in another one, where the attribute is missing, so the flush after a
    browser test re-created content types and the next restore collided with them. One database
    alias, so the wrapper class can carry the contents for all of its instances.
    """
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(scope="session", autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the worker tests start real workers explicitly."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is the production hasher (tested in tests/foundation); tests hash thousands of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test starts with an empty cache of its own.

    In CI the cache is the real Redis, shared by the parallel workers: each worker gets its own key
    prefix, and its keys are removed before every test (never FLUSHDB: that would hit the others).
    """
    from django.core.cache import cache

    if settings.REDIS_URL:
        prefix = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        try:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
    else:
        cache.clear()


@pytest.fixture
def clock_driven_cache(settings):
    """A local cache for tests that move the clock with time-machine: Redis expires keys on its own
    clock, which time-machine cannot move (sessions would outlive a travelled-over idle timeout)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "clock-driven"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _calendar_beyond_the_bundled_years(request):
    """Tests that open a notice "today" must not depend on the wall clock: for the years after the last one
    chinese-calendar knows, a database test gets weekday-only calendar years (a bureau enters the State Council's
    days there). Tests of the calendar itself opt out with ``@pytest.mark.real_calendar``."""
    wants_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not wants_db or request.node.get_closest_marker("real_calendar"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from chinese_calendar.constants import holidays

    from alliance_portal.workdays.models import CalendarYear

    last_known = max(day.year for day in holidays)
    for year in range(last_known + 1, last_known + 3):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "tests: weekdays only"})


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def member(db):
    """A member-unit user (organisation admin) of a verified enterprise."""
    return member_user()


@pytest.fixture
def other_member(db):
    """A member-unit user of another, unrelated organisation."""
    return member_user()


@pytest.fixture
def officer(db):
    return UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")


@pytest.fixture
def expert(db):
    return UserFactory(roles=[Role.EXPERT], full_name="专家 陈教授")


@pytest.fixture
def department_reviewer(db):
    return UserFactory(roles=[Role.DEPARTMENT_REVIEWER])


@pytest.fixture
def liaison(db):
    return UserFactory(roles=[Role.LIAISON])


@pytest.fixture
def admin_user(db):
    return UserFactory(roles=[Role.ADMIN], is_staff=True, is_superuser=True)


@pytest.fixture
def using_postgres():
    if not settings.USING_POSTGRES:
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://… (CI does).")
    return True


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _serialize_every_transactional_test(items) -> None:
    """Every transactional test restores the migrated reference data (groups, sectors, districts, default
    configuration) at its start. It has to be all of them: the flush after a test without serialized
    rollback re-creates content types, and the next serialized restore then collides with them."""
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


def pytest_collection_modifyitems(config, items):
    _serialize_every_transactional_test(items)
    _deselect_unavailable(config, items)


_DESELECTED = pytest.StashKey[dict]()


def _absent() -> dict[str, str]:
    """Marker → what this machine lacks for the tests carrying it (nothing under CI, where all must run)."""
    if os.environ.get("CI"):
        return {}
    absent = {}
    if not settings.USING_POSTGRES:
        absent["postgres"] = "PostgreSQL (set DATABASE_URL=postgres://…)"
    if not os.path.exists("/usr/bin/chromium"):
        absent["e2e"] = "a browser (Debian: apt install chromium)"
    if not settings.REDIS_URL:
        absent["celery_worker"] = "a Redis worker (set REDIS_URL)"
    if shutil.which("dot") is None:
        absent["graphviz"] = "Graphviz's dot, to build the diagram (Debian: apt install graphviz)"
    return absent


def _deselect_unavailable(config, items):
    """Outside CI, tests that need PostgreSQL, a browser, a Redis worker or Graphviz are deselected (never
    skipped) when those are absent; ``pytest_terminal_summary`` names each missing thing with its count, on
    the xdist controller too (workers collect, so they send their counts up in ``workeroutput``). In CI
    they always run and fail if a server is missing."""
    absent = _absent()
    if not absent:
        return
    kept, dropped, counts = [], [], {}
    for item in items:
        needs = [marker for marker in absent if item.get_closest_marker(marker)]
        for marker in needs:
            counts[absent[marker]] = counts.get(absent[marker], 0) + 1
        (dropped if needs else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        summary = {"total": len(dropped), "by_need": counts}
        config.stash[_DESELECTED] = summary
        if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the line
            config.workeroutput["deselected_for_absence"] = summary


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist controller: every worker collects the whole suite, so any one worker's counts are the run's."""
    summary = getattr(node, "workeroutput", {}).get("deselected_for_absence")
    if summary:
        node.config.stash[_DESELECTED] = summary


def _deselection_line(config) -> str | None:
    summary = config.stash.get(_DESELECTED, None)
    if not summary:
        return None
    needs = "; ".join(f"{count} need {need}" for need, count in sorted(summary["by_need"].items()))
    return f"deselected {summary['total']} tests this machine cannot run: {needs} (CI=true runs them all)"


def pytest_terminal_summary(terminalreporter):
    """What was deselected for lack of a server, browser or program (one line), then what the resilience
    scenarios tried.

    The resilience scenarios (tests/resilience) say what they tried and what held, as user properties of
    their reports: shown here, on the controller too, so that CI's log carries the figures."""
    lines = [value for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call"
             for name, value in getattr(report, "user_properties", ()) if name == "resilience"]
    if line := _deselection_line(terminalreporter.config):
        terminalreporter.write_line(line, yellow=True, bold=True)
    a11y_summary(terminalreporter)
    if lines:
        terminalreporter.section("resilience: what was tried and what held")
        for line in lines:
            terminalreporter.write_line(line)
