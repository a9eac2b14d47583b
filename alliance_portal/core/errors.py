"""Domain errors of the workflow. Views turn them into messages, the API into 403/409 responses."""


class WorkflowError(Exception):
    """A refused workflow action; ``message`` is shown to the user as it is."""

    status_code = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class IllegalTransition(WorkflowError):
    """The object is not in a state from which the action is allowed (someone else may have acted)."""


class NotPermitted(WorkflowError):
    status_code = 403


class NotEligible(WorkflowError):
    """Submission refused: ``problems`` lists every failed eligibility check in plain words."""

    status_code = 400

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems
