"""Refusals of the calls app; they share the workflow's base, so views show ``message`` and the API a 4xx."""

from reviews.errors import NotPermitted, WorkflowError

__all__ = ["CallError", "NotPermitted", "WorkflowError"]


class CallError(WorkflowError):
    """A call cannot be changed this way (a shorter "extension", weights not adding up, a locked scorecard …)."""

    status_code = 400
