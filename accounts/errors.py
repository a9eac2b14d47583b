"""Domain errors of accounts and member units. Views turn them into messages, the API into 403/409."""


class AccountsError(Exception):
    """A refused action; ``message`` is shown to the user as it is."""

    status_code = 409

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(AccountsError):
    status_code = 403


class IllegalVerification(AccountsError):
    """The organisation is not in a state from which the verification step is allowed."""


class RegistrationConflict(AccountsError):
    """The credit code or user name was taken meanwhile (``field`` names which)."""
