"""One account per email address, whatever its case (issue 18, finding 7): sign-up and adding a colleague
refuse a taken address beside the field, the database refuses it too, and the migration leaves existing
duplicates on the oldest account only, recording what it cleared."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from accounts import services
from accounts.errors import RegistrationConflict
from accounts.models import AuditEvent, User
from alliances.models import Organisation
from tests.factories import UserFactory

from .conftest import signup_data

pytestmark = pytest.mark.django_db
TAKEN = "该邮箱地址已有账号使用。如果是您的账号，请直接登录或重置密码；否则请使用其他邮箱地址。"


def test_signup_with_an_address_taken_in_another_case_is_refused_beside_the_field(client):
    UserFactory(email="WangFang@HuaGuang.example.cn")
    response = client.post("/accounts/signup/", signup_data(**{"account-email": "wangfang@huaguang.example.cn"}))
    assert response.status_code == 200
    assert response.context["account_form"].errors["email"] == [TAKEN]
    assert not Organisation.objects.exists()
    assert User.objects.filter(email__iexact="wangfang@huaguang.example.cn").count() == 1


def test_adding_a_colleague_with_a_taken_address_is_refused(client, member):
    UserFactory(email="lisi@example.cn")
    client.force_login(member)
    response = client.post("/accounts/colleagues/add/", {
        "username": "lisi", "full_name": "李四", "email": "LISI@example.cn", "phone": "13912345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [TAKEN]
    assert not User.objects.filter(username="lisi").exists()


def test_the_service_reports_a_race_lost_on_the_address(member):
    UserFactory(email="lisi@example.cn")
    with pytest.raises(RegistrationConflict) as conflict:
        services.add_colleague(by=member, username="lisi", full_name="李四", email="Lisi@Example.cn",
                               base_url="http://testserver")
    assert (conflict.value.field, conflict.value.message) == ("email", TAKEN)


def test_database_refuses_a_second_account_with_the_address():
    UserFactory(email="zhang@example.cn")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="zhang2", email="ZHANG@example.cn")


def test_accounts_without_an_address_are_not_duplicates():
    UserFactory(email="")
    UserFactory(email="")
    assert User.objects.filter(email="").count() == 2


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_address_on_the_oldest_account_and_records_the_others():
    migration = importlib.import_module("accounts.migrations.0005_one_account_per_email")
    [constraint] = User._meta.constraints
    with connection.schema_editor() as editor:  # the database as it was before the migration
        editor.remove_constraint(User, constraint)
    try:
        first = UserFactory(email="shared@example.cn")
        second = UserFactory(email="SHARED@example.cn")
        third = UserFactory(email="own@example.cn")
        migration.clear_duplicate_emails(apps, None)
    finally:
        User.objects.filter(email__iexact="shared@example.cn").exclude(pk=first.pk).update(email="")
        with connection.schema_editor() as editor:
            editor.add_constraint(User, constraint)
    emails = dict(User.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "email"))
    assert emails == {first.pk: "shared@example.cn", second.pk: "", third.pk: "own@example.cn"}
    event = AuditEvent.objects.get(action="email_cleared_duplicate")
    assert (event.object_id, event.detail) == (str(second.pk), {"email": "SHARED@example.cn", "kept_by": first.pk})
