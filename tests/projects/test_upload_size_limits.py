"""Size limits hold while the body arrives (issue 18, finding 5): a request declaring more than
``REQUEST_MAX_BYTES`` is refused (413) before a byte of its body is read; a file over ``UPLOAD_MAX_BYTES`` is
stored only up to the limit and refused by its form's own check, with what the user typed kept."""

import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler

from alliance_portal.core.uploads import OversizedUpload, SizeLimitedUploadHandler
from projects.models import ProjectAttachment

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"
MB = 1024 * 1024


class CountingBody:
    """A request body of ``size`` bytes that records how much of it the server read."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def read(self, count=-1):
        count = self.size - self.read_bytes if count is None or count < 0 else count
        chunk = min(count, self.size - self.read_bytes)
        self.read_bytes += chunk
        return b"\0" * chunk

    def readline(self, *args):
        return self.read(*args)


@pytest.fixture
def report(request):
    """A measurement on the test's report (printed in the run's summary, as the resilience suite's are)."""
    return lambda line: request.node.user_properties.append(("resilience", f"[{request.node.name}] {line}"))


@pytest.fixture
def stored(monkeypatch):
    """How many bytes of uploads reached Django's storing handlers (memory and temporary file)."""
    seen = {"bytes": 0}
    original = MemoryFileUploadHandler.receive_data_chunk  # the handler right after the size limit's

    def counting(self, raw_data, start):
        seen["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting)
    return seen


def test_a_200_mb_request_is_refused_before_its_body_is_read(client, project, lead_user, report):
    client.force_login(lead_user)
    client.get(f"/projects/{project.pk}/")  # templates loaded: the time below is the refusal's own
    body = CountingBody(200 * MB)
    started = time.perf_counter()
    response = client.generic("POST", f"/projects/{project.pk}/attachments/", b"x",
                              content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(body.size), **{"wsgi.input": body})
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert "The request is larger than 50.0 MB and was not read. Files may be at most 20.0 MB each." in response.content.decode()
    assert body.read_bytes == 0
    assert elapsed < 0.5
    assert ProjectAttachment.objects.count() == 0
    report(f"200 MB upload: 413 after reading {body.read_bytes} bytes of its body in {elapsed * 1000:.0f} ms")


def test_the_api_answers_a_too_large_request_with_json(client, lead_user):
    client.force_login(lead_user)
    response = client.generic("POST", "/api/v1/alliances/", b"x", content_type="application/json",
                              CONTENT_LENGTH=str(60 * MB), **{"wsgi.input": CountingBody(60 * MB)})
    assert (response.status_code, response.json()["code"]) == (413, "request_too_large")


def test_a_30_mb_file_under_the_production_limits(client, project, lead_user, stored, report):
    client.force_login(lead_user)
    upload = SimpleUploadedFile("扫描件.png", PNG + b"\0" * (30 * MB), content_type="image/png")
    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("*.upload.png"))
    started = time.perf_counter()
    response = client.post(f"/projects/{project.pk}/attachments/", {"description": "扫描件", "file": upload},
                           follow=True)
    elapsed = time.perf_counter() - started
    assert "The file is larger than 20.0 MB." in response.content.decode()
    assert ProjectAttachment.objects.count() == 0
    assert stored["bytes"] <= 20 * MB
    assert set(temporary.glob("*.upload.png")) == before  # the partial temporary file is deleted at the limit
    report(f"30 MB file: refused by its form in {elapsed * 1000:.0f} ms, {stored['bytes']} bytes stored on the way")


def test_the_handler_passes_bytes_on_up_to_the_limit_then_drops_them(settings):
    settings.UPLOAD_MAX_BYTES = 10
    handler = SizeLimitedUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", None)
    assert [handler.receive_data_chunk(chunk, 0) for chunk in (b"12345", b"67890", b"X", b"YZ")] == [
        b"12345", b"67890", None, None]
    refused = handler.file_complete(13)
    assert isinstance(refused, OversizedUpload)
    assert (refused.name, refused.size, refused.read()) == ("a.pdf", 13, b"")


def test_a_file_within_the_limit_goes_to_the_next_handler(settings):
    settings.UPLOAD_MAX_BYTES = 10
    handler = SizeLimitedUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"1234567890", 0) == b"1234567890"
    assert handler.file_complete(10) is None


def test_the_refusal_is_in_chinese_for_chinese_users(client, project):
    response = client.generic("POST", f"/projects/{project.pk}/attachments/", b"x", HTTP_ACCEPT_LANGUAGE="zh-hans",
                              content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(200 * MB),
                              **{"wsgi.input": CountingBody(200 * MB)})
    assert response.status_code == 413
    assert "请求超过 50.0\xa0MB，未被读取。每个文件最大 20.0\xa0MB。" in response.content.decode()
