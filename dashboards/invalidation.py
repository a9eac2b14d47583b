"""Table generations: cached read results that go stale the moment a table they read is written.

Every database table has a generation (a random token in the cache). A cached result — a list's row
count, a dashboard section — is stored with the generations of the tables it read; a read whose
tables all still have those generations is served from the cache, any other recomputes. Nothing has
to remember to invalidate anything.

Generations move in an execute wrapper installed on every database connection (``install``, called by
``DashboardsConfig.ready``), not in ``post_save`` / ``post_delete`` receivers: ``QuerySet.update()``,
``bulk_create()`` and queryset deletes send no model signals, and the services use them (designations
are revoked with ``update()``, the importer bulk-creates memberships). The wrapper sees every INSERT,
UPDATE and DELETE the ORM sends, whichever path sent it. It holds no business logic: it only names the
table written.

A table's generation moves right after the statement (the writer's next read, in the same request or
the same test, is fresh) and again when the transaction commits: a reader that computed from the
committed rows between the two stored its result under the first generation, which the second retires.
Reads inside a transaction that is not a test's are never served from or stored in the cache (a
rollback would otherwise leave numbers nobody committed).

After a write, the first request for a retired result computes it again; requests for the same result that
arrive while it is being computed (in another process) get the previous one instead of computing it too,
and what they build on it is not kept. Without that, every worker recomputed the province's dashboard at
once after each write, and all of them queued behind (benchmarked: p95 1.1 s with a write every 2 s).
"""

import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# The ORM quotes table names; raw SQL written by hand may not. SQLite's ``bulk_create(ignore_conflicts=True)``
# and many-to-many ``add()`` send INSERT OR IGNORE INTO.
WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# A name after FROM/JOIN that is not a function call (PostgreSQL writes EXTRACT(YEAR FROM COALESCE(…))).
READ = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)\b"?(?!\s*\()', re.IGNORECASE)
# Written on every request or login attempt, and never read by a cached result.
UNWATCHED_PREFIXES = ("django_session", "axes_")
# Statements that write a watched table but only columns no cached result reads: Django's
# ``update_last_login`` on every sign-in (read only by the admin, which is never cached). Moving the users
# table's generation at each login would retire every cached response of every user.
UNWATCHED_STATEMENTS = ('UPDATE "accounts_user" SET "last_login" = %s WHERE "accounts_user"."id" = %s',)
KEY = "tablegen:{}"
# A name every cached result depends on besides its tables, moved by ``migrate`` (every deploy runs it): a
# new release's code, templates and translations never serve what the previous one computed and kept.
RELEASE = "__release__"
CACHED = "cached:{}"
# The table sets ``tables_read`` blocks are collecting into, innermost last (per thread).
_collecting = threading.local()


def tables_in(sql: str) -> frozenset[str]:
    """The tables a SELECT reads (its FROM and JOIN clauses, subqueries included)."""
    return frozenset(READ.findall(sql))


def _note(tables: Iterable[str]) -> None:
    """A cached result was served without its SQL: the enclosing ``tables_read`` blocks still depend on its
    tables."""
    for seen in getattr(_collecting, "sets", ()):
        seen.update(tables)


def generations(tables: Iterable[str]) -> dict[str, str]:
    """The current generation of each table (one cache round trip; a table never written yet gets one)."""
    keys = {KEY.format(table): table for table in tables}
    found = cache.get_many(keys)
    for key in keys.keys() - found.keys():
        cache.add(key, uuid.uuid4().hex, timeout=None)
        found[key] = cache.get(key)
    return {keys[key]: value for key, value in found.items()}


def bump(tables: Iterable[str]) -> None:
    """Give each table a new generation: every cached result that read it is now stale."""
    fresh = {KEY.format(table): uuid.uuid4().hex for table in tables}
    if not fresh:
        return
    try:
        cache.set_many(fresh, timeout=None)
    except Exception as error:  # a write must not fail because the cache is down; the TTLs bound what it misses
        logger.warning("could not move the generation of %s: %s", ", ".join(sorted(fresh)), error)


