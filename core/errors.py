"""Domain errors raised by services. Views turn them into messages, the API into 400/409."""


class DomainError(Exception):
    """A request that breaks a business rule: the API answers 400."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = str(message)
        self.field = field


class Conflict(DomainError):
    """The record is in a state that does not allow the request: the API answers 409."""


class InvalidTransition(Conflict):
    """A workflow transition that the current state does not allow."""

    def __init__(self, message, *, action=None, state=None):
        super().__init__(message)
        self.action = action
        self.state = state


class PermissionDenied(DomainError):
    """The actor lacks the capability for this action: the API answers 403."""
