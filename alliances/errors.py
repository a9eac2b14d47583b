"""Domain errors of the alliances app. They share the workflow's base class, so views show
``message`` as it is and the API answers with ``status_code``."""

from alliance_portal.core.errors import WorkflowError


class NotEditable(WorkflowError):
    """The application is not in a state the applicant may change (it is with the bureau)."""


class InvitationError(WorkflowError):
    """An invitation cannot be made or answered (unknown credit code, already invited, not yours …)."""

    status_code = 400
