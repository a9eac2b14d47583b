"""Another organisation's application is a 404 on every page that names it: detail, steps, download, diff."""

import pytest
from django.urls import reverse

from alliances import services
from tests.factories import eligible_alliance

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_member):
    """An application of another organisation, submitted once, with an uploaded agreement."""
    alliance = eligible_alliance(chairman=other_member.organisation)
    agreement = services.upload_agreement(alliance, by=other_member, file=upload(pdf_bytes()))
    services.submit_application(alliance, by=other_member)
    return alliance, agreement


@pytest.fixture
def foreign_draft(other_member, sector):
    return services.create_alliance(by=other_member, name="别家的草稿联盟", sector=sector)


def urls(alliance, agreement=None):
    found = [reverse("alliances:detail", args=[alliance.pk])]
    found += [reverse("alliances:step", args=[alliance.pk, number]) for number in range(1, 7)]
    if agreement is not None:
        found.append(reverse("alliances:download_agreement", args=[alliance.pk, agreement.pk]))
        found.append(reverse("alliances:diff_current", args=[alliance.pk, 1]))
    return found


def test_every_page_of_another_organisations_application_is_404(client, member, foreign):
    client.force_login(member)
    for url in urls(*foreign):
        response = client.get(url)
        assert response.status_code == 404, url
        assert foreign[0].name not in response.content.decode()


def test_another_organisations_draft_is_404(client, member, foreign_draft):
    client.force_login(member)
    for url in urls(foreign_draft):
        assert client.get(url).status_code == 404, url


def test_posting_to_another_organisations_draft_is_404_and_changes_nothing(client, member, foreign_draft):
    client.force_login(member)
    response = client.post(reverse("alliances:step", args=[foreign_draft.pk, 1]), {"name": "被篡改"})
    assert response.status_code == 404
    foreign_draft.refresh_from_db()
    assert foreign_draft.name == "别家的草稿联盟"


def test_a_missing_alliance_is_404(client, member):
    client.force_login(member)
    assert client.get(reverse("alliances:detail", args=[99999])).status_code == 404
