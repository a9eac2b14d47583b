"""Every list endpoint runs the same number of SQL queries at 10 and at 200 rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from alliances.models import ApplicationVersion, Membership, Organisation, RDPlatform
from notifications.models import Notification
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, member_user

from .conftest import session_client, token_client

LISTS = [
    "/api/v1/sectors/", "/api/v1/districts/", "/api/v1/organisations/", "/api/v1/alliances/",
    "/api/v1/memberships/", "/api/v1/applications/", "/api/v1/notifications/",
]


def _grow(rows: int, officer, member):
    """Add ``rows`` alliances (with a member and a version), units and notifications for both users."""
    for n in range(rows):
        chairman = member.organisation if n % 2 else OrganisationFactory()
        RDPlatform.objects.create(organisation=chairman, kind=RDPlatform.Kind.KEY_LAB, level=RDPlatform.Level.NATIONAL)
        alliance = AllianceFactory(chairman=chairman)
        Membership.objects.create(alliance=alliance, organisation=OrganisationFactory(kind=Organisation.Kind.INSTITUTE),
                                  status=Membership.Status.CONFIRMED)
        ApplicationVersion.objects.create(alliance=alliance, number=1, snapshot={"n": n})
        for user in (officer, member):
            Notification.objects.create(recipient=user, kind="test", title=f"通知{n}")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, (url, response.content)
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(db):
    officer = UserFactory(roles=[Role.OFFICER])
    member = member_user()
    clients = {"officer": session_client(officer), "member": session_client(member), "token": token_client(officer)}
    _grow(10, officer, member)
    small = {(who, url): _queries(client, url) for who, client in clients.items() for url in LISTS}
    _grow(190, officer, member)
    large = {(who, url): _queries(client, url) for who, client in clients.items() for url in LISTS}
    assert large == small
