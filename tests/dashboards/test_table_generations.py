"""Table generations move on every write, whichever way it is sent, and again when the transaction commits."""

import hashlib

import pytest
from django.db import connection, transaction

from dashboards import invalidation
from notifications.models import Notification
from tests.factories import PASSWORD, AllianceFactory, UserFactory


def _generation(table):
    return invalidation.generations([table])[table]


def test_a_save_moves_the_generation_of_its_table_only(db):
    before = invalidation.generations(["alliances_alliance", "notifications_notification"])
    AllianceFactory()
    after = invalidation.generations(["alliances_alliance", "notifications_notification"])
    assert after["alliances_alliance"] != before["alliances_alliance"]
    assert after["notifications_notification"] == before["notifications_notification"]


def test_raw_sql_writes_move_the_generation_too(db):
    user = UserFactory()
    before = _generation("notifications_notification")
    with connection.cursor() as cursor:
        cursor.execute("  update notifications_notification set title = title where recipient_id = %s", [user.pk])
    assert _generation("notifications_notification") != before


@pytest.mark.django_db(transaction=True)
def test_the_generation_moves_again_when_the_transaction_commits(monkeypatch):
    user = UserFactory()
    moved = []
    real_bump = invalidation.bump
    monkeypatch.setattr(invalidation, "bump", lambda tables: (moved.append(sorted(tables)), real_bump(tables)))
    with transaction.atomic():
        Notification.objects.create(recipient=user, kind="test", title="一")
        Notification.objects.create(recipient=user, kind="test", title="二")
        assert moved == [["notifications_notification"]] * 2  # after each statement
    assert moved[2:] == [["notifications_notification"]]  # and once more at the commit


def test_a_remembered_result_is_recomputed_after_a_write(db):
    calls = []

    def compute():
        calls.append(1)
        return Notification.objects.count()

    def remembered():
        return invalidation.remembered("test|notifications", ["notifications_notification"], compute, timeout=60)

    assert remembered() == 0
    assert remembered() == 0
    assert len(calls) == 1
    Notification.objects.create(recipient=UserFactory(), kind="test", title="三")
    assert remembered() == 1
    assert len(calls) == 2


def test_sessions_are_not_watched(db):
    before = _generation("django_session")
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM "django_session" WHERE 1 = 0')
    assert _generation("django_session") == before


def test_tables_read_are_names_not_functions():
    sql = ('SELECT EXTRACT(YEAR FROM COALESCE("projects_project"."approved_on", NOW())) FROM "projects_project" '
           'INNER JOIN "alliances_alliance" ON (1 = 1) WHERE EXISTS (SELECT 1 FROM reviews_designation U0)')
    assert invalidation.tables_in(sql) == {"projects_project", "alliances_alliance", "reviews_designation"}


def test_a_sign_in_does_not_move_the_users_generation_but_a_profile_change_does(db, client):
    user = UserFactory(username="wangfang")
    before = _generation("accounts_user")
    response = client.post("/accounts/login/", {"username": "wangfang", "password": PASSWORD})  # writes last_login
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert _generation("accounts_user") == before
    user.full_name = "王芳"
    user.save(update_fields=["full_name"])
    assert _generation("accounts_user") != before


def test_many_to_many_adds_move_the_generation_on_every_database(db):
    """SQLite sends INSERT OR IGNORE INTO for ``add()`` (PostgreSQL: INSERT … ON CONFLICT DO NOTHING)."""
    from django.contrib.auth.models import Group

    user = UserFactory()
    before = _generation("accounts_user_groups")
    user.groups.add(Group.objects.create(name="test-group"))
    assert _generation("accounts_user_groups") != before
    assert invalidation.WRITE.match('INSERT OR IGNORE INTO "accounts_user_groups" ("user_id") VALUES (%s)')[1] == (
        "accounts_user_groups")


def test_while_another_process_computes_a_retired_result_the_previous_one_is_served_and_not_kept(db):
    """Single flight: after a write, one process recomputes; the others answer with the previous result (one
    computation old) meanwhile, and what they build on it is not kept."""
    from django.core.cache import cache

    calls = []

    def count():
        calls.append(1)
        return Notification.objects.count()

    def remembered():
        return invalidation.remembered("test|single-flight", ["notifications_notification"], count, timeout=60)

    assert remembered() == 0
    Notification.objects.create(recipient=UserFactory(), kind="test", title="四")
    key = invalidation.CACHED.format(hashlib.sha256(b"test|single-flight").hexdigest())
    computing = invalidation.COMPUTING.format(key)
    assert cache.add(computing, 1, timeout=60)  # another process is computing it now
    outer_calls = []

    def response():
        outer_calls.append(1)
        return remembered()

    assert invalidation.remembered_reads("test|response", response, timeout=60) == 0  # previous, not kept
    assert invalidation.remembered_reads("test|response", response, timeout=60) == 0
    assert len(calls) == 1
    assert len(outer_calls) == 2  # the response built on the previous result was computed each time
    cache.delete(computing)  # the other process is done (here: it never stored anything)
    assert remembered() == 1  # computed now
    assert len(calls) == 2
    assert cache.get(computing) is None  # released after computing
