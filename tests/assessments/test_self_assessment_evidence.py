"""Papers filed with the self-assessment (the sealed report, the questionnaire, supporting evidence): attached
with the draft in the same form, checked like every upload, seen by the alliance, the bureau and the experts
asked to score it; another organisation gets a 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from accounts.models import AuditEvent
from alliance_portal.core.errors import IllegalTransition, NotPermitted
from assessments import services
from assessments.models import SelfAssessmentAttachment

from .conftest import fill_self_assessment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _draft(report, **extra):
    target = report.target_achievements.get()
    return {"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1", "targets-0-id": str(target.pk),
            "targets-0-achieved_value": "5", "targets-0-note": "", "achievements": "突破三项关键技术", "save": "1",
            **extra}


def _url(assessment):
    return reverse("assessments:self_assessment", args=[assessment.pk])


def _checked(name, content, content_type="application/pdf"):
    upload = SimpleUploadedFile(name, content)
    upload.checked_content_type = content_type
    return upload


def test_the_chairman_attaches_the_sealed_report_with_the_draft(client, open_round, chairman):
    client.force_login(chairman)
    report = open_round.self_assessment
    response = client.post(_url(open_round), _draft(report, **{
        "evidence-kind": "sealed_report", "evidence-description": "盖章版",
        "evidence-files": [SimpleUploadedFile("自评报告（盖章）.pdf", _pdf())]}))
    assert response.status_code == 302
    row = SelfAssessmentAttachment.objects.get()
    assert (row.kind, row.original_name, row.content_type, row.description, row.uploaded_by) == (
        "sealed_report", "自评报告（盖章）.pdf", "application/pdf", "盖章版", chairman)
    assert row.file.name.startswith(f"assessments/{open_round.pk}/")
    report.refresh_from_db()
    assert report.achievements == "突破三项关键技术"  # the draft was saved with it
    page = client.get(_url(open_round)).content.decode()
    assert reverse("assessments:self_assessment_evidence", args=[row.pk]) in page
    assert AuditEvent.objects.filter(action="self_assessment_evidence_added").count() == 1


def test_saving_without_files_attaches_nothing(client, open_round, chairman):
    client.force_login(chairman)
    response = client.post(_url(open_round), _draft(open_round.self_assessment))
    assert response.status_code == 302
    assert not SelfAssessmentAttachment.objects.exists()


def test_a_refused_file_keeps_everything_typed_and_saves_nothing(client, open_round, chairman):
    client.force_login(chairman)
    report = open_round.self_assessment
    response = client.post(_url(open_round), _draft(report, **{
        "evidence-kind": "supporting", "evidence-description": "佐证",
        "evidence-files": [SimpleUploadedFile("程序.exe", b"MZ\x90\x00" + b"\0" * 60)]}))
    assert response.status_code == 200
    errors = response.context["evidence_form"].errors["files"]
    assert errors[0].startswith("程序.exe: ")
    page = response.content.decode()
    assert "突破三项关键技术" in page
    assert 'value="supporting" selected' in page
    assert 'value="佐证"' in page
    report.refresh_from_db()
    assert report.achievements == ""
    assert not SelfAssessmentAttachment.objects.exists()


def test_files_without_a_kind_are_refused(client, open_round, chairman):
    client.force_login(chairman)
    response = client.post(_url(open_round), _draft(open_round.self_assessment, **{
        "evidence-files": [SimpleUploadedFile("问卷.pdf", _pdf())]}))
    assert response.context["evidence_form"].errors["kind"]
    assert not SelfAssessmentAttachment.objects.exists()


def test_too_large_a_file_is_refused(client, open_round, chairman, settings):
    settings.PROJECT_UPLOAD_MAX_BYTES = 100
    client.force_login(chairman)
    response = client.post(_url(open_round), _draft(open_round.self_assessment, **{
        "evidence-kind": "other", "evidence-files": [SimpleUploadedFile("大.png", PNG + b"\0" * 100)]}))
    message = response.context["evidence_form"].errors["files"][0]
    assert message.startswith("大.png: ")
    assert "100" in message
    assert not SelfAssessmentAttachment.objects.exists()


@pytest.fixture
def filed(open_round, chairman):
    return services.add_self_assessment_evidence(open_round.self_assessment, by=chairman, kind="questionnaire",
                                                 uploads=[_checked("问卷.pdf", _pdf())])[0]


@pytest.mark.parametrize("actor", ["chairman", "fellow_member", "officer", "liaison"])
def test_the_alliance_and_the_bureau_download(request, client, filed, actor):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(reverse("assessments:self_assessment_evidence", args=[filed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf()
    assert "attachment;" in response["Content-Disposition"]


@pytest.mark.parametrize("actor", ["other_member", "expert"])
def test_others_get_404(request, client, filed, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("assessments:self_assessment_evidence", args=[filed.pk])).status_code == 404
    assert client.post(reverse("assessments:self_assessment_evidence_delete", args=[filed.pk])).status_code == 404
    assert SelfAssessmentAttachment.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, filed):
    response = client.get(reverse("assessments:self_assessment_evidence", args=[filed.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_experts_asked_to_score_see_the_files(client, open_round, chairman, officer, pool, filed):
    fill_self_assessment(open_round, chairman)
    assignment = services.assign_expert(open_round, expert=pool[0], by=officer)
    client.force_login(pool[0].user)
    page = client.get(reverse("assessments:scorecard", args=[assignment.pk])).content.decode()
    url = reverse("assessments:self_assessment_evidence", args=[filed.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf()
    client.force_login(pool[1].user)  # not asked to score this one
    assert client.get(url).status_code == 404


def test_files_are_fixed_once_submitted(client, open_round, chairman, filed):
    fill_self_assessment(open_round, chairman)
    with pytest.raises(IllegalTransition):
        services.add_self_assessment_evidence(open_round.self_assessment, by=chairman, kind="other",
                                              uploads=[_checked("补充.pdf", _pdf() + b"1")])
    with pytest.raises(IllegalTransition):
        services.remove_self_assessment_evidence(filed, by=chairman)
    client.force_login(chairman)
    assert client.post(reverse("assessments:self_assessment_evidence_delete", args=[filed.pk])).status_code == 403
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "问卷.pdf" in page  # listed on the submitted self-assessment
    assert SelfAssessmentAttachment.objects.count() == 1


def test_only_the_chairman_files_and_removes(client, open_round, chairman, fellow_member, officer, filed,
                                             django_capture_on_commit_callbacks):
    for user in (fellow_member, officer):
        with pytest.raises(NotPermitted):
            services.add_self_assessment_evidence(open_round.self_assessment, by=user, kind="other",
                                                  uploads=[_checked("x.pdf", _pdf() + b"2")])
        client.force_login(user)
        assert client.post(reverse("assessments:self_assessment_evidence_delete", args=[filed.pk])).status_code == 403
    storage, name = filed.file.storage, filed.file.name
    client.force_login(chairman)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:self_assessment_evidence_delete", args=[filed.pk]))
    assert response["Location"].endswith("#section-evidence")
    assert not SelfAssessmentAttachment.objects.exists()
    assert not storage.exists(name)


def test_form_page_query_count_does_not_grow_with_files(client, open_round, chairman, django_assert_max_num_queries):
    report = open_round.self_assessment
    services.add_self_assessment_evidence(report, by=chairman, kind="other", uploads=[_checked("0.pdf", _pdf())])
    client.force_login(chairman)
    with django_assert_max_num_queries(60) as one:
        client.get(_url(open_round))
    services.add_self_assessment_evidence(report, by=chairman, kind="other",
                                          uploads=[_checked(f"{n}.pdf", _pdf() + bytes([n])) for n in range(1, 7)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(_url(open_round))
