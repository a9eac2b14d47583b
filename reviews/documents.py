"""Official documents issued once: the certificate (证书) of a designation and the designation document
(认定文件) of a batch.

Issuing one (``issue_certificate``, ``issue_designation_document``) records it and, after commit, has
``reviews.tasks.render_official_document`` render its PDF once (``render_document``) and store it with
its SHA-256 through Django's storage API; from then on it is served as stored, byte for byte, whatever
later happens to the templates or the fonts. A reissue (``reissue_certificate`` for a correction, or a
demonstration designation) creates a new document and marks the one it replaces superseded; a
revocation marks it revoked (``revoke_certificates``). Nothing is ever deleted, so that the public
verification page of every document ever issued (its QR code) keeps answering.
"""

import hashlib
import logging
import re

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.rules import require
from alliance_portal.core.errors import WorkflowError
from alliance_portal.outbox import services as outbox

from . import pdf
from .models import BatchDecision, Department, Designation, OfficialDocument

logger = logging.getLogger(__name__)
Kind, Status = OfficialDocument.Kind, OfficialDocument.Status
OFFICIAL_LANGUAGE = "zh-hans"  # the documents are the bureau's own papers, whoever issues them

_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (batch numbers: 第一批)."""
    if number < 10:
        return _CHINESE_DIGITS[number]
    if number < 20:
        return "十" + (_CHINESE_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _CHINESE_DIGITS[number // 10] + "十" + (_CHINESE_DIGITS[number % 10] if number % 10 else "")
    return str(number)


def official_name(name: str) -> str:
    """“市科学技术局” signs a document as “淄博市科学技术局”: the city's name in full."""
    city = settings.PORTAL["CITY_NAME"]
    if name.startswith("市") and city.endswith("市"):
        return city[:-1] + name
    return name


def issuers() -> list[str]:
    return [official_name(d.name) for d in Department.objects.filter(joins_joint_review=True, is_active=True)]


def verification_path(document: OfficialDocument) -> str:
    return reverse("reviews:verify", args=[document.token])


def verification_url(document: OfficialDocument) -> str:
    """What the QR code holds: the portal's address (``PORTAL_SITE_URL``) and the verification page."""
    return settings.PORTAL.get("SITE_URL", "").rstrip("/") + verification_path(document)


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=2, border=1, dark="#7a1f1f")


def certificate_context(designation: Designation, *, verify_url: str, issued_at=None) -> dict:
    return {
        "designation": designation,
        "alliance": designation.alliance,
        "issuers": issuers(),
        "city": settings.PORTAL["CITY_NAME"],
        "issued_at": issued_at or designation.designated_at,
        "verify_url": verify_url,
        "qr_svg": qr_svg(verify_url),
    }


def batch_label(number: int) -> str:
    """第一批 in Chinese, 1 in English: what the title says of the batch."""
    return chinese_numeral(number) if (translation.get_language() or "").startswith("zh") else str(number)


def designation_document_context(decision: BatchDecision, *, issued_at=None) -> dict:
    entries = decision.designations.select_related("alliance__sector", "alliance__chairman").order_by("sequence")
    return {
        "decision": decision, "call": decision.call, "entries": list(entries),
        "issuers": issuers(), "city": settings.PORTAL["CITY_NAME"], "bureau": settings.PORTAL["BUREAU_NAME"],
        "batch": batch_label(decision.call.batch_number), "year": decision.call.year,
        "issued_at": issued_at or decision.designated_at,
    }


# --- Issuing, reissuing, revoking ------------------------------------------------------------------


def _enqueue_rendering(document: OfficialDocument) -> None:
    from .tasks import render_official_document  # tasks.py imports this module

    outbox.enqueue(render_official_document, document_id=document.pk)


def _supersede(valid, *, by_document: OfficialDocument, reason: str) -> int:
    return valid.update(status=Status.SUPERSEDED, status_changed_at=by_document.issued_at,
                        status_reason=reason, superseded_by=by_document)


