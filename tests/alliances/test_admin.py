"""Everything is in Django admin too, searchable and filterable; consent and frozen versions stay untouchable."""

import pytest
from django.urls import reverse

from alliances import services
from alliances.models import (
    Alliance,
    AllianceAgreement,
    ApplicationVersion,
    GovernanceMember,
    Membership,
    Organisation,
    WorkPlan,
)

pytestmark = pytest.mark.django_db

MODELS = [Alliance, Membership, GovernanceMember, WorkPlan, AllianceAgreement, ApplicationVersion, Organisation]


@pytest.fixture
def submitted(eligible, member):
    services.submit_application(eligible, by=member)
    return eligible


@pytest.mark.parametrize("model", MODELS)
def test_changelists_search_and_filter(admin_client, submitted, model):
    url = reverse(f"admin:alliances_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"q": submitted.name[:6]})
    assert response.status_code == 200
    assert response.context["cl"].search_fields
    assert response.context["cl"].has_filters or model is GovernanceMember


def test_alliance_changelist_filters_by_district_of_the_chairman(admin_client, submitted):
    url = reverse("admin:alliances_alliance_changelist")
    response = admin_client.get(url, {"chairman__district__id__exact": submitted.chairman.district_id})
    assert submitted.name in response.content.decode()


def test_alliance_change_page_opens(admin_client, submitted):
    response = admin_client.get(reverse("admin:alliances_alliance_change", args=[submitted.pk]))
    assert response.status_code == 200


def test_version_is_read_only_in_admin(admin_client, submitted):
    version = ApplicationVersion.objects.get(alliance=submitted)
    change = reverse("admin:alliances_applicationversion_change", args=[version.pk])
    page = admin_client.get(change).content.decode()
    assert submitted.name in page
    admin_client.post(change, {"number": 9})
    version.refresh_from_db()
    assert version.number == 1
    assert admin_client.get(reverse("admin:alliances_applicationversion_add")).status_code == 403
    assert admin_client.post(reverse("admin:alliances_applicationversion_delete", args=[version.pk]),
                             {"post": "yes"}).status_code == 403
    assert ApplicationVersion.objects.filter(pk=version.pk).exists()


def test_membership_status_cannot_be_set_in_admin(admin_client, draft):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    response = admin_client.post(reverse("admin:alliances_membership_add"), {
        "alliance": draft.pk, "organisation": organisation.pk, "role": "member", "status": "confirmed",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(alliance=draft, organisation=organisation)
    assert membership.status == Membership.Status.INVITED


def test_agreements_cannot_be_added_in_admin_without_the_checks(admin_client):
    assert admin_client.get(reverse("admin:alliances_allianceagreement_add")).status_code == 403
