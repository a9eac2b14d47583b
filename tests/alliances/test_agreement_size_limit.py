"""An agreement scan over ``UPLOAD_MAX_BYTES`` is stored only up to the limit, then refused beside the field by
the PDF check's own message, in a form still bound to what was sent (issue 18, finding 5)."""

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.urls import reverse

from alliances.models import AllianceAgreement

from .conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_oversized_scan_is_refused_by_the_form_after_storing_at_most_the_limit(client, draft, member, settings,
                                                                               monkeypatch):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    passed_on = []
    original = MemoryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk",
                        lambda self, data, start: passed_on.append(len(data)) or original(self, data, start))
    client.force_login(member)
    content = pdf_bytes() + b"\0" * (300 * 1024)
    response = client.post(reverse("alliances:step", args=[draft.pk, 4]),
                           {"file": upload(content, "协议.pdf"), "after": "stay"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == [f"The file is {len(content) / 1024:.1f}\xa0KB; files may be at most 64.0\xa0KB."]
    assert form.data["after"] == "stay"
    assert sum(passed_on) <= 64 * 1024
    assert not AllianceAgreement.objects.filter(alliance=draft).exists()
