"""REST plumbing shared by every app's ``api.py``: one shape for every error.

- Domain errors (``alliance_portal.core.errors.WorkflowError`` and subclasses) become ``{"detail", "code"}``
  responses with the error's own status (409 illegal, 403 not permitted, 400 not eligible).
- Every other error has the same shape; invalid input is 400 with field errors.
- ``alliance_portal.core.permissions.RulesPermission`` maps viewset actions to the ``rules``
  permission names (one vocabulary with the pages); querysets filter first, so a foreign object is 404.
- ``alliance_portal.core.api_schema.PortalAutoSchema`` documents those error responses on every operation.
"""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from alliance_portal.core.errors import WorkflowError


def _code_of(error: Exception) -> str:
    """``IllegalTransition`` → ``illegal_transition``: a stable machine-readable code."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def exception_handler(exc, context):
    """DRF's handler, plus domain errors and Django's own exceptions, all as ``{"detail", "code"}``."""
    if isinstance(exc, WorkflowError):
        data = {"detail": str(exc.message), "code": _code_of(exc)}
        if getattr(exc, "problems", None) is not None:  # NotEligible, Incomplete: every failed check
            data["problems"] = [str(problem) for problem in exc.problems]
        # InvalidReport.errors, InvalidInput.field_errors: messages beside the fields, as DRF gives them
        field_errors = getattr(exc, "field_errors", None) or getattr(exc, "errors", None)
        if isinstance(field_errors, dict):
            for field, messages in field_errors.items():
                if field not in data:
                    data[field] = [str(m) for m in messages] if isinstance(messages, list | tuple) else [str(messages)]
        return Response(data, status=exc.status_code)
    if isinstance(exc, OverflowError):
        # SQLite cannot compare an integer column with a number beyond 64 bits (?year=1e30): the
        # request is wrong, not the server.
        return Response({"detail": str(_("A number in the request is out of range.")), "code": "out_of_range"},
                        status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, ProtectedError):
        exc = Conflict(_("This record is still referred to by others and cannot be deleted."), "protected")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException) and not isinstance(
        exc, exceptions.ValidationError
    ):
        codes = exc.get_codes()
        response.data = {"detail": str(exc.detail), "code": codes if isinstance(codes, str) else exc.default_code}
    return response


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("The request conflicts with the current state of the record.")
    default_code = "conflict"


# --- Schema -------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a sentence for people and a stable code for programs."""

    detail = serializers.CharField(help_text=_("Why the request was refused, in the user's language."))
    code = serializers.CharField(help_text=_("Machine-readable reason, e.g. illegal_transition, not_found."))


class WorkflowErrorSerializer(ErrorSerializer):
    problems = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text=_("For not_eligible: every failed eligibility check."),
    )


class ChoiceLabel(serializers.CharField):
    """The label of a choice field's value in the request's language, as ``get_<field>_display`` gives it.

    Django's ``get_<field>_display`` rebuilds the field's whole choices dict on every call, hashing (and so
    translating) each lazy label: for a workflow state that is some 25 translations per row. This maps the
    value through a dict built once per serializer and translates the one label shown.
    """

    def __init__(self, field_name: str, **kwargs):
        super().__init__(source=field_name, read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self._labels = dict(parent.Meta.model._meta.get_field(self.source).flatchoices)

    def to_representation(self, value):
        return str(self._labels.get(value, value))