def issue_certificate(designation: Designation, *, by, reason: str = "") -> OfficialDocument:
    """Issue a certificate for a standing designation; the alliance's valid certificate (an earlier one of
    this designation, or the pilot's when it becomes a demonstration unit) is superseded by it.

    Called inside the designation's transaction by ``services.designate`` (which checked the actor) and by
    ``reissue_certificate``; the PDF is rendered after commit.
    """
    with transaction.atomic():
        locked = Designation.objects.select_for_update().select_related("alliance").get(pk=designation.pk)
        if locked.revoked_at is not None:
            raise WorkflowError(_("A revoked designation gets no certificate."))
        document = OfficialDocument(kind=Kind.CERTIFICATE, alliance=locked.alliance, designation=locked,
                                    number=locked.certificate_number, issued_by=by, reason=reason)
        valid = OfficialDocument.objects.filter(kind=Kind.CERTIFICATE, alliance=locked.alliance,
                                                status=Status.VALID)
        # The new row may only be valid once the one it replaces is not: save it superseded-free first.
        document.status = Status.SUPERSEDED
        document.save()
        replaced = list(valid.exclude(pk=document.pk).values_list("number", flat=True))
        _supersede(valid.exclude(pk=document.pk), by_document=document,
                   reason=reason or _("Replaced by certificate %(number)s") % {"number": document.number})
        document.status = Status.VALID
        document.save(update_fields=["status"])
        audit.record("issue_certificate", user=by, obj=document, certificate=document.number,
                     designation=locked.pk, supersedes=replaced, reason=reason)
        _enqueue_rendering(document)
    return document




def reissue_certificate(designation: Designation, *, reason: str, by) -> OfficialDocument:
    """Issue a corrected certificate of a standing designation; the one it replaces stays, superseded."""
    require(by, "reviews.issue_official_documents", system_may=False,
            message=_("Only bureau officers may issue official documents."))
    if not reason.strip():
        raise WorkflowError(_("Say why the certificate is reissued."))
    return issue_certificate(designation, by=by, reason=reason.strip())


def issue_designation_document(decision: BatchDecision, *, by, reason: str = "") -> OfficialDocument:
    """Issue the designation document of a designated batch (superseding the batch's valid one, if any)."""
    with transaction.atomic():
        locked = BatchDecision.objects.select_for_update().get(pk=decision.pk)
        if not locked.is_designated:
            raise WorkflowError(_("The batch has not been designated."))
        document = OfficialDocument.objects.create(
            kind=Kind.DESIGNATION_DOCUMENT, batch=locked, number=locked.document_number, issued_by=by,
            reason=reason, status=Status.SUPERSEDED)
        valid = OfficialDocument.objects.filter(kind=Kind.DESIGNATION_DOCUMENT, batch=locked,
                                                status=Status.VALID).exclude(pk=document.pk)
        _supersede(valid, by_document=document,
                   reason=reason or _("Replaced by document %(number)s") % {"number": document.number})
        document.status = Status.VALID
        document.save(update_fields=["status"])
        audit.record("issue_designation_document", user=by, obj=document, document=document.number,
                     batch=locked.pk, reason=reason)
        _enqueue_rendering(document)
    return document


def reissue_designation_document(decision: BatchDecision, *, reason: str, by) -> OfficialDocument:
    """Issue a corrected designation document; the one it replaces stays, superseded."""
    require(by, "reviews.issue_official_documents", system_may=False,
            message=_("Only bureau officers may issue official documents."))
    if not reason.strip():
        raise WorkflowError(_("Say why the document is reissued."))
    return issue_designation_document(decision, by=by, reason=reason.strip())


def revoke_certificates(designations, *, at, reason: str, by=None) -> int:
    """Mark the valid certificates of ``designations`` (a queryset or ids) revoked, as of ``at``.

    Called inside the transaction that revokes the designations (``services``); returns how many.
    """
    count = OfficialDocument.objects.filter(kind=Kind.CERTIFICATE, designation__in=designations,
                                            status=Status.VALID).update(
        status=Status.REVOKED, status_changed_at=at, status_reason=reason)
    if count:
        audit.record("revoke_certificates", user=by, count=count, reason=reason)
    return count


