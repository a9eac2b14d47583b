"""Delete audit events older than the retention period (``PORTAL["AUDIT_RETENTION_DAYS"]``).

Never fewer than 180 days are kept, whatever the setting says: the security baseline requires it.
Run daily (e.g. from Celery beat or cron).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import AuditEvent

MINIMUM_RETENTION_DAYS = 180


def retention_days() -> int:
    return max(int(settings.PORTAL.get("AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)), MINIMUM_RETENTION_DAYS)


class Command(BaseCommand):
    help = "Delete audit events older than PORTAL['AUDIT_RETENTION_DAYS'] (at least 180 days are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        days = retention_days()
        cutoff = timezone.now() - timedelta(days=days)
        old = AuditEvent.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"would delete {old.count()} audit event(s) older than {days} days")
            return
        deleted, _detail = old.delete()
        self.stdout.write(f"deleted {deleted} audit event(s) older than {days} days")