def _in_transaction(connection) -> bool:
    """Inside an atomic block other than the ones a test wraps around itself."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def remembered(name: str, tables: Iterable[str], compute: Callable, *, timeout: int, using: str = "default"):
    """``compute()``, or its result from the cache while none of ``tables`` has been written since."""
    if not settings.READ_CACHE or _in_transaction(connections[using]):
        return compute()
    tables = set(tables)
    _note(tables)  # the enclosing blocks' own results depend on RELEASE anyway
    tables = sorted(tables | {RELEASE})
    key = CACHED.format(hashlib.sha256(name.encode()).hexdigest())
    try:
        current = generations(tables)
        entry = cache.get(key)
    except Exception as error:
        logger.warning("cache unavailable (%s); computing without it", error)
        return compute()
    if entry is not None and entry[0] == current:
        return entry[1]
    computing = COMPUTING.format(key)
    if entry is not None and not _claim(computing):
        # Another process is computing this very result after a write. A second computation of the same
        # numbers at the same time on the same database would only slow both (a cold dashboard takes a
        # second at province scale): this request gets the previous result, one computation old, and the
        # responses built on it are not kept (PREVIOUS).
        _note([PREVIOUS])
        return entry[1]
    try:
        value = compute()
        try:
            cache.set(key, (current, value), timeout=timeout)
        except Exception as error:
            logger.warning("could not keep a result in the cache: %s", error)
    finally:
        if entry is not None:
            _release(computing)
    return value


COMPUTING = "computing:{}"
COMPUTING_SECONDS = 60  # a claim outlives no computation: a process that dies holding one is forgotten then
# Noted in the enclosing ``tables_read`` blocks when a result one computation old was served: what they
# compute from it is answered but not kept.
PREVIOUS = "__previous__"


def _claim(computing: str) -> bool:
    """Whether this process may compute (no other one is computing the same result now)."""
    try:
        return bool(cache.add(computing, 1, timeout=COMPUTING_SECONDS))
    except Exception:
        return True  # the cache is failing: compute, as without it


def _release(computing: str) -> None:
    try:
        cache.delete(computing)
    except Exception as error:
        logger.warning("could not release %s: %s", computing, error)


READS = "reads:{}"
# The tables each name was last known to read, per process: a hit then asks the cache for the result and
# those tables' generations at once. Only a hint: a result whose tables differ is looked up the long way.
_reads_seen: dict[str, frozenset] = {}
READS_SEEN_MAX = 20_000


def _hit(key: str, known: frozenset | None) -> tuple | None:
    """``(value,)`` when the result under ``key`` was stored with the current generations of ``known``."""
    if known is None:
        return None
    generation_keys = {KEY.format(table): table for table in known}
    try:
        found = cache.get_many([key, *generation_keys])
    except Exception:
        return None  # the long way logs it
    entry = found.get(key)
    if entry is None or entry[0].keys() != known:
        return None
    if any(found.get(generation_key) != entry[0][table] for generation_key, table in generation_keys.items()):
        return None
    _note(known)
    return (entry[1],)


def remembered_reads(name: str, compute: Callable, *, always: Iterable[str] = (), timeout: int,
                     using: str = "default"):
    """``compute()``, or its result from the cache while none of the tables it read has been written since.

    Unlike ``remembered``, the tables are not declared: they are learned from the SELECTs ``compute``
    runs (plus ``always``, for what it reads without SQL of its own, such as the requesting user's row).
    The first call only learns them; from the second on, their generations are read *before* computing,
    as ``remembered`` does, so that a write during the computation retires the result it stores. A
    computation that reads a table not known yet adds it and stores nothing that time. A hit costs one
    cache round trip (two when this process has not seen the name yet) and no SQL.
    """
    if not settings.READ_CACHE or _in_transaction(connections[using]):
        return compute()
    digest = hashlib.sha256(name.encode()).hexdigest()
    key, reads_key = CACHED.format(digest), READS.format(digest)
    hit = _hit(key, _reads_seen.get(digest))
    if hit is not None:
        return hit[0]
    try:
        found = cache.get_many([key, reads_key])
        known = found.get(reads_key)
        current = generations(known) if known is not None else None
        if known is not None:
            if len(_reads_seen) >= READS_SEEN_MAX:
                _reads_seen.clear()
            _reads_seen[digest] = known
    except Exception as error:
        logger.warning("cache unavailable (%s); computing without it", error)
        return compute()
    entry = found.get(key)
    if current is not None and entry is not None and entry[0] == current:
        _note(known)
        return entry[1]
    with tables_read(using) as seen:
        value = compute()
    if PREVIOUS in seen:  # computed from a result one computation old: answered, not kept
        _note([PREVIOUS])
        return value
    seen |= {*always, RELEASE}
    try:
        if known is not None and seen <= known:
            cache.set(key, (current, value), timeout=timeout)
        else:
            cache.set(reads_key, frozenset(seen | (known or set())), timeout=None)
    except Exception as error:
        logger.warning("could not keep a result in the cache: %s", error)
    return value


class _CommitBump:
    """The tables a transaction wrote, given new generations again when it commits."""

    def __init__(self):
        self.tables = set()

    def __call__(self):
        bump(self.tables)


def _table_written(connection, table: str) -> None:
    bump([table])
    if not connection.in_atomic_block:
        return  # autocommit: the bump above came after the commit
    pending = next((func for _sids, func, _robust in connection.run_on_commit if isinstance(func, _CommitBump)), None)
    if pending is None:
        pending = _CommitBump()
        connection.on_commit(pending, robust=True)
    pending.tables.add(table)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.lstrip()[:1] in ("I", "U", "D", "i", "u", "d"):
        written = WRITE.match(sql)
        if written and not written[1].startswith(UNWATCHED_PREFIXES) and sql not in UNWATCHED_STATEMENTS:
            _table_written(context["connection"], written[1])
    return result


def new_release(**kwargs) -> None:
    """``post_migrate`` receiver: every result kept before this deploy is stale."""
    bump([RELEASE])


def _install_on(connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch writes on every connection, present and future."""
    connection_created.connect(_install_on, dispatch_uid="dashboards.invalidation")
    for connection in connections.all(initialized_only=True):
        _install_on(connection)


@contextmanager
def tables_read(using: str = "default"):
    """Collect the tables the SELECTs in the block read (``remembered_reads`` learns its tables with it; tests
    check a cached result's declared tables)."""
    seen = set()

    def record(execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() in ("SELECT", "DECLAR", "WITH ("):
            seen.update(tables_in(sql))
        return execute(sql, params, many, context)

    sets = _collecting.__dict__.setdefault("sets", [])
    sets.append(seen)
    try:
        with connections[using].execute_wrapper(record):
            yield seen
    finally:
        sets.pop()  # blocks nest: the innermost ends first
