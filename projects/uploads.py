"""Checks for uploaded attachments: the content decides the type, not the file name; sizes are limited."""

import hashlib
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy Office documents (.doc, .xls, .ppt)

# family -> (extensions the name may have, content type to store)
FAMILIES = {
    "pdf": ({".pdf"}, "application/pdf"),
    "png": ({".png"}, "image/png"),
    "jpeg": ({".jpg", ".jpeg"}, "image/jpeg"),
    "docx": ({".docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({".xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ({".pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "doc": ({".doc"}, "application/msword"),
    "xls": ({".xls"}, "application/vnd.ms-excel"),
    "ppt": ({".ppt"}, "application/vnd.ms-powerpoint"),
}
ALLOWED_EXTENSIONS = sorted(set().union(*(names for names, _type in FAMILIES.values())))
_OOXML = {".docx", ".xlsx", ".pptx"}
_JPEG = {".jpg", ".jpeg", ".jfif", ".jpe"}


def max_bytes() -> int:
    return getattr(settings, "PROJECT_UPLOAD_MAX_BYTES", settings.UPLOAD_MAX_BYTES)


def _sniffed_extensions(head: bytes) -> set[str]:
    if head.startswith(OLE2_MAGIC):
        return {".doc", ".xls", ".ppt"}
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return set()
    found = {match.extension.lower() for match in matches}
    if found & _JPEG:
        found |= _JPEG
    if found & _OOXML:  # puremagic cannot always tell the three Office Open XML formats apart
        found |= _OOXML
    return found


def check_upload(upload) -> str:
    """Validate size, name and content of an upload; return the content type to store. Raises ValidationError."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes():
        raise ValidationError(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes())},
                              code="too_large")
    suffix = PurePosixPath(upload.name).suffix.lower()
    family = next((key for key, (names, _type) in FAMILIES.items() if suffix in names), None)
    if family is None:
        raise ValidationError(
            _("Only PDF, images (PNG, JPEG) and Office documents are accepted (%(types)s).")
            % {"types": ", ".join(ALLOWED_EXTENSIONS)}, code="type")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if suffix not in _sniffed_extensions(head):
        raise ValidationError(_("The file's content does not match its name (%(suffix)s).") % {"suffix": suffix},
                              code="content")
    if family == "pdf":
        _check_pdf(upload)
    return FAMILIES[family][1]


def _check_pdf(upload) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is password-protected: upload it without a password."), code="encrypted")
        len(reader.pages)
    except (PyPdfError, ValueError, OSError) as broken:
        raise ValidationError(_("The PDF cannot be read: it may be damaged."), code="broken") from broken
    finally:
        upload.seek(0)


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


IMAGE_TYPES = frozenset({FAMILIES["png"][1], FAMILIES["jpeg"][1]})
MAX_FILES_PER_UPLOAD = 10


def store_evidence(model, uploads, *, by, seen: set[str], **fields) -> list:
    """One row of ``model`` (an ``EvidenceFile``) per upload already passed through ``check_upload``.

    Content whose SHA-256 is in ``seen`` (the files already filed there, or earlier in this batch) is skipped:
    a second click on "upload" files nothing twice. Returns the rows created."""
    rows = []
    for upload in uploads:
        digest = sha256_of(upload)
        if digest in seen:
            continue
        seen.add(digest)
        row = model(original_name=PurePosixPath(upload.name).name[:255], size=upload.size, sha256=digest,
                    content_type=getattr(upload, "checked_content_type", "application/octet-stream"),
                    uploaded_by=by, **fields)
        row.file.save(upload.name, upload, save=False)
        row.save()
        rows.append(row)
    return rows
