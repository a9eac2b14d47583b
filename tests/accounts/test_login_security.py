"""Sign-in security: lockout after repeated failures, audit with addresses, no enumeration, idle expiry."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import PASSWORD as GOOD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def person(db):
    return UserFactory(username="zhangwei", email="zhangwei@example.cn")


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_correct_password_signs_in_and_is_audited_with_the_address(client, person):
    response = _login(client, "zhangwei", GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = AuditEvent.objects.get(action="login", outcome=AuditEvent.Outcome.OK)
    assert (event.user, event.ip_address) == (person, "203.0.113.7")


def test_failed_login_is_audited_with_name_and_address(client, person):
    response = _login(client, "zhangwei", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    event = AuditEvent.objects.get(action="login", outcome=AuditEvent.Outcome.FAILED)
    assert (event.username, event.ip_address, event.user) == ("zhangwei", "203.0.113.7", None)


def test_five_failures_lock_the_account_even_for_the_right_password(client, person):
    for _ in range(5):
        _login(client, "zhangwei", "wrong")
    response = _login(client, "zhangwei", GOOD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    lockout = AuditEvent.objects.filter(action="lockout", outcome=AuditEvent.Outcome.REFUSED)
    assert lockout.exists()
    assert lockout.first().ip_address == "203.0.113.7"
    assert AuditEvent.objects.filter(action="login", outcome=AuditEvent.Outcome.OK).count() == 0


def test_five_failures_by_colleagues_behind_one_address_lock_nobody_else(client, person):
    """One office behind a NAT: five mistyped passwords of different people lock none of the others."""
    other = UserFactory(username="lina")
    for number in range(5):
        _login(client, f"colleague{number}", "wrong", ip="198.51.100.9")
    assert _login(client, other.username, GOOD, ip="198.51.100.9").status_code == 302


def test_fifty_failures_from_one_address_lock_the_address(client, person):
    other = UserFactory(username="lina")
    for number in range(50):
        _login(client, f"guess{number}", "wrong", ip="198.51.100.9")
    response = _login(client, other.username, GOOD, ip="198.51.100.9")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # another address is not affected
    assert _login(client, other.username, GOOD, ip="198.51.100.10").status_code == 302


def test_forty_nine_failures_from_one_address_do_not_lock_it(client, person):
    for number in range(49):
        _login(client, f"guess{number}", "wrong", ip="198.51.100.9")
    assert _login(client, "zhangwei", GOOD, ip="198.51.100.9").status_code == 302


def test_five_failures_of_one_name_lock_it_from_every_address(client, person):
    for number in range(5):
        _login(client, "zhangwei", "wrong", ip=f"198.51.100.{number + 1}")
    assert _login(client, "zhangwei", GOOD, ip="203.0.113.200").status_code == 429


def test_address_failures_older_than_the_cool_off_do_not_count(client, person):
    for number in range(50):
        _login(client, f"guess{number}", "wrong", ip="198.51.100.9")
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert _login(client, "zhangwei", GOOD, ip="198.51.100.9").status_code == 302


def test_lockout_ends_after_the_cool_off(client, person):
    for _ in range(5):
        _login(client, "zhangwei", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert _login(client, "zhangwei", GOOD).status_code == 302


def test_logout_is_audited(client, person):
    _login(client, "zhangwei", GOOD)
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.7")
    assert AuditEvent.objects.filter(action="logout", user=person, ip_address="203.0.113.7").exists()


def _without_csrf(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("password_reset"), {"email": email})
    done = client.get(posted["Location"])
    return posted, done


def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, person,
                                                                        django_capture_on_commit_callbacks):
    known_post, known_done = _reset(client, "zhangwei@example.cn", django_capture_on_commit_callbacks)
    unknown_post, unknown_done = _reset(client, "nobody@example.cn", django_capture_on_commit_callbacks)
    assert (known_post.status_code, known_post["Location"]) == (unknown_post.status_code, unknown_post["Location"])
    assert known_post.content == unknown_post.content
    # identical pages, apart from the per-response masking of the CSRF token (in the language form)
    assert _without_csrf(known_done) == _without_csrf(unknown_done)
    assert "如果您输入的邮箱地址对应一个账号" in known_done.content.decode()
    assert [message.to for message in mail.outbox] == [["zhangwei@example.cn"]]


def test_password_reset_link_sets_a_new_password(client, person, django_capture_on_commit_callbacks):
    _reset(client, "zhangwei@example.cn", django_capture_on_commit_callbacks)
    [email] = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", email.body)[1]
    form_page = client.get(link, follow=True)
    new = "Another-long-passphrase-2026"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(new)
    assert AuditEvent.objects.filter(action="password_reset", user=person).exists()


def test_password_change_applies_validators(client, person):
    client.force_login(person)
    response = client.post(reverse("password_change"), {
        "old_password": GOOD, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    new = "Another-long-passphrase-2026"
    response = client.post(reverse("password_change"), {
        "old_password": GOOD, "new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_change_done")
    assert AuditEvent.objects.filter(action="password_changed", user=person).exists()


def test_idle_session_expires_after_thirty_minutes(client, person, clock_driven_cache):
    client.force_login(person)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get("/").context["user"] == person
    # the request at minute 20 renewed the session: at minute 45 it is 25 minutes idle, still valid
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert client.get("/").context["user"] == person
    with time_machine.travel(start + timedelta(minutes=76), tick=False):
        response = client.get(reverse("organisation_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_used_session_is_written_at_most_once_a_minute(client, person, clock_driven_cache,
                                                          django_assert_num_queries):
    from django.contrib.sessions.models import Session

    client.force_login(person)
    start = timezone.now()

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        client.get("/")
        renewed = expiry()
    assert renewed == start + timedelta(minutes=35)
    with time_machine.travel(start + timedelta(minutes=5, seconds=30), tick=False):
        client.get("/")
    assert expiry() == renewed  # within the minute: not written again
    with time_machine.travel(start + timedelta(minutes=6, seconds=1), tick=False):
        client.get("/")
    assert expiry() == start + timedelta(minutes=36, seconds=1)


def test_password_validators_are_djangos(settings):
    names = [validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"]
