"""Errors every service raises: each maps to one HTTP status and a message in the UI.

The message and the field messages are shown as they are (Indonesian first); `fields` names
each input that was wrong, so a form or an API client can put the message beside it.
"""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class UnknownAction(ServiceError):
    """The action's name is not one of the lifecycle's actions."""

    status = 400


class GuardFailed(ServiceError):
    """A rule of the domain or the lifecycle is not met (field errors say which)."""

    status = 400


class ActionForbidden(ServiceError):
    """The user's role or unit does not allow this."""

    status = 403


class ActionConflict(ServiceError):
    """The action is not possible in the case's current stage, or a concurrent move won."""

    status = 409
