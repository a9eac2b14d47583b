"""Issue the official documents that are missing and render those not rendered yet.

    manage.py issue_official_documents              # render every issued document whose PDF is missing
    manage.py issue_official_documents --missing    # first issue certificates / designation documents for
                                                    # standing designations and designated batches that have none
                                                    # (designations from before documents were stored, imports)
    manage.py issue_official_documents --enqueue    # hand the rendering to the Celery workers instead

The rendering normally follows each issue after commit (``reviews.tasks``); this catches up on documents
whose task was lost (broker down at commit, a worker killed) and on designations made before the portal
stored its documents. Running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.rules import SYSTEM
from reviews import documents
from reviews.models import BatchDecision, Designation, OfficialDocument
from reviews.tasks import render_official_document


class Command(BaseCommand):
    help = "Issue missing official documents (--missing) and render every issued one without its PDF."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true",
                            help="issue documents for standing designations and designated batches without one")
        parser.add_argument("--enqueue", action="store_true", help="render through the Celery workers")

    def handle(self, *args, missing, enqueue, **options):
        issued = 0
        if missing:
            with transaction.atomic():
                for designation in Designation.objects.filter(revoked_at__isnull=True, documents__isnull=True):
                    if not OfficialDocument.objects.filter(alliance=designation.alliance_id,
                                                           kind=OfficialDocument.Kind.CERTIFICATE,
                                                           status=OfficialDocument.Status.VALID).exists():
                        documents.issue_certificate(designation, by=SYSTEM)
                        issued += 1
                for decision in BatchDecision.objects.filter(designated_at__isnull=False, documents__isnull=True):
                    documents.issue_designation_document(decision, by=SYSTEM)
                    issued += 1
        pending = list(OfficialDocument.objects.filter(rendered_at__isnull=True).order_by("pk")
                       .values_list("pk", flat=True))
        for document_id in pending:
            if enqueue:
                render_official_document.delay(document_id=document_id)
            else:
                documents.render_document(document_id)
        verb = "handed to the workers" if enqueue else "rendered"
        self.stdout.write(self.style.SUCCESS(f"{issued} documents issued, {len(pending)} {verb}."))