# --- Rendering once (the task) ------------------------------------------------------------------------


def render_document(document_id: int) -> OfficialDocument | None:
    """Render the document's PDF and store it with its SHA-256, unless that was done already.

    Returns the document, or None when it is gone. The row is locked while rendering, so a redelivered
    task waits and then finds the file there.
    """
    with transaction.atomic():
        document = (OfficialDocument.objects.select_for_update(of=("self",))
                    .select_related("designation__alliance__sector", "designation__alliance__chairman",
                                    "batch__call")
                    .filter(pk=document_id).first())
        if document is None or document.is_ready:
            return document
        with translation.override(OFFICIAL_LANGUAGE):
            if document.kind == Kind.CERTIFICATE:
                context = certificate_context(document.designation, verify_url=verification_url(document),
                                              issued_at=document.issued_at)
                html = render_to_string("reviews/certificate_pdf.html", context)
                content = pdf.render(html, stylesheet="reviews.css")
            else:
                html = render_to_string("reviews/batch/document_pdf.html",
                                        designation_document_context(document.batch, issued_at=document.issued_at))
                content = pdf.render(html, stylesheet="batch.css")
        if lacking := pdf.uncovered(_names_on(document)):
            logger.warning("%s %s: the bundled font lacks %s; add them to tools/subset_cjk_font.py and subset "
                           "again (this PDF draws them from a system font, or as empty boxes)",
                           document.get_kind_display(), document.number, lacking)
        year = timezone.localtime(document.issued_at).year
        document.file.save(f"{year}/{document.kind}-{document.token}.pdf", ContentFile(content),
                           save=False)
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.size = len(content)
        document.rendered_at = timezone.now()
        document.save(update_fields=["file", "sha256", "size", "rendered_at"])
    return document


def _names_on(document: OfficialDocument) -> str:
    """The names a document prints (alliances, chairman units, sectors): where a rare character would be."""
    designations = [document.designation] if document.designation_id else list(document.batch.designations.all())
    return " ".join(f"{d.alliance.name} {d.alliance.chairman.name} {d.alliance.sector.name}" for d in designations)


# --- Read side ------------------------------------------------------------------------------------

_VALID_FIRST = Case(When(status=Status.VALID, then=Value(0)), default=Value(1))


def current_certificate(designation: Designation) -> OfficialDocument | None:
    """The designation's certificate to show: its valid one, else the latest it had."""
    return (OfficialDocument.objects.filter(kind=Kind.CERTIFICATE, designation=designation)
            .order_by(_VALID_FIRST, "-issued_at", "-pk").first())


def current_designation_document(decision: BatchDecision) -> OfficialDocument | None:
    return (OfficialDocument.objects.filter(kind=Kind.DESIGNATION_DOCUMENT, batch=decision)
            .order_by(_VALID_FIRST, "-issued_at", "-pk").first())


_CERTIFICATE_NUMBER = re.compile(r"^\D*((?:19|20)\d\d)\D+0*(\d{1,6})\D*$")


def parse_certificate_number(text: str) -> tuple[int, int] | None:
    """(year, sequence) of a certificate number as people type it: 〔2026〕001, [2026]1, 2026-001, 2026 1."""
    match = _CERTIFICATE_NUMBER.match(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def certificates_numbered(text: str) -> list[OfficialDocument]:
    """Every certificate ever issued under the number in ``text`` (valid, superseded or revoked)."""
    parsed = parse_certificate_number(text)
    if parsed is None:
        return []
    year, sequence = parsed
    return list(OfficialDocument.objects.filter(kind=Kind.CERTIFICATE, designation__year=year,
                                                designation__sequence=sequence)
                .select_related("alliance", "designation").order_by(_VALID_FIRST, "-issued_at", "-pk"))


def certificates_of(alliance) -> list[OfficialDocument]:
    """Every certificate the alliance was issued, the valid one first, then the newest."""
    return list(OfficialDocument.objects.filter(kind=Kind.CERTIFICATE, alliance=alliance)
                .select_related("designation")
                .order_by(_VALID_FIRST, "-issued_at", "-pk"))
