"""A member unit signs up in the browser: organisation, platforms, enterprise figures, first user."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from alliances.models import Organisation, RDPlatform
from notifications.models import Notification
from tests.factories import OrganisationFactory, UserFactory

from .conftest import PASSWORD, signup_data

pytestmark = pytest.mark.django_db
URL = "/accounts/signup/"
User = get_user_model()


def test_signup_page_has_every_section(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("section-organisation", "section-enterprise", "section-platforms", "section-account"):
        assert f'id="{section}"' in html
    assert 'name="platforms-TOTAL_FORMS"' in html
    assert "js/accounts.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_signup_creates_pending_organisation_and_admin_user(client, officer, django_capture_on_commit_callbacks):
    data = signup_data(**{"org-credit_code": " 91350100m000100y43 "})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")

    unit = Organisation.objects.get()
    assert unit.credit_code == "91350100M000100Y43"  # normalised: upper case, no spaces
    assert unit.verification == Organisation.Verification.PENDING
    assert (unit.is_high_tech, unit.rd_staff, unit.rd_spending, unit.revenue) == (
        True, 86, Decimal("1250.50"), Decimal("35600"))
    assert unit.phone == "0533-2345678"
    assert list(unit.platforms.values_list("kind", "level", "name")) == [
        ("enterprise_centre", "provincial", "山东省先进陶瓷企业技术中心")]

    user = User.objects.get(username="wangfang")
    assert user.organisation == unit
    assert user.is_org_admin
    assert user.has_role(Role.MEMBER)
    assert user.check_password(PASSWORD)
    assert user.phone == "13905331234"

    event = AuditEvent.objects.get(action="organisation_registered")
    assert (event.user, event.object_id, event.ip_address) == (user, str(unit.pk), "127.0.0.1")
    [notification] = Notification.objects.filter(recipient=officer)
    assert unit.name in notification.title
    assert notification.url == reverse("organisation_detail", args=[unit.pk])


def test_signup_logs_in_and_says_the_organisation_awaits_verification(client):
    response = client.post(URL, signup_data(), follow=True)
    assert response.context["user"].username == "wangfang"
    html = response.content.decode()
    assert "注册已提交，等待审核" in html
    assert "淄博华光陶瓷科技有限公司" in html


def test_signup_without_platforms_is_accepted(client):
    data = signup_data(**{"platforms-TOTAL_FORMS": "0", "platforms-0-kind": None, "platforms-0-level": None,
                          "platforms-0-name": None})
    assert client.post(URL, data).status_code == 302
    assert not RDPlatform.objects.exists()


def test_empty_added_platform_row_is_ignored(client):
    data = signup_data(**{"platforms-TOTAL_FORMS": "2", "platforms-1-kind": "", "platforms-1-level": "",
                          "platforms-1-name": ""})
    assert client.post(URL, data).status_code == 302
    assert RDPlatform.objects.count() == 1


def test_university_signup_stores_no_enterprise_figures(client):
    data = signup_data(**{"org-kind": "university", "org-rd_staff": "-5", "org-revenue": "", "org-rd_spending": ""})
    assert client.post(URL, data).status_code == 302
    unit = Organisation.objects.get()
    assert (unit.is_high_tech, unit.rd_staff, unit.rd_spending, unit.revenue) == (False, None, None, None)


def _errors(response, form):
    return response.context[form].errors


def test_bad_credit_code_names_the_problem(client):
    response = client.post(URL, signup_data(**{"org-credit_code": "91350100M000100Y44"}))
    assert response.status_code == 200
    [message] = _errors(response, "organisation_form")["credit_code"]
    # the expected and the typed check character are both named
    assert "“3”" in message
    assert "“4”" in message
    assert not Organisation.objects.exists()
    assert not User.objects.filter(username="wangfang").exists()


def test_short_credit_code_names_its_length(client):
    response = client.post(URL, signup_data(**{"org-credit_code": "9135010"}))
    [message] = _errors(response, "organisation_form")["credit_code"]
    assert "18" in message
    assert "7" in message


def test_duplicate_credit_code_is_refused_with_a_clear_message(client):
    existing = OrganisationFactory()
    response = client.post(URL, signup_data(**{"org-credit_code": existing.credit_code.lower()}))
    assert response.status_code == 200
    [message] = _errors(response, "organisation_form")["credit_code"]
    assert "已注册" in message  # Chinese by default: "already registered"
    assert Organisation.objects.count() == 1


def test_duplicate_credit_code_race_is_reported_beside_the_field(client, monkeypatch):
    """The form's check passed, but another sign-up won the race: the database refuses, the page explains."""
    data = signup_data()
    from accounts import forms

    monkeypatch.setattr(forms.OrganisationSignupForm, "clean_credit_code", lambda self: self.cleaned_data["credit_code"])
    monkeypatch.setattr(forms.OrganisationSignupForm, "validate_unique", lambda self: None)
    OrganisationFactory(credit_code=data["org-credit_code"])
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "已注册" in _errors(response, "organisation_form")["credit_code"][0]
    assert not User.objects.filter(username="wangfang").exists()


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("org-phone", "2345678", "0533-1234567"),
    ("org-phone", "05331234567", "0533-1234567"),
    ("account-phone", "0533-2345678", "11"),
    ("account-phone", "1390533123", "11"),
])
def test_bad_phone_is_refused_beside_its_field(client, field, value, fragment):
    response = client.post(URL, signup_data(**{field: value}))
    form, name = ("organisation_form", "phone") if field.startswith("org") else ("account_form", "phone")
    [message] = _errors(response, form)[name]
    assert fragment in message
    assert not Organisation.objects.exists()


