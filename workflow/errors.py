"""Errors the case service raises: each maps to one HTTP status and a message in the UI."""


class WorkflowError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class UnknownAction(WorkflowError):
    status = 400


class GuardFailed(WorkflowError):
    """The action is allowed here but the case is not ready (field errors say why)."""

    status = 400


class ActionForbidden(WorkflowError):
    """The user's role or unit does not allow this action on this case."""

    status = 403


class ActionConflict(WorkflowError):
    """The action is not possible in the case's current stage, or a concurrent move won."""

    status = 409
