"""Evidence of an activity (photos, the sign-in sheet, minutes): filed by the secretariat through the upload
checks, listed and downloaded by the alliance, its liaison officer and the bureau; anyone else gets a 404."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted
from projects import services
from projects.errors import InvalidReport
from projects.models import Activity, ActivityAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 64


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def activity(alliance, secretariat):
    return services.record_activity(alliance=alliance, by=secretariat, activity=Activity(
        date=date(2026, 4, 10), kind="technology_exchange", title="先进陶瓷技术交流会",
        participants="15家成员单位", participant_count=60, outcome="签订合作意向3项"))


def _url(activity):
    return f"/projects/alliance/{activity.alliance_id}/activities/{activity.pk}/"


def _post(client, activity, kind, *files, description=""):
    return client.post(_url(activity), {"kind": kind, "files": list(files), "description": description})


def test_secretariat_files_several_photos_at_once_and_the_list_counts_them(client, activity, secretariat):
    client.force_login(secretariat)
    response = _post(client, activity, "photo", _file("会场.png", PNG), _file("签约.jpg", JPEG), description="会场照片")
    assert response.status_code == 302
    assert response["Location"] == _url(activity)
    rows = list(ActivityAttachment.objects.order_by("pk"))
    assert [(r.kind, r.original_name, r.content_type, r.description) for r in rows] == [
        ("photo", "会场.png", "image/png", "会场照片"), ("photo", "签约.jpg", "image/jpeg", "会场照片")]
    assert all(r.file.name.startswith(f"activities/{activity.alliance_id}/{activity.pk}/") for r in rows)
    assert all(r.uploaded_by == secretariat and len(r.sha256) == 64 for r in rows)
    assert AuditEvent.objects.filter(action="activity_evidence_added").count() == 2
    _post(client, activity, "minutes", _file("会议纪要.pdf", _pdf()))
    page = client.get(f"/projects/alliance/{activity.alliance_id}/activities/")
    listed = page.context["activities"][0]
    assert (listed.photo_count, listed.sign_in_sheet_count, listed.minutes_count, listed.other_count) == (2, 0, 1, 0)


def test_a_second_click_files_nothing_twice(activity, secretariat):
    first = services.add_activity_evidence(activity=activity, by=secretariat, uploads=[_checked("签到表.pdf", _pdf())],
                                           kind="sign_in_sheet")
    again = services.add_activity_evidence(activity=activity, by=secretariat, uploads=[_checked("签到表.pdf", _pdf())],
                                           kind="sign_in_sheet")
    assert (len(first), again) == (1, [])
    assert ActivityAttachment.objects.count() == 1


def _checked(name, content, content_type="application/pdf"):
    upload = _file(name, content)
    upload.checked_content_type = content_type
    return upload


def test_a_photo_must_be_an_image(client, activity, secretariat):
    client.force_login(secretariat)
    response = _post(client, activity, "photo", _file("纪要.pdf", _pdf()), description="误选")
    assert response.status_code == 400
    assert response.context["form"].errors["files"] == [
        "A photo must be a PNG or JPEG image; file other documents as “Other”: 纪要.pdf"]
    page = response.content.decode()
    assert 'value="photo" selected' in page  # what was chosen and typed stays
    assert 'value="误选"' in page
    assert ActivityAttachment.objects.count() == 0
    with pytest.raises(InvalidReport):
        services.add_activity_evidence(activity=activity, by=secretariat, uploads=[_checked("纪要.pdf", _pdf())],
                                       kind="photo")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("纪要.pdf", b"MZ\x90\x00" + b"\0" * 60, "does not match"),  # a program named .pdf
    ("程序.exe", b"MZ\x90\x00" + b"\0" * 60, "Only PDF"),
    ("空.png", b"", "empty"),
])
def test_wrong_types_are_refused_with_the_file_named(client, activity, secretariat, name, content, reason):
    client.force_login(secretariat)
    response = _post(client, activity, "other", _file("会场.png", PNG), _file(name, content))
    assert response.status_code == 400
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1
    assert errors[0].startswith(f"{name}: ")
    assert reason in errors[0]
    assert ActivityAttachment.objects.count() == 0  # nothing of a refused batch is filed


def test_too_large_a_file_is_refused(client, activity, secretariat, settings):
    settings.PROJECT_UPLOAD_MAX_BYTES = 100
    client.force_login(secretariat)
    response = _post(client, activity, "photo", _file("大.png", PNG + b"\0" * 100))
    assert response.status_code == 400
    assert "larger than 100" in response.context["form"].errors["files"][0]
    assert ActivityAttachment.objects.count() == 0


def test_file_larger_than_the_upload_limit_is_cut_off_and_refused(client, activity, secretariat, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(secretariat)
    response = _post(client, activity, "photo", _file("大.png", PNG + b"\0" * 4096), description="大图")
    assert response.status_code == 400
    assert "大.png: " in response.context["form"].errors["files"][0]
    assert 'value="大图"' in response.content.decode()


def test_too_many_files_at_once(client, activity, secretariat):
    client.force_login(secretariat)
    response = _post(client, activity, "photo", *[_file(f"{n}.png", PNG + bytes([n])) for n in range(11)])
    assert response.context["form"].errors["files"] == ["Choose at most 10 files at once."]


@pytest.fixture
def filed(activity, secretariat):
    return services.add_activity_evidence(activity=activity, by=secretariat, uploads=[_checked("会场.png", PNG,
                                                                                              "image/png")],
                                          kind="photo")[0]


@pytest.mark.parametrize("actor", ["secretariat", "plain_member", "officer", "liaison"])
def test_the_alliance_its_liaison_officer_and_the_bureau_list_and_download(request, client, activity, filed, actor):
    client.force_login(request.getfixturevalue(actor))
    page = client.get(_url(activity))
    assert page.status_code == 200
    assert f"/projects/activities/evidence/{filed.pk}/" in page.content.decode()
    response = client.get(f"/projects/activities/evidence/{filed.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_organisation_gets_404_everywhere(client, activity, filed, outsider):
    client.force_login(outsider)
    assert client.get(_url(activity)).status_code == 404
    assert client.get(f"/projects/activities/evidence/{filed.pk}/").status_code == 404
    assert client.post(f"/projects/activities/evidence/{filed.pk}/delete/").status_code == 404
    assert _post(client, activity, "photo", _file("x.png", PNG)).status_code == 404
    assert ActivityAttachment.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, activity, filed):
    for url in (_url(activity), f"/projects/activities/evidence/{filed.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_only_the_secretariat_files_and_removes(client, activity, filed, plain_member, officer, secretariat,
                                                django_capture_on_commit_callbacks):
    for user in (plain_member, officer):
        client.force_login(user)
        assert client.get(_url(activity)).context["form"] is None
        assert _post(client, activity, "photo", _file("x.png", PNG)).status_code == 403
        assert client.post(f"/projects/activities/evidence/{filed.pk}/delete/").status_code == 403
        with pytest.raises(NotPermitted):
            services.add_activity_evidence(activity=activity, by=user, uploads=[], kind="photo")
    storage, name = filed.file.storage, filed.file.name
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projects/activities/evidence/{filed.pk}/delete/")
    assert response["Location"] == _url(activity)
    assert not ActivityAttachment.objects.exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.get(action="activity_evidence_removed").detail["file"] == "会场.png"


def test_activity_page_query_count_does_not_grow_with_files(client, activity, secretariat,
                                                             django_assert_max_num_queries):
    client.force_login(secretariat)
    services.add_activity_evidence(activity=activity, by=secretariat, uploads=[_checked("a.png", PNG, "image/png")],
                                   kind="photo")
    with django_assert_max_num_queries(40) as one:
        client.get(_url(activity))
    services.add_activity_evidence(
        activity=activity, by=secretariat, kind="other",
        uploads=[_checked(f"{n}.png", PNG + bytes([n]), "image/png") for n in range(8)])
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(_url(activity))


def test_activity_list_query_count_does_not_grow_with_evidence(client, alliance, secretariat, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    counts = []
    for batch in (1, 6):
        for n in range(batch):
            row = Activity.objects.create(alliance=alliance, date=date(2026, 1, 5), kind="internal",
                                          title=f"交流{batch}-{n}", participants="x", outcome="y")
            services.add_activity_evidence(activity=row, by=secretariat, kind="minutes",
                                           uploads=[_checked(f"{batch}-{n}.pdf", _pdf() + f"{batch}{n}".encode())])
        with CaptureQueriesContext(connection) as context:
            client.get(f"/projects/alliance/{alliance.pk}/activities/")
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
