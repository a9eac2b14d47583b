"""Stored files, streamed to a visitor the view has already checked, from whichever storage holds them.

Uploaded documents and issued certificates live in the file storage of ``settings.STORAGES`` (local files on
the embedded default, an S3-compatible object store in production): the views open them through the storage
API only, so any web machine serves what any other stored, and never hand out a storage address.
"""

from django.http import FileResponse, Http404


def stored_file(field_file, *, filename: str, content_type: str, as_attachment: bool = True,
                etag: str = "") -> FileResponse:
    """``field_file`` (a ``FieldFile``) streamed with ``filename``; 404 when the row outlived its file (a
    restore without the uploads). Never cached by browsers or proxies; never sniffed as another type."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if etag:
        response["ETag"] = f'"{etag}"'
    return response
