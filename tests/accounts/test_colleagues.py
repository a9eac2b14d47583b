"""Organisation admins list, add (with a set-password link) and deactivate colleagues."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.errors import AccountsError, NotPermitted
from accounts.models import AuditEvent, User
from accounts.roles import Role

from .conftest import PASSWORD, plain_member

pytestmark = pytest.mark.django_db
LIST = "/accounts/colleagues/"
ADD = "/accounts/colleagues/add/"


def _add(client, **overrides):
    data = {"username": "lisi", "full_name": "李四", "email": "lisi@example.cn", "phone": "13912345678"}
    data.update(overrides)
    return client.post(ADD, data)


def test_admin_lists_colleagues_of_own_organisation_only(client, member, other_member):
    colleague = plain_member(member.organisation, full_name="张三")
    client.force_login(member)
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(response.context["colleagues"]) == {member, colleague}
    html = response.content.decode()
    assert "张三" in html
    assert other_member.username not in html


def test_non_admin_member_gets_403(client, member):
    colleague = plain_member(member.organisation)
    client.force_login(colleague)
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert _add(client).status_code == 403
    assert not User.objects.filter(username="lisi").exists()


def test_officer_without_organisation_gets_403(client, officer):
    client.force_login(officer)
    assert client.get(LIST).status_code == 403


def test_adding_a_colleague_emails_a_link_that_sets_the_password(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client)
    assert response.status_code == 302
    colleague = User.objects.get(username="lisi")
    assert colleague.organisation == member.organisation
    assert colleague.has_role(Role.MEMBER)
    assert not colleague.is_org_admin
    assert not colleague.has_usable_password()
    assert AuditEvent.objects.filter(action="colleague_added", user=member, object_id=str(colleague.pk)).exists()

    [email] = mail.outbox
    assert email.to == ["lisi@example.cn"]
    assert member.organisation.name in email.subject
    link = re.search(r"http://testserver(/accounts/welcome/\S+/)", email.body)[1]

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)
    assert client.get(reverse("home")).context["user"] == colleague  # signed in straight away
    # the link works once
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_duplicate_user_name_is_refused_beside_the_field(client, member):
    client.force_login(member)
    response = _add(client, username=member.username.upper())
    assert "username" in response.context["form"].errors
    assert 'value="李四"' in response.content.decode()


def test_bad_mobile_is_refused(client, member):
    client.force_login(member)
    response = _add(client, phone="0533-1234567")
    assert "phone" in response.context["form"].errors


def test_admin_deactivates_and_reactivates_a_colleague(client, member):
    colleague = plain_member(member.organisation)
    client.force_login(member)
    url = reverse("colleague_set_active", args=[colleague.pk])
    client.post(url, {"active": "0"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert AuditEvent.objects.filter(action="colleague_deactivated", object_id=str(colleague.pk)).exists()
    client.post(url, {"active": "1"})
    colleague.refresh_from_db()
    assert colleague.is_active


def test_deactivated_colleague_is_signed_out(client, member):
    colleague = plain_member(member.organisation)
    client.force_login(colleague)
    assert client.get(reverse("organisation_profile")).status_code == 200
    services.set_colleague_active(colleague, by=member, active=False)
    assert client.get(reverse("organisation_profile")).status_code == 302


def test_colleague_of_another_organisation_is_404(client, member, other_member):
    client.force_login(member)
    response = client.post(reverse("colleague_set_active", args=[other_member.pk]), {"active": "0"})
    assert response.status_code == 404
    other_member.refresh_from_db()
    assert other_member.is_active


def test_admin_cannot_deactivate_themself(client, member):
    client.force_login(member)
    response = client.post(reverse("colleague_set_active", args=[member.pk]), {"active": "0"}, follow=True)
    assert "不能停用您自己的账号。" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_services_refuse_non_admins(member):
    plain = plain_member(member.organisation)
    with pytest.raises(NotPermitted):
        services.add_colleague(by=plain, username="x", full_name="x", email="x@example.cn", base_url="http://x/")
    with pytest.raises(NotPermitted):
        services.set_colleague_active(member, by=plain, active=False)
    with pytest.raises(AccountsError):
        services.set_colleague_active(member, by=member, active=False)
