"""The ageing-friendly mode (长者模式): the header's switch, remembered on the user once signed in and in the
session before; the page comes back in the mode, and the switch can only send people back to this site."""

import pytest

pytestmark = pytest.mark.django_db
SWITCH = "/accounts/display-mode/"


def _html_tag(response) -> str:
    html = response.content.decode()
    return html[html.index("<html"):html.index(">", html.index("<html")) + 1]


def test_signed_in_user_switches_it_on_and_it_is_kept_on_the_user(client, member):
    client.force_login(member)
    assert 'class="large-print"' not in _html_tag(client.get("/"))

    response = client.post(SWITCH, {"large_print": "true", "next": "/alliances/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/alliances/?page=2"
    member.refresh_from_db()
    assert member.large_print is True
    page = client.get("/")
    assert 'class="large-print"' in _html_tag(page)
    assert 'aria-pressed="true"' in page.content.decode()


def test_the_choice_follows_the_user_to_a_new_session(client, member):
    member.large_print = True
    member.save(update_fields=["large_print"])
    client.force_login(member)
    assert 'class="large-print"' in _html_tag(client.get("/"))

    client.post(SWITCH, {"large_print": "false", "next": "/"})

    member.refresh_from_db()
    assert member.large_print is False
    assert 'class="large-print"' not in _html_tag(client.get("/"))


def test_anonymous_visitor_keeps_it_for_the_session(client):
    response = client.post(SWITCH, {"large_print": "true", "next": "/calls/"})

    assert response["Location"] == "/calls/"
    assert 'class="large-print"' in _html_tag(client.get("/accounts/login/"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "x" * 2001])
def test_switch_never_sends_people_off_the_site(client, target):
    response = client.post(SWITCH, {"large_print": "true", "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_bare_word_for_next_is_a_plain_address_not_a_500(client):
    response = client.post(SWITCH, {"large_print": "true", "next": "OZ"})

    assert response.status_code == 302
    assert response["Location"] == "OZ"


def test_switch_only_answers_post(client):
    assert client.get(SWITCH).status_code == 405
