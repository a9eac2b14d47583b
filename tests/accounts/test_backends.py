"""Model permissions are loaded for staff accounts only: the portal's own permissions are rules."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from tests.factories import UserFactory


def _grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)  # a fresh instance: no permission cache


def test_a_staff_account_keeps_the_model_permissions_the_admin_gave_it(db):
    staff = _grant(UserFactory(is_staff=True), "view_sector")
    assert staff.has_perm("alliances.view_sector")


def test_other_accounts_ask_the_rules_only_and_load_no_model_permissions(db):
    officer = _grant(UserFactory(roles=[Role.OFFICER]), "view_sector")
    with CaptureQueriesContext(connection) as queries:
        assert not officer.has_perm("alliances.view_sector")
    assert not any("auth_permission" in query["sql"] for query in queries.captured_queries)
    assert officer.has_perm("alliances.view_all_alliances")  # a rule
