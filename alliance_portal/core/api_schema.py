"""The OpenAPI schema class: documents the portal's error responses on every operation.

Kept apart from ``alliance_portal.core.rest`` because drf-spectacular imports DRF's generic views, which
in turn read ``rest``'s pagination class from the settings.
"""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

from .rest import ErrorSerializer, WorkflowErrorSerializer

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field errors: each invalid field (or non_field_errors) with its messages; or, for a "
                   "refused submission, detail, code and problems.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "string"}},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class PortalAutoSchema(AutoSchema):
    """Adds the portal's error responses to every operation, so clients (and schemathesis) know them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "401": OpenApiResponse(ErrorSerializer, description="Not signed in, or the token is invalid or expired."),
            "403": OpenApiResponse(ErrorSerializer,
                                   description="Signed in, but the role, the organisation or a read-only token "
                                               "does not allow this."),
            "404": OpenApiResponse(ErrorSerializer,
                                   description="No such record among those visible to you (or no such page)."),
            "429": OpenApiResponse(ErrorSerializer, description="Too many requests for this user or token."),
        }
        has_query = bool(self._get_filter_parameters() or self._get_pagination_parameters()
                         or self.get_override_parameters())
        if self.method in ("POST", "PUT", "PATCH") or has_query:
            errors["400"] = OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid input: field errors.")
        if self.method not in permissions.SAFE_METHODS:
            errors["409"] = OpenApiResponse(
                WorkflowErrorSerializer,
                description="Not possible in the record's current state (someone may have acted already).",
            )
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses


class PortalTokenScheme(KnoxTokenScheme):
    """The knox token scheme, for the portal's one-query subclass of knox's authentication."""

    target_class = "alliance_portal.core.auth.TokenAuthentication"
