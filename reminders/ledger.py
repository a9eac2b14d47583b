"""Writing ledger rows: many candidate reminders in one INSERT, keeping only those not there yet.

``bulk_create(ignore_conflicts=True)`` would do the insert, but it neither says which rows were new
(on any backend) nor stays one statement on SQLite (999 parameters per query). Instead the rows
travel as one JSON parameter that the database unpacks (``json_each`` on SQLite,
``json_to_recordset`` on PostgreSQL); ``ON CONFLICT DO NOTHING`` skips every natural key that
exists, and ``RETURNING`` gives the ids of exactly the rows this statement created. Two sweeps
inserting the same key at once: PostgreSQL makes the second wait for the first and then skip it.
"""

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection

from .models import Reminder


class Candidate(NamedTuple):
    """A reminder a sweep found due; its fields are the ledger's natural key."""

    subject_type: str
    subject_id: int
    kind: str
    due_date: date
    stage: str
    recipient_id: int


_COLUMNS = ("subject_type", "subject_id", "kind", "due_date", "stage", "recipient_id", "state", "attempts",
            "created_at")

_SQL = {
    "sqlite": (
        "INSERT INTO {table} ({columns}) "
        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), "
        "json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), %s, 0, %s "
        # "WHERE true" resolves SQLite's parsing ambiguity between a join's ON and the upsert clause.
        "FROM json_each(%s) WHERE true ON CONFLICT DO NOTHING RETURNING id"
    ),
    "postgresql": (
        "INSERT INTO {table} ({columns}) "
        "SELECT r.subject_type, r.subject_id, r.kind, r.due_date, r.stage, r.recipient_id, %s, 0, %s "
        "FROM json_to_recordset(%s::json) AS r(subject_type text, subject_id bigint, kind text, due_date date, "
        "stage text, recipient_id bigint) ON CONFLICT DO NOTHING RETURNING id"
    ),
}


def insert_new(candidates: Sequence[Candidate], *, now: datetime) -> list[int]:
    """Insert pending reminders for the candidates whose natural key is new; return their ids.

    One statement whatever the number of candidates. Must run inside the caller's transaction.
    """
    if not candidates:
        return []
    if connection.vendor == "postgresql":
        payload = json.dumps([
            {"subject_type": c.subject_type, "subject_id": c.subject_id, "kind": c.kind,
             "due_date": c.due_date.isoformat(), "stage": c.stage, "recipient_id": c.recipient_id}
            for c in candidates
        ])
    elif connection.vendor == "sqlite":
        payload = json.dumps([[c.subject_type, c.subject_id, c.kind, c.due_date.isoformat(), c.stage,
                               c.recipient_id] for c in candidates])
    else:  # pragma: no cover - the portal runs on SQLite (laptop) or PostgreSQL only
        raise NotImplementedError(f"reminder ledger insert is not written for {connection.vendor}")
    sql = _SQL[connection.vendor].format(
        table=connection.ops.quote_name(Reminder._meta.db_table),
        columns=", ".join(connection.ops.quote_name(column) for column in _COLUMNS),
    )
    created_at = Reminder._meta.get_field("created_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Reminder.State.PENDING, created_at, payload])
        return [row[0] for row in cursor.fetchall()]
