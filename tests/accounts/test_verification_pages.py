"""The bureau's member-unit list and detail pages, per role."""

import pytest
from django.urls import reverse

from alliances.models import Organisation, RDPlatform
from tests.factories import OrganisationFactory, district, member_user

pytestmark = pytest.mark.django_db
Verification = Organisation.Verification
LIST = "/accounts/organisations/"


def _names(response):
    return [organisation.name for organisation in response.context["page_obj"]]


def test_list_shows_pending_organisations_by_default(client, officer):
    OrganisationFactory(name="待审甲", verification=Verification.PENDING)
    OrganisationFactory(name="已审乙", verification=Verification.VERIFIED)
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["待审甲"]
    html = response.content.decode()
    assert "共1家单位" in html
    assert "操作" in html  # the actions column
    assert reverse("organisation_detail", args=[Organisation.objects.get(name="待审甲").pk]) in html


def test_list_filters_by_kind_district_and_search(client, officer):
    OrganisationFactory(name="淄川高校", kind="university", district=district("370302"), verification="verified")
    OrganisationFactory(name="张店企业", kind="enterprise", district=district("370303"), verification="verified",
                        credit_code="91370303MA3C6XU48A")
    OrganisationFactory(name="张店研究院", kind="institute", district=district("370303"), verification="pending")
    client.force_login(officer)
    assert _names(client.get(LIST, {"verification": "", "kind": "university"})) == ["淄川高校"]
    by_district = client.get(LIST, {"verification": "", "district": district("370303").pk, "sort": "name"})
    assert sorted(_names(by_district)) == ["张店企业", "张店研究院"]
    assert _names(client.get(LIST, {"verification": "", "q": "研究"})) == ["张店研究院"]
    assert _names(client.get(LIST, {"verification": "", "q": "ma3c6xu"})) == ["张店企业"]
    assert _names(client.get(LIST, {"verification": "verified", "district": district("370303").pk})) == ["张店企业"]


def test_list_sorts_by_column_both_ways(client, officer):
    for name in ("乙单位", "甲单位", "丙单位"):
        OrganisationFactory(name=name, verification="pending")
    client.force_login(officer)
    ascending = _names(client.get(LIST, {"sort": "credit_code"}))
    descending = _names(client.get(LIST, {"sort": "-credit_code"}))
    assert ascending == list(reversed(descending))
    codes = [o.credit_code for o in client.get(LIST, {"sort": "credit_code"}).context["page_obj"]]
    assert codes == sorted(codes)
    # an unknown column falls back to the default order, never a 500
    assert client.get(LIST, {"sort": "password"}).status_code == 200


def test_list_paginates_and_keeps_filters_in_links(client, officer):
    for number in range(23):
        OrganisationFactory(name=f"单位{number:02d}", verification="pending", kind="enterprise")
    client.force_login(officer)
    first = client.get(LIST, {"kind": "enterprise", "sort": "name"})
    assert len(first.context["page_obj"]) == 20
    html = first.content.decode()
    assert "共23家单位" in html
    assert "?kind=enterprise&amp;sort=name&amp;page=2" in html
    second = client.get(LIST, {"kind": "enterprise", "sort": "name", "page": 2})
    assert _names(second) == ["单位20", "单位21", "单位22"]


def _add_organisations(count):
    for _ in range(count):
        organisation = OrganisationFactory(verification="pending")
        RDPlatform.objects.create(organisation=organisation, kind="key_lab", level="national")
        member_user(organisation=organisation)


def _queries_for_list(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"verification": "", "sort": "district"})
    assert response.status_code == 200
    return len(captured), len(response.context["page_obj"])


def test_list_query_count_does_not_grow_with_rows(client, officer):
    """5 and 50 organisations (each with a platform and a user) cost the same number of queries."""
    client.force_login(officer)
    _add_organisations(5)
    client.get(LIST)  # warm per-process caches (content types, translations)
    few, shown_few = _queries_for_list(client)
    _add_organisations(45)
    many, shown_many = _queries_for_list(client)
    assert (shown_few, shown_many) == (5, 20)
    assert few == many
    assert many <= 15  # session, user, roles, menu, filter choices, count, one page query, session save


@pytest.mark.parametrize("who", ["member", "expert", "department_reviewer", "liaison"])
def test_list_and_detail_are_forbidden_to_other_roles(request, client, who, pending_organisation):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("organisation_detail", args=[pending_organisation.pk])).status_code == 403
    response = client.post(reverse("organisation_verify", args=[pending_organisation.pk]))
    assert response.status_code == 403
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.PENDING


def test_anonymous_visitor_is_sent_to_login(client, pending_organisation):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_detail_shows_all_data_platforms_users_and_history(client, officer, pending_member):
    organisation = pending_member.organisation
    RDPlatform.objects.create(organisation=organisation, kind="key_lab", level="provincial", name="山东省陶瓷重点实验室")
    client.force_login(officer)
    response = client.get(reverse("organisation_detail", args=[organisation.pk]))
    html = response.content.decode()
    for text in (organisation.name, organisation.credit_code, organisation.address, organisation.contact_person,
                 organisation.phone, organisation.email, "山东省陶瓷重点实验室", pending_member.username,
                 "审核通过", "按此理由驳回"):
        assert text in html, text


def test_detail_of_a_missing_organisation_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("organisation_detail", args=[999999])).status_code == 404


def test_verify_button_verifies_and_says_so(client, officer, pending_organisation):
    client.force_login(officer)
    response = client.post(reverse("organisation_verify", args=[pending_organisation.pk]), follow=True)
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.VERIFIED
    assert f"“{pending_organisation.name}”已审核通过。" in response.content.decode()


def test_reject_without_reason_shows_the_error_beside_the_field(client, officer, pending_organisation):
    client.force_login(officer)
    response = client.post(reverse("organisation_reject", args=[pending_organisation.pk]), {"note": ""})
    assert response.status_code == 200
    assert response.context["reject_form"].errors["note"] == ["请填写驳回理由，该单位将看到此内容。"]
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.PENDING


def test_reject_with_reason_shows_it_in_the_history(client, officer, pending_organisation):
    client.force_login(officer)
    response = client.post(reverse("organisation_reject", args=[pending_organisation.pk]),
                           {"note": "营业执照名称与填写不符"}, follow=True)
    pending_organisation.refresh_from_db()
    assert pending_organisation.verification == Verification.REJECTED
    html = response.content.decode()
    assert "已驳回" in html
    assert "营业执照名称与填写不符" in html


def test_illegal_step_becomes_a_message_not_an_error_page(client, officer):
    organisation = OrganisationFactory(verification=Verification.VERIFIED)
    client.force_login(officer)
    response = client.post(reverse("organisation_reject", args=[organisation.pk]), {"note": "理由"}, follow=True)
    assert response.status_code == 200
    assert "现在不能驳回" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.verification == Verification.VERIFIED


def test_verify_needs_post(client, officer, pending_organisation):
    client.force_login(officer)
    assert client.get(reverse("organisation_verify", args=[pending_organisation.pk])).status_code == 405
