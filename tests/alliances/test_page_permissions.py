"""Who may open which alliance page, role by role. Another organisation's application is a 404 (never a 403
that would confirm it exists); roles that may see it but not change it get a 403 on the editing steps."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from alliances import services
from alliances.models import Membership
from tests.factories import UserFactory, eligible_alliance, member_user

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "chairman", "confirmed", "invited", "other_member", "officer", "department", "liaison",
         "expert", "district", "admin"]


@pytest.fixture
def world(member, other_member, officer, expert, department_reviewer, liaison, admin_user):
    alliance = eligible_alliance(chairman=member.organisation)
    agreement = services.upload_agreement(alliance, by=member, file=upload(pdf_bytes()))
    confirmed = member_user(alliance.memberships.filter(role=Membership.Role.MEMBER).first().organisation)
    invited = member_user()
    services.invite_member(alliance, by=member, credit_code=invited.organisation.credit_code)
    users = {
        "anonymous": None, "chairman": member, "confirmed": confirmed, "invited": invited,
        "other_member": other_member, "officer": officer, "department": department_reviewer, "liaison": liaison,
        "expert": expert, "district": UserFactory(roles=[Role.DISTRICT_REVIEWER]), "admin": admin_user,
    }
    return alliance, agreement, users


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    return response


def expect(client, users, url, expected: dict):
    found = {role: get(client, users[role], url).status_code for role in expected}
    assert found == expected, url


LOGIN = 302


def test_detail_page(client, world):
    alliance, _agreement, users = world
    expect(client, users, reverse("alliances:detail", args=[alliance.pk]), {
        "anonymous": LOGIN, "chairman": 200, "confirmed": 200, "invited": 200, "other_member": 404, "officer": 200,
        "department": 200, "liaison": 200, "expert": 404, "district": 404, "admin": 200,
    })


@pytest.mark.parametrize("number", range(1, 7))
def test_steps_of_a_draft(client, world, number):
    alliance, _agreement, users = world
    expect(client, users, reverse("alliances:step", args=[alliance.pk, number]), {
        "anonymous": LOGIN, "chairman": 200, "confirmed": 403, "invited": 403, "other_member": 404, "officer": 403,
        "department": 403, "liaison": 403, "expert": 404, "district": 404, "admin": 403,
    })


def test_steps_of_a_submitted_application_send_the_chairman_to_the_detail_page(client, world):
    alliance, _agreement, users = world
    services.submit_application(alliance, by=users["chairman"])
    response = get(client, users["chairman"], reverse("alliances:step", args=[alliance.pk, 1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("alliances:detail", args=[alliance.pk])
    response = client.post(reverse("alliances:step", args=[alliance.pk, 1]), {"name": "改名"})
    assert response.status_code == 302
    alliance.refresh_from_db()
    assert alliance.name != "改名"


def test_agreement_download(client, world):
    alliance, agreement, users = world
    expect(client, users, reverse("alliances:download_agreement", args=[alliance.pk, agreement.pk]), {
        "anonymous": LOGIN, "chairman": 200, "confirmed": 200, "invited": 404, "other_member": 404, "officer": 200,
        "department": 200, "liaison": 200, "expert": 404, "district": 404, "admin": 200,
    })


def test_version_diff(client, world):
    alliance, _agreement, users = world
    services.submit_application(alliance, by=users["chairman"])
    expect(client, users, reverse("alliances:diff_current", args=[alliance.pk, 1]), {
        "anonymous": LOGIN, "chairman": 200, "confirmed": 200, "invited": 404, "other_member": 404, "officer": 200,
        "department": 200, "liaison": 200, "expert": 404, "district": 404, "admin": 200,
    })


def test_create_page(client, world):
    _alliance, _agreement, users = world
    expect(client, users, reverse("alliances:create"), {
        "anonymous": LOGIN, "chairman": 200, "confirmed": 200, "invited": 200, "other_member": 200, "officer": 403,
        "department": 403, "liaison": 403, "expert": 403, "district": 403, "admin": 403,
    })


@pytest.mark.parametrize("name", ["alliances:list", "alliances:invitations"])
def test_lists_need_a_login_only(client, world, name):
    _alliance, _agreement, users = world
    expect(client, users, reverse(name), {role: LOGIN if role == "anonymous" else 200 for role in ROLES})


def test_list_shows_each_role_what_it_may_see(client, world):
    alliance, _agreement, users = world
    for role in ROLES[1:]:
        page = get(client, users[role], reverse("alliances:list")).content.decode()
        visible = role not in ("other_member", "expert", "district")
        assert (alliance.name in page) is visible, role


def test_bureau_sees_the_filters_and_member_sees_own_list_title(client, world):
    _alliance, _agreement, users = world
    assert "My alliances" in get(client, users["chairman"], reverse("alliances:list")).content.decode()
    officer_page = get(client, users["officer"], reverse("alliances:list")).content.decode()
    assert "<h1 class=\"h3 mb-0\">Alliances</h1>" in officer_page
    assert "New alliance application" not in officer_page


def test_export_follows_visibility(client, world):
    alliance, _agreement, users = world
    for role, visible in (("chairman", True), ("officer", True), ("other_member", False)):
        content = get(client, users[role], reverse("alliances:export", args=["csv"])).content.decode("utf-8-sig")
        assert (alliance.name in content) is visible, role


def test_unknown_export_format_is_404(client, world):
    _alliance, _agreement, users = world
    assert get(client, users["officer"], reverse("alliances:export", args=["pdf"])).status_code == 404


def test_edit_links_only_for_those_who_may_edit(client, world):
    alliance, _agreement, users = world
    step_url = reverse("alliances:step", args=[alliance.pk, 1])
    assert step_url in get(client, users["chairman"], reverse("alliances:detail", args=[alliance.pk])).content.decode()
    for role in ("confirmed", "invited", "officer"):
        page = get(client, users[role], reverse("alliances:detail", args=[alliance.pk])).content.decode()
        assert step_url not in page, role


def test_posting_to_a_step_is_refused_for_readers(client, world):
    alliance, _agreement, users = world
    for role in ("confirmed", "officer"):
        client.force_login(users[role])
        response = client.post(reverse("alliances:step", args=[alliance.pk, 6]))
        assert response.status_code == 403, role
    alliance.refresh_from_db()
    assert alliance.current_version == 0
