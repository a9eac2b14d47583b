"""Site-visit pages: scheduling from the officer's review page, the findings form, the joint review's view of
the discrepancies, attachments, and who may see what."""

import pytest
from django.urls import reverse

from alliances.models import Membership
from alliances.transitions import transition
from alliances.workflow import State
from site_visits import services
from site_visits.models import SiteVisit, SiteVisitAttachment
from tests.reviews.conftest import make_expert

from .conftest import ALL_MATCH, png_bytes, today, upload

pytestmark = pytest.mark.django_db

DISCREPANT = {**ALL_MATCH, "staff": (False, "现场研发人员仅12人，申报为45人。")}


def findings_post(checks, conclusion="discrepancies_found", summary="人员与申报不符。"):
    data = {"conclusion": conclusion, "summary": summary}
    for item, (verified, note) in checks.items():
        data[f"{item}_verified"] = "yes" if verified else "no"
        data[f"{item}_note"] = note
    return data


def test_officer_review_page_links_to_scheduling(client, scored, officer):
    client.force_login(officer)
    page = client.get(reverse("reviews:application", args=[scored.pk])).content.decode()
    assert reverse("site_visits:schedule", args=[scored.pk]) in page


def test_schedule_page_marks_conflicted_candidates_with_the_reason(client, scored, officer):
    unit = scored.memberships.exclude(organisation=scored.chairman).first().organisation
    conflicted = make_expert(affiliation=unit, name="冲突专家").user
    client.force_login(officer)
    response = client.get(reverse("site_visits:schedule", args=[scored.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    reasons = {c.user.pk: c.conflict for c in response.context["candidates"]}
    assert reasons[conflicted.pk] == f"The expert's organisation “{unit.name}” is a member unit of this alliance."
    assert reasons[officer.pk] is None


def test_schedule_refusal_keeps_what_was_typed(client, scored, officer):
    unit = scored.memberships.exclude(organisation=scored.chairman).first().organisation
    conflicted = make_expert(affiliation=unit, name="冲突专家").user
    client.force_login(officer)
    response = client.post(reverse("site_visits:schedule", args=[scored.pk]),
                           {"date": today().isoformat(), "place": "桓台县某工业园", "team": [conflicted.pk]},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    [error] = response.context["form"].non_field_errors()
    assert error == f"冲突专家: The expert's organisation “{unit.name}” is a member unit of this alliance."
    assert "桓台县某工业园" in response.content.decode()
    scored.refresh_from_db()
    assert scored.state == State.EXPERT_REVIEW


def test_schedule_and_record_findings_through_the_pages(client, scored, officer, visitor_expert):
    client.force_login(officer)
    response = client.post(reverse("site_visits:schedule", args=[scored.pk]),
                           {"date": today().isoformat(), "place": "张店区人民西路1号", "team": [visitor_expert.pk]})
    visit = SiteVisit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("site_visits:visit", args=[visit.pk])
    data = findings_post(DISCREPANT)
    data["attachments"] = [upload(png_bytes(), "研发中心.png")]
    response = client.post(reverse("site_visits:visit", args=[visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.conclusion) == ("concluded", "discrepancies_found")
    assert SiteVisitAttachment.objects.get().original_name == "研发中心.png"


def test_findings_form_errors_keep_the_page(client, scored, officer, visitor_expert):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    client.force_login(officer)
    response = client.post(reverse("site_visits:visit", args=[visit.pk]),
                           findings_post(DISCREPANT, conclusion="confirmed", summary="写好的小结"),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Some items did not match the application; the conclusion cannot be “confirmed”."]
    assert "写好的小结" in response.content.decode()
    data = findings_post(ALL_MATCH, conclusion="confirmed")
    data["attachments"] = [upload(b"MZ\x90\x00" + b"\x00" * 64, "照片.jpg")]
    response = client.post(reverse("site_visits:visit", args=[visit.pk]), data)
    assert response.status_code == 400
    assert "照片.jpg" in response.context["form"].non_field_errors()[0]
    visit.refresh_from_db()
    assert visit.status == "scheduled"


def test_discrepancies_are_shown_to_the_joint_review(client, scored, officer, visitor_expert, joint_reviewer):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found", summary="人员与申报不符。",
                             attachments=[upload(png_bytes(), "现场.png")], by=officer)
    transition(scored, action="send_to_joint_review", by=officer)
    client.force_login(joint_reviewer)
    response = client.get(reverse("reviews:opinion", args=[scored.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="site-visit"' in page
    assert "Discrepancies found" in page
    assert "现场研发人员仅12人，申报为45人。" in page
    attachment = SiteVisitAttachment.objects.get()
    assert reverse("site_visits:attachment", args=[attachment.pk]) in page
    download = client.get(reverse("site_visits:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == png_bytes()


def test_officer_sees_the_findings_on_the_review_page(client, scored, officer, visitor_expert):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found", summary="不符", by=officer)
    client.force_login(officer)
    response = client.get(reverse("reviews:application", args=[scored.pk]))
    page = response.content.decode()
    assert "现场研发人员仅12人，申报为45人。" in page
    actions = {step.action for step, _blocker in response.context["actions"]}
    assert {"send_to_joint_review", "reject"} <= actions
    assert response.context["may_return"]


def test_who_may_see_a_visit(client, scored, officer, visitor_expert, member, expert, department_reviewer):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    services.record_findings(visit, checks=ALL_MATCH, conclusion="confirmed", summary="一致",
                             attachments=[upload(png_bytes(), "现场.png")], by=officer)
    attachment = SiteVisitAttachment.objects.get()
    urls = [reverse("site_visits:visit", args=[visit.pk]), reverse("site_visits:attachment", args=[attachment.pk])]
    client.force_login(visitor_expert)  # on the team
    assert client.get(urls[0]).status_code == 200
    download = client.get(urls[1])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png_bytes()
    for outsider in (member, scored.applicant, expert, department_reviewer):  # not a joint reviewer's department
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404]


def test_forbidden_roles_cannot_schedule_or_record(client, scored, officer, visitor_expert, member):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    for user in (member, visitor_expert):
        client.force_login(user)
        assert client.get(reverse("site_visits:schedule", args=[scored.pk])).status_code == 403
    client.force_login(visitor_expert)
    response = client.post(reverse("site_visits:visit", args=[visit.pk]), findings_post(ALL_MATCH, "confirmed"))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == "scheduled"


def test_member_unit_officer_is_marked_on_the_schedule_page(client, scored, officer):
    from accounts.roles import Role
    from tests.factories import OrganisationFactory, UserFactory

    unit = OrganisationFactory()
    Membership.objects.create(alliance=scored, organisation=unit, status=Membership.Status.INVITED)
    seconded = UserFactory(roles=[Role.OFFICER], full_name="借调干部", organisation=unit)
    client.force_login(officer)
    response = client.get(reverse("site_visits:schedule", args=[scored.pk]), HTTP_ACCEPT_LANGUAGE="en")
    candidates = {c.user.pk: c for c in response.context["candidates"]}
    assert candidates[seconded.pk].role == "officer"
    assert "is a member unit of this alliance" in candidates[seconded.pk].conflict


def test_todo_counts_visits_awaiting_findings(scored, officer, visitor_expert):
    from alliance_portal.core.todo import collect

    services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    [item] = [i for i in collect(officer) if "site visit" in i.label]
    assert item.count == 1


def test_joint_review_reads_the_conclusion_in_chinese(client, scored, officer, visitor_expert, joint_reviewer):
    visit = services.schedule_visit(scored, date=today(), place="现场", team=[visitor_expert], by=officer)
    services.record_findings(visit, checks=DISCREPANT, conclusion="discrepancies_found", summary="不符", by=officer)
    transition(scored, action="send_to_joint_review", by=officer)
    client.force_login(joint_reviewer)
    page = client.get(reverse("reviews:opinion", args=[scored.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "发现不符" in page
    assert "研发人员" in page
    assert "实地考察" in page


def schedule_page_queries(client, alliance) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("site_visits:schedule", args=[alliance.pk]))
    assert response.status_code == 200
    return len(captured)


def test_schedule_page_query_count_does_not_grow_with_the_pool(client, scored, officer):
    from alliances.models import Organisation

    client.force_login(officer)
    unit = scored.memberships.exclude(organisation=scored.chairman).first().organisation
    for i in range(2):
        make_expert(name=f"专家甲{i}", affiliation=unit if i == 0 else None)
    few = schedule_page_queries(client, scored)
    for i in range(6):
        make_expert(name=f"专家乙{i}", affiliation=unit if i == 0 else Organisation.objects.first())
    many = schedule_page_queries(client, scored)
    assert few == many