def test_landline_and_mobile_forms_are_normalised(client):
    response = client.post(URL, signup_data(**{"org-phone": "(0533) 2345678", "account-phone": "+86 139 0533 1234"}))
    assert response.status_code == 302
    assert Organisation.objects.get().phone == "0533-2345678"
    assert User.objects.get(username="wangfang").phone == "13905331234"


def test_password_mismatch_is_refused(client):
    response = client.post(URL, signup_data(**{"account-password2": PASSWORD + "x"}))
    assert _errors(response, "account_form")["password2"] == ["两次输入的密码不一致。"]
    assert not Organisation.objects.exists()


def test_weak_password_gets_django_validator_messages(client):
    response = client.post(URL, signup_data(**{"account-password1": "12345678", "account-password2": "12345678"}))
    messages = _errors(response, "account_form")["password1"]
    assert len(messages) >= 2  # too short, too common, entirely numeric
    assert not Organisation.objects.exists()


def test_password_like_the_user_name_is_refused(client):
    response = client.post(URL, signup_data(**{"account-username": "huaguang2026x",
                                                "account-password1": "huaguang2026x",
                                                "account-password2": "huaguang2026x"}))
    assert "password1" in _errors(response, "account_form")


@pytest.mark.parametrize("field", ["org-rd_staff", "org-rd_spending", "org-revenue"])
def test_negative_enterprise_figures_are_refused(client, field):
    response = client.post(URL, signup_data(**{field: "-1"}))
    name = field.removeprefix("org-")
    [message] = _errors(response, "organisation_form")[name]
    assert "0" in message
    assert not Organisation.objects.exists()


def test_enterprise_must_give_its_figures(client):
    response = client.post(URL, signup_data(**{"org-rd_spending": ""}))
    assert "rd_spending" in _errors(response, "organisation_form")


def test_money_with_too_many_decimals_is_refused(client):
    response = client.post(URL, signup_data(**{"org-revenue": "12.34567"}))
    assert "revenue" in _errors(response, "organisation_form")


def test_duplicate_user_name_is_refused(client):
    UserFactory(username="WangFang")
    response = client.post(URL, signup_data())
    assert "username" in _errors(response, "account_form")
    assert not Organisation.objects.exists()


def test_platform_row_needs_type_and_level(client):
    response = client.post(URL, signup_data(**{"platforms-0-level": ""}))
    assert response.context["platforms"].errors[0]["level"]
    assert not Organisation.objects.exists()


def test_everything_typed_is_kept_on_error_except_passwords(client):
    data = signup_data(**{"org-credit_code": "91350100M000100Y44"})
    response = client.post(URL, data)
    html = response.content.decode()
    for key in ("org-name", "org-address", "org-contact_person", "org-email", "org-rd_spending", "platforms-0-name",
                "account-username", "account-full_name", "account-email", "account-phone"):
        assert f'value="{data[key]}"' in html, key
    assert 'value="91350100M000100Y44"' in html
    assert 'value="enterprise" id="id_org-kind_0" checked' in html
    assert PASSWORD not in html
    # the error is beside its field: the credit-code input is marked invalid and described by its message
    assert 'aria-describedby="id_org-credit_code_error' in html or 'id="id_org-credit_code_error"' in html
    [credit_input] = re.findall(r'<input[^>]*name="org-credit_code"[^>]*>', html)
    assert "is-invalid" in credit_input


def test_error_page_keeps_the_enterprise_section_hidden_for_a_university(client):
    response = client.post(URL, signup_data(**{"org-kind": "university", "org-credit_code": "bad"}))
    html = response.content.decode()
    assert 'class="card mb-4 d-none" id="enterprise-figures"' in html


def test_signed_in_user_is_sent_home(client, member):
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
