"""Submission freezes the application as an immutable numbered version; a bureau return allows edits, and the
resubmission becomes the next version; the differences between versions can be shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alliance_portal.core.errors import NotEligible
from alliances import services, versions
from alliances.errors import NotEditable
from alliances.models import (
    Alliance,
    AllianceAgreement,
    ApplicationVersion,
    Membership,
    StateTransition,
    WorkPlan,
)
from alliances.transitions import transition
from alliances.workflow import State
from reviews import services as reviews

from .conftest import invite_and_confirm, reload

pytestmark = pytest.mark.django_db


def return_to_applicant(alliance, officer):
    transition(alliance, action="start_screening", by=officer)
    reviews.return_for_revision(alliance, guidance={"work_plan": "请细化年度目标。"}, comment="请修改", by=officer)
    return reload(alliance)


def test_submission_freezes_version_one(eligible, member):
    record = services.submit_application(eligible, by=member)
    eligible.refresh_from_db()
    assert (eligible.state, eligible.current_version) == (State.SUBMITTED, 1)
    assert (record.action, record.version) == ("submit", 1)
    version = ApplicationVersion.objects.get(alliance=eligible)
    assert (version.number, version.submitted_by) == (1, member)
    snap = version.snapshot
    assert snap["basic"]["name"] == eligible.name
    assert snap["basic"]["chairman"]["credit_code"] == member.organisation.credit_code
    assert len(snap["members"]) == 4
    assert {m["status"] for m in snap["members"]} == {"confirmed"}
    assert {g["body"] for g in snap["governance"]} == {"council", "expert_committee"}
    assert snap["agreement"]["sha256"] == "0" * 64
    assert snap["work_plan"]["main_goals"] == "main_goals 内容"
    assert snap["targets"] == [{"year": 2027, "indicator": "发明专利申请", "target_value": "10", "unit": "项"}]
    assert snap["investment"] == [{"year": 2027, "source": "self_raised", "amount": "1200.5"}]


def test_snapshot_does_not_change_when_the_data_changes(eligible, member, officer):
    services.submit_application(eligible, by=member)
    frozen = ApplicationVersion.objects.get(alliance=eligible).snapshot
    alliance = return_to_applicant(eligible, officer)
    services.update_basic_info(alliance, by=member, changes={"name": "淄博市新材料产业联盟（修订）"})
    WorkPlan.objects.filter(alliance=alliance).update(main_goals="全新的目标")
    assert ApplicationVersion.objects.get(alliance=eligible, number=1).snapshot == frozen


def test_a_saved_version_cannot_be_changed(eligible, member):
    services.submit_application(eligible, by=member)
    version = ApplicationVersion.objects.get(alliance=eligible)
    version.snapshot = {"tampered": True}
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    assert ApplicationVersion.objects.get(pk=version.pk).snapshot != {"tampered": True}


def test_submitted_application_cannot_be_edited(eligible, member):
    services.submit_application(eligible, by=member)
    with pytest.raises(NotEditable, match="Submitted"):
        services.update_basic_info(eligible, by=member, changes={"name": "改名"})
    assert reload(eligible).name != "改名"


def test_second_click_does_not_make_a_second_version(eligible, member):
    services.submit_application(eligible, by=member)
    stale = Alliance.objects.get(pk=eligible.pk)
    stale.state = State.DRAFT  # a second tab still showing the draft
    assert services.submit_application(stale, by=member) is None
    assert ApplicationVersion.objects.filter(alliance=eligible).count() == 1


def test_failed_eligibility_submits_nothing(draft, member):
    with pytest.raises(NotEligible) as refused:
        services.submit_application(draft, by=member)
    assert len(refused.value.problems) == 10
    assert refused.value.message == "The application was not submitted: 10 checks failed."
    draft.refresh_from_db()
    assert (draft.state, draft.current_version) == (State.DRAFT, 0)
    assert not ApplicationVersion.objects.filter(alliance=draft).exists()
    assert not StateTransition.objects.filter(alliance=draft).exists()


def test_resubmission_after_return_makes_version_two(eligible, member, officer):
    services.submit_application(eligible, by=member)
    alliance = return_to_applicant(eligible, officer)
    assert alliance.state == State.RETURNED
    services.update_basic_info(alliance, by=member, changes={"output_targets": "五年内制定联盟标准5项"})
    services.update_work_plan(alliance, by=member, investments=[
        {"year": 2027, "source": "self_raised", "amount": Decimal("1500")},
        {"year": 2028, "source": "government", "amount": Decimal("300.25")},
    ])
    record = services.submit_application(alliance, by=member)
    alliance.refresh_from_db()
    assert (record.action, alliance.state, alliance.current_version) == ("resubmit", State.RESUBMITTED, 2)
    assert list(alliance.versions.values_list("number", flat=True)) == [1, 2]
    v2 = alliance.versions.get(number=2).snapshot
    assert v2["basic"]["output_targets"] == "五年内制定联盟标准5项"
    assert alliance.versions.get(number=1).snapshot["basic"]["output_targets"] != v2["basic"]["output_targets"]


def test_diff_shows_field_and_member_changes(eligible, member, officer):
    services.submit_application(eligible, by=member)
    alliance = return_to_applicant(eligible, officer)
    services.update_basic_info(alliance, by=member, changes={"output_targets": "五年内制定联盟标准5项"})
    leaving = alliance.memberships.filter(role=Membership.Role.MEMBER).first()
    services.remove_member(alliance, by=member, membership_id=leaving.pk)
    joined, _user = invite_and_confirm(alliance, member)
    services.update_work_plan(alliance, by=member, fields={"ip_rules": "知识产权归属按投入比例确定"})
    AllianceAgreement.objects.create(alliance=alliance, file="agreements/v2.pdf", original_name="协议（修订）.pdf",
                                     size=2048, sha256="1" * 64, pages=4)
    services.submit_application(alliance, by=member)

    sections = {s.title: s for s in versions.diff(alliance.versions.get(number=1).snapshot,
                                                  alliance.versions.get(number=2).snapshot)}
    [target_change] = sections["Basic information"].fields
    assert (target_change.label, target_change.new) == ("output targets", "五年内制定联盟标准5项")
    member_rows = {(row.kind, row.title.split("（")[0]) for row in sections["Member units"].rows}
    assert member_rows == {("changed", leaving.organisation.name), ("added", joined.organisation.name)}
    [status] = next(r for r in sections["Member units"].rows if r.kind == "changed").details
    assert (status.label, status.old, status.new) == ("status", "Confirmed", "Left")
    [ip] = sections["Work plan"].fields
    assert ip.new == "知识产权归属按投入比例确定"
    assert sections["Alliance agreement"].fields[0].new.startswith("协议（修订）.pdf")
    assert not sections["Governance"].changed


def test_diff_page_is_readable(client, eligible, member, officer):
    services.submit_application(eligible, by=member)
    alliance = return_to_applicant(eligible, officer)
    services.update_basic_info(alliance, by=member, changes={"output_targets": "五年内制定联盟标准5项"})
    services.submit_application(alliance, by=member)
    client.force_login(officer)
    response = client.get(reverse("alliances:diff", args=[alliance.pk, 1, 2]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changes from version 1 to version 2" in page
    assert "五年内制定联盟标准5项" in page
    assert "Output targets" in page
    detail = client.get(reverse("alliances:detail", args=[alliance.pk])).content.decode()
    assert reverse("alliances:diff", args=[alliance.pk, 1, 2]) in detail


def test_diff_against_the_current_draft(client, eligible, member, officer):
    services.submit_application(eligible, by=member)
    alliance = return_to_applicant(eligible, officer)
    services.update_work_plan(alliance, by=member, fields={"main_goals": "修订后的主要目标"})
    client.force_login(member)
    page = client.get(reverse("alliances:diff_current", args=[alliance.pk, 1])).content.decode()
    assert "Changes from version 1 to the current draft" in page
    assert "修订后的主要目标" in page


def test_diff_of_identical_versions_says_so(client, eligible, member):
    services.submit_application(eligible, by=member)
    client.force_login(member)
    page = client.get(reverse("alliances:diff_current", args=[eligible.pk, 1])).content.decode()
    assert "Nothing changed between these versions." in page


def test_diff_of_a_missing_version_is_404(client, eligible, member):
    services.submit_application(eligible, by=member)
    client.force_login(member)
    assert client.get(reverse("alliances:diff", args=[eligible.pk, 1, 7])).status_code == 404


def test_returned_application_shows_the_bureau_guidance_on_its_step(client, eligible, member, officer):
    services.submit_application(eligible, by=member)
    return_to_applicant(eligible, officer)
    client.force_login(member)
    page = client.get(reverse("alliances:step", args=[eligible.pk, 5])).content.decode()
    assert "请细化年度目标。" in page
    assert "请细化年度目标。" not in client.get(reverse("alliances:step", args=[eligible.pk, 1])).content.decode()
