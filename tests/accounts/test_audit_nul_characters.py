"""A refused request whose path holds a NUL character is still audited (PostgreSQL stores no NUL in text or
JSON: the refusal became a 500 there) (issue 18, finding 3's hostile paths)."""

import pytest

from accounts import audit
from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_nul_characters_are_recorded_escaped():
    audit.record("access_refused", outcome=AuditEvent.Outcome.REFUSED, username="a\x00b",
                 path="/admin/r/1/1\x00/", methods=["GET\x00"])
    event = AuditEvent.objects.get()
    assert (event.username, event.detail) == ("a\\x00b", {"path": "/admin/r/1/1\\x00/", "methods": ["GET\\x00"]})
