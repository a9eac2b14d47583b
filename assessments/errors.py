"""Domain errors of assessments. They extend the workflow's errors, so that views and the API treat them alike."""

from alliance_portal.core.errors import WorkflowError


class ConflictOfInterest(WorkflowError):
    """The expert may not score this alliance; ``message`` says why in plain words."""


class Incomplete(WorkflowError):
    """Something must be filled in first; ``problems`` lists each missing part in plain words."""

    status_code = 400

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = list(problems)


class InvalidInput(WorkflowError):
    """Values the service refuses; ``field_errors`` maps a form field name to its message."""

    status_code = 400

    def __init__(self, field_errors: dict[str, str]):
        super().__init__(" ".join(str(message) for message in field_errors.values()))
        self.field_errors = field_errors
