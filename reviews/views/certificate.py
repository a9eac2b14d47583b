"""Certificates and designation documents as issued: the printable page, the stored PDF, and the public
verification page that each certificate's QR code opens.

Every view checks access first, and only then reads a row's file (WeasyPrint is never imported here:
PDFs are rendered once, when issued, by ``reviews.tasks``).
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from alliance_portal.core.downloads import stored_file

from .. import documents
from ..models import Designation, OfficialDocument
from .common import run


def _designation(request, pk) -> Designation:
    designation = get_object_or_404(
        Designation.objects.select_related("alliance__sector", "alliance__chairman", "designated_by"), pk=pk)
    if not request.user.has_perm("reviews.view_certificate", designation.alliance):
        raise Http404  # another organisation's certificate does not exist for this user
    return designation


@login_required
def certificate(request, pk):
    """The certificate as a page: the current issued document's state, then the paper itself."""
    designation = _designation(request, pk)
    document = documents.current_certificate(designation)
    verify_url = (request.build_absolute_uri(documents.verification_path(document)) if document
                  else request.build_absolute_uri())
    context = documents.certificate_context(designation, verify_url=verify_url,
                                            issued_at=document.issued_at if document else None)
    return render(request, "reviews/certificate.html", {
        **context, "document": document, "history": documents.certificates_of(designation.alliance),
        "may_reissue": request.user.has_perm("reviews.review_application"),
    })


def _stored_pdf(document: OfficialDocument, filename: str) -> FileResponse:
    """The file exactly as stored when it was issued, with its SHA-256 as the ETag."""
    return stored_file(document.file, filename=filename, content_type="application/pdf", as_attachment=False,
                       etag=document.sha256)


def _certificate_filename(document: OfficialDocument) -> str:
    designation = document.designation
    return f"certificate-{designation.year}-{designation.sequence:03d}-{document.issued_at:%Y%m%d%H%M%S}.pdf"


@login_required
def certificate_pdf(request, pk):
    """The designation's current certificate as issued; while it is being prepared, its page says so."""
    designation = _designation(request, pk)
    document = documents.current_certificate(designation)
    if document is None or not document.is_ready:
        return redirect("reviews:certificate", pk=designation.pk)
    return _stored_pdf(document, _certificate_filename(document))


def document_pdf(request, token):
    """One issued document by its key (earlier, superseded ones too): certificates for those who may see
    the alliance's certificate, designation documents for everyone (they are public, like the register)."""
    document = get_object_or_404(OfficialDocument.objects.select_related("designation", "alliance", "batch"),
                                 token=token)
    if document.kind == OfficialDocument.Kind.CERTIFICATE:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("reviews.view_certificate", document.alliance):
            raise Http404
        filename = _certificate_filename(document)
    else:
        filename = f"designation-{document.batch.document_year}-{document.batch.document_sequence}.pdf"
    if not document.is_ready:
        raise Http404
    return _stored_pdf(document, filename)


def verify(request, token):
    """Public, for one document alone: what it is, whether it stands, and the SHA-256 of the issued file."""
    document = get_object_or_404(
        OfficialDocument.objects.select_related("alliance__sector", "designation", "batch__call",
                                                "superseded_by"), token=token)
    return render(request, "reviews/public/verify.html", {"document": document})


@require_POST
@login_required
@permission_required("reviews.review_application", raise_exception=True)
def reissue(request, pk):
    designation = _designation(request, pk)
    reason = request.POST.get("reason", "")[:300]
    run(request, lambda: documents.reissue_certificate(designation, reason=reason, by=request.user),
        success=_("A corrected certificate was issued; the previous one is kept, marked superseded."))
    return redirect("reviews:certificate", pk=designation.pk)
