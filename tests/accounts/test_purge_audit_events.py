"""manage.py purge_audit_events keeps PORTAL["AUDIT_RETENTION_DAYS"], never fewer than 180 days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event(days_ago):
    return AuditEvent.objects.create(action="login", outcome="ok", at=timezone.now() - timedelta(days=days_ago))


def _run(*args):
    out = StringIO()
    call_command("purge_audit_events", *args, stdout=out)
    return out.getvalue()


def test_events_older_than_the_retention_are_deleted(settings):
    settings.PORTAL = {**settings.PORTAL, "AUDIT_RETENTION_DAYS": 400}
    kept = [_event(10), _event(399)]
    _event(401)
    _event(800)
    assert "deleted 2" in _run()
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {event.pk for event in kept}


def test_never_fewer_than_180_days_are_kept(settings):
    settings.PORTAL = {**settings.PORTAL, "AUDIT_RETENTION_DAYS": 30}
    young = _event(179)
    _event(181)
    assert "older than 180 days" in _run()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]


def test_dry_run_deletes_nothing(settings):
    settings.PORTAL = {**settings.PORTAL, "AUDIT_RETENTION_DAYS": 200}
    _event(300)
    assert "would delete 1" in _run("--dry-run")
    assert AuditEvent.objects.count() == 1
