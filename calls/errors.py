"""Refusals of the calls app; they share the workflow's base, so views show ``message`` and the API a 4xx."""

from alliance_portal.core.errors import WorkflowError


class CallError(WorkflowError):
    """A call cannot be changed this way (a shorter "extension", weights not adding up, a locked scorecard …)."""

    status_code = 400
