"""Domain errors of projects. Views turn them into messages (or field errors); an API would answer 403/409."""

from alliance_portal.core.errors import WorkflowError


class AlreadyReported(WorkflowError):
    """A progress report for this period exists already (perhaps filed a moment ago by a colleague)."""


class InvalidReport(WorkflowError):
    """The figures of a progress report break a rule; ``errors`` maps field names to messages."""

    status_code = 400

    def __init__(self, message, errors):
        super().__init__(message)
        self.errors = errors
