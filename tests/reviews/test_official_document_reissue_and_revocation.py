"""A reissue (a correction, a demonstration upgrade) issues a new certificate and keeps the old one, superseded;
a revocation marks the certificate revoked. Nothing issued is ever deleted."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted, WorkflowError
from alliances.models import Alliance
from alliances.transitions import transition
from alliances.workflow import State
from reviews import documents, services
from reviews.models import Designation, OfficialDocument
from tests.factories import AllianceFactory, member_user

pytestmark = pytest.mark.django_db
Status = OfficialDocument.Status


@pytest.fixture
def alliance():
    alliance = AllianceFactory(name="淄博先进陶瓷产业技术创新战略联盟")
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PILOT)
    return alliance


@pytest.fixture
def pilot(alliance, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.designate(alliance, level=Designation.Level.PILOT, by=officer)


def _certificates(alliance):
    return list(OfficialDocument.objects.filter(alliance=alliance).order_by("pk")
                .values_list("number", "status", "superseded_by", "status_reason"))


def test_correction_issues_a_new_certificate_and_supersedes_the_old(pilot, officer,
                                                                    django_capture_on_commit_callbacks):
    first = OfficialDocument.objects.get(designation=pilot)
    with django_capture_on_commit_callbacks(execute=True):
        second = documents.reissue_certificate(pilot, reason="联盟名称更正", by=officer)

    assert _certificates(pilot.alliance) == [
        (pilot.certificate_number, Status.SUPERSEDED, second.pk, "联盟名称更正"),
        (pilot.certificate_number, Status.VALID, None, ""),
    ]
    assert second.reason == "联盟名称更正"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status_changed_at == second.issued_at
    assert first.file.name != second.file.name
    assert first.sha256
    assert second.sha256
    assert documents.current_certificate(pilot) == second
    assert AuditEvent.objects.filter(action="issue_certificate", object_id=str(second.pk)).exists()


def test_demonstration_certificate_supersedes_the_pilot_certificate(pilot, officer):
    demonstration = services.designate(pilot.alliance, level=Designation.Level.DEMONSTRATION, by=officer)

    assert _certificates(pilot.alliance) == [
        (pilot.certificate_number, Status.SUPERSEDED, demonstration.documents.get().pk,
         f"Replaced by certificate {demonstration.certificate_number}"),
        (demonstration.certificate_number, Status.VALID, None, ""),
    ]


def test_revocation_marks_the_certificate_revoked(pilot, officer):
    services.revoke_designations(pilot.alliance, reason="未按期整改", by=officer)

    certificate = OfficialDocument.objects.get(designation=pilot)
    assert (certificate.status, certificate.status_reason) == (Status.REVOKED, "未按期整改")
    pilot.refresh_from_db()
    assert certificate.status_changed_at == pilot.revoked_at


def test_revoke_transition_revokes_the_certificate(pilot, officer):
    alliance = pilot.alliance
    Alliance.objects.filter(pk=alliance.pk).update(state=State.RECTIFICATION)
    alliance.refresh_from_db()
    transition(alliance, action="revoke", by=officer, comment="整改不合格，撤销认定。")
    assert OfficialDocument.objects.get(designation=pilot).status == Status.REVOKED


def test_restored_pilot_gets_a_certificate_again(pilot, officer):
    alliance = pilot.alliance
    demonstration = services.designate(alliance, level=Designation.Level.DEMONSTRATION, by=officer)
    Alliance.objects.filter(pk=alliance.pk).update(state=State.REASSESSMENT)
    alliance.refresh_from_db()

    transition(alliance, action="restore_pilot", by=officer, comment="整改到位，恢复试点。")

    assert [(d.designation_id, d.status) for d in OfficialDocument.objects.filter(alliance=alliance).order_by("pk")] \
        == [(pilot.pk, Status.SUPERSEDED), (demonstration.pk, Status.REVOKED), (pilot.pk, Status.VALID)]


def test_only_officers_reissue_and_a_reason_is_required(pilot, officer):
    with pytest.raises(NotPermitted):
        documents.reissue_certificate(pilot, reason="更正", by=member_user(organisation=pilot.alliance.chairman))
    with pytest.raises(WorkflowError):
        documents.reissue_certificate(pilot, reason="  ", by=officer)
    pilot.revoked_at = pilot.designated_at
    pilot.save(update_fields=["revoked_at"])
    with pytest.raises(WorkflowError):
        documents.reissue_certificate(pilot, reason="更正", by=officer)
    assert OfficialDocument.objects.filter(designation=pilot).count() == 1


def test_reissue_over_http_by_officer_only(client, pilot, officer):
    url = reverse("reviews:certificate_reissue", args=[pilot.pk])
    client.force_login(member_user(organisation=pilot.alliance.chairman))
    assert client.post(url, {"reason": "更正"}).status_code == 403
    client.force_login(officer)
    response = client.post(url, {"reason": "证书编号更正"})
    assert response.status_code == 302
    assert OfficialDocument.objects.filter(designation=pilot, status=Status.VALID).get().reason == "证书编号更正"
    assert OfficialDocument.objects.filter(designation=pilot).count() == 2
