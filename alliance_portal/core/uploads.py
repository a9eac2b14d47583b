"""Request and upload size limits, enforced while the body arrives rather than after it is stored.

Two limits (settings):

- ``REQUEST_MAX_BYTES`` (50 MB): a request that declares a larger body is refused with 413 before a
  byte of it is read (``RequestSizeLimitMiddleware``); nginx in docker-compose.yml refuses the same
  size before the body reaches gunicorn.
- ``UPLOAD_MAX_BYTES`` (20 MB) per file: ``SizeLimitedUploadHandler``, first of ``FILE_UPLOAD_HANDLERS``,
  passes a file's bytes on to Django's handlers (memory, then a temporary file) up to the limit and
  drops everything after it. The form then receives an ``OversizedUpload``: a file with no content whose
  ``size`` is what was sent, so each upload check refuses it with its own message ("the file is 30 MB;
  files may be at most 20 MB") beside the field, and every other field the user filled in is kept.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class OversizedUpload(UploadedFile):
    """A file that was larger than ``UPLOAD_MAX_BYTES``: its name and size as sent, none of its bytes."""

    def __init__(self, *, name, content_type, size, charset=None, content_type_extra=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset, content_type_extra)


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops storing a file at ``UPLOAD_MAX_BYTES``; must come first in ``FILE_UPLOAD_HANDLERS``."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        within = self.received <= settings.UPLOAD_MAX_BYTES
        self.received += len(raw_data)
        if self.received <= settings.UPLOAD_MAX_BYTES:
            return raw_data
        if within:  # the limit is crossed now: what the handlers after this one have stored is let go
            self._interrupt_the_next_handlers()
        return None  # dropped: the handlers after this one never see it, nothing more is written

    def _interrupt_the_next_handlers(self):
        handlers = list(getattr(self.request, "upload_handlers", ()))
        for handler in handlers[handlers.index(self) + 1:] if self in handlers else ():
            handler.upload_interrupted()  # the temporary-file handler closes and deletes its file

    def file_complete(self, file_size):
        if self.received > settings.UPLOAD_MAX_BYTES:
            return OversizedUpload(name=self.file_name, content_type=self.content_type, size=self.received,
                                   charset=self.charset, content_type_extra=self.content_type_extra)
        return None  # within the limit: the next handler's file


def request_too_large(request):
    limits = {"request": filesizeformat(settings.REQUEST_MAX_BYTES), "file": filesizeformat(settings.UPLOAD_MAX_BYTES)}
    message = _("The request is larger than %(request)s and was not read. Files may be at most %(file)s each.") % limits
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class RequestSizeLimitMiddleware:
    """Answers 413 to a request whose Content-Length exceeds ``REQUEST_MAX_BYTES``, without reading its body.

    Before CSRF's view check (which reads the form) and after authentication (the page names the user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            return request_too_large(request)
        return self.get_response(request)
