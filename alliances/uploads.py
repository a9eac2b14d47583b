"""Checks for uploaded documents: a PDF is recognised by its content, never by its name.

``inspect_pdf`` rejects empty files, files over ``settings.UPLOAD_MAX_BYTES``, anything whose bytes
are not a PDF (whatever it is called), PDFs that cannot be parsed and password-protected PDFs, each
with a message in plain words. It returns what we store about the file (size, pages, SHA-256).
"""

import hashlib
import logging
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)
HEADER_BYTES = 2048


@dataclass(frozen=True)
class PdfInfo:
    size: int
    pages: int
    sha256: str


def _reject(message: str, code: str):
    raise ValidationError(message, code=code)


def inspect_pdf(uploaded) -> PdfInfo:
    """Validate an uploaded file as a PDF; raises ``ValidationError`` with the reason."""
    size = uploaded.size or 0
    if size == 0:
        _reject(_("The file is empty. Please choose the scanned agreement again."), "empty")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        _reject(_("The file is %(size)s; files may be at most %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}, "too_large")

    uploaded.seek(0)
    header = uploaded.read(HEADER_BYTES)
    try:
        kinds = {match.mime_type for match in puremagic.magic_string(header)}
    except puremagic.PureError:
        kinds = set()
    if "application/pdf" not in kinds:
        _reject(_("This file is not a PDF document (its content was checked, not its name). "
                  "Please upload the scan of the signed agreement as PDF."), "not_pdf")

    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # a parser fed arbitrary bytes can fail in many ways; all mean "broken"
        logger.info("rejected a broken PDF upload: %r", error)
        _reject(_("This PDF is damaged and cannot be opened. Please save or scan it again."), "broken_pdf")
    if encrypted:
        _reject(_("This PDF is password-protected. Please upload a copy without a password."), "encrypted_pdf")
    if pages == 0:
        _reject(_("This PDF has no pages."), "no_pages")

    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return PdfInfo(size=size, pages=pages, sha256=digest.hexdigest())
