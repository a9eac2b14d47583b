"""Checks for the photos and documents of a site visit: JPEG, PNG or PDF, recognised by content, never by name.

A file whose bytes are none of these, or whose name claims another of them (a PDF called ``photo.jpg``),
is refused with the reason; so is an image that cannot be decoded, a broken or password-protected PDF, an
empty file and one over ``settings.UPLOAD_MAX_BYTES``.
"""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

logger = logging.getLogger(__name__)
HEADER_BYTES = 2048

KIND_NAMES = {
    "image/jpeg": gettext_lazy("a JPEG photo"),
    "image/png": gettext_lazy("a PNG image"),
    "application/pdf": gettext_lazy("a PDF document"),
}
EXTENSIONS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


@dataclass(frozen=True)
class AttachmentInfo:
    content_type: str
    size: int
    sha256: str


def _reject(message, code):
    raise ValidationError(message, code=code)


def _sniff(header: bytes) -> str | None:
    try:
        matches = puremagic.magic_string(header)
    except puremagic.PureError:
        return None
    kinds = [m.mime_type for m in matches]
    return next((kind for kind in kinds if kind in KIND_NAMES), None)


def inspect_attachment(uploaded) -> AttachmentInfo:
    """Validate a photo or document of a site visit; raises ``ValidationError`` naming the file and the reason."""
    name = getattr(uploaded, "name", "") or _("the file")
    size = uploaded.size or 0
    if size == 0:
        _reject(_("“%(name)s” is empty.") % {"name": name}, "empty")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        _reject(_("“%(name)s” is %(size)s; files may be at most %(limit)s.")
                % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}, "too_large")
    uploaded.seek(0)
    kind = _sniff(uploaded.read(HEADER_BYTES))
    if kind is None:
        _reject(_("“%(name)s” is not a JPEG or PNG photo or a PDF document (its content was checked, not its name).")
                % {"name": name}, "wrong_type")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed != kind:
        _reject(_("“%(name)s” is named as something else than it is: its content is %(kind)s. Please give it the "
                  "right name (.jpg, .png or .pdf).") % {"name": name, "kind": KIND_NAMES[kind]}, "name_mismatch")
    uploaded.seek(0)
    if kind == "application/pdf":
        _check_pdf(uploaded, name)
    else:
        _check_image(uploaded, name)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return AttachmentInfo(content_type=kind, size=size, sha256=digest.hexdigest())


def _check_image(uploaded, name):
    try:
        with Image.open(uploaded) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        logger.info("rejected a broken image upload: %r", error)
        _reject(_("“%(name)s” is a damaged image and cannot be shown.") % {"name": name}, "broken_image")


def _check_pdf(uploaded, name):
    try:
        reader = PdfReader(uploaded)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # a parser fed arbitrary bytes can fail in many ways; all mean "broken"
        logger.info("rejected a broken PDF upload: %r", error)
        _reject(_("“%(name)s” is a damaged PDF and cannot be opened.") % {"name": name}, "broken_pdf")
    if encrypted:
        _reject(_("“%(name)s” is password-protected. Please upload a copy without a password.") % {"name": name},
                "encrypted_pdf")
    if pages == 0:
        _reject(_("“%(name)s” has no pages.") % {"name": name}, "no_pages")
