"""A unified social credit code is stored in one spelling (upper case, no spaces) whichever path writes it,
so a code registered in the admin in lower case blocks the upper-case sign-up (issue 18, finding 2)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from alliances.models import Organisation
from tests.factories import OrganisationFactory, district, make_credit_code

from .conftest import signup_data

pytestmark = pytest.mark.django_db


def _admin_change_data(unit, **overrides):
    data = {
        "name": unit.name, "kind": unit.kind, "credit_code": unit.credit_code, "address": unit.address,
        "district": str(unit.district_id), "contact_person": unit.contact_person, "phone": unit.phone,
        "email": unit.email, "verification": unit.verification, "created_at_0": "2026-01-05",
        "created_at_1": "09:00:00", "platforms-TOTAL_FORMS": "0", "platforms-INITIAL_FORMS": "0",
        "platforms-MIN_NUM_FORMS": "0", "platforms-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_admin_saves_a_lower_case_code_upper_case(admin_client):
    unit = OrganisationFactory()
    code = make_credit_code()
    url = reverse("admin:alliances_organisation_change", args=[unit.pk])
    response = admin_client.post(url, _admin_change_data(unit, credit_code=f" {code.lower()[:9]} {code.lower()[9:]}"))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    unit.refresh_from_db()
    assert unit.credit_code == code


def test_signup_with_the_other_spelling_of_an_admin_code_is_refused(client, admin_client):
    unit = OrganisationFactory()
    code = make_credit_code()
    admin_client.post(reverse("admin:alliances_organisation_change", args=[unit.pk]),
                      _admin_change_data(unit, credit_code=code.lower()))
    response = client.post("/accounts/signup/", signup_data(**{"org-credit_code": code}))
    assert response.status_code == 200
    assert response.context["organisation_form"].errors["credit_code"] == [
        "该统一社会信用代码已注册过单位。如果您是该单位员工，请联系本单位管理员为您添加账号。"]
    assert list(Organisation.objects.values_list("credit_code", flat=True)) == [code]


def test_service_and_import_writes_store_the_normalised_code():
    code = make_credit_code()
    unit = Organisation.objects.create(
        name="淄博大写测试有限公司", kind=Organisation.Kind.ENTERPRISE, credit_code=f"{code.lower()} ",
        address="张店区", district=district(), contact_person="张伟", phone="13800000000", email="a@example.cn")
    unit.refresh_from_db()
    assert unit.credit_code == code
    assert Organisation.objects.get(credit_code=code.lower()) == unit


def test_full_clean_normalises_before_checking_uniqueness():
    unit = OrganisationFactory()
    twin = OrganisationFactory.build(credit_code=unit.credit_code.lower(), district=unit.district)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.message_dict["credit_code"] == ["已有单位使用该统一社会信用代码注册。"]


def test_database_refuses_a_lower_case_code_written_around_the_model():
    unit = OrganisationFactory()
    table = Organisation._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, kind, credit_code, legal_representative, address, district_id, "  # noqa: S608
            "contact_person, phone, email, is_high_tech, verification, verification_note, created_at) "
            "VALUES (%s, 'enterprise', %s, '', '', %s, '', '', '', false, 'pending', '', %s)",
            ["孪生单位", unit.credit_code.lower(), unit.district_id, unit.created_at],
        )
