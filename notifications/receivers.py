"""Receivers: domain events from `workflow` (which never imports us) become notifications;
ending credentials (core.tokens, logout) close the sockets opened with them."""

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from knox.models import AuthToken

from core import tokens
from workflow.signals import case_moved, deadline_alerts

from . import hub, services


@receiver(case_moved, dispatch_uid="notifications.case_moved")
def on_case_moved(sender, *, event, innovation, transition, **kwargs) -> None:
    # Inside the action's transaction: an error here rolls the action back, by design,
    # so that an action never commits without its notifications.
    services.notify_case_moved(event=event, innovation=innovation, move=transition)


@receiver(deadline_alerts, dispatch_uid="notifications.deadline_alerts")
def on_deadline_alerts(sender, *, alerts, **kwargs) -> None:
    # Inside the scan's transaction, like case_moved: the alerts and their rows commit together.
    services.notify_deadlines(alerts=alerts)


# --- credentials that end: their open sockets close (hub CLOSE_REVOKED) -------------------------


def _close_sockets(user_id: int, credential: str) -> None:
    transaction.on_commit(lambda: hub.publish(revoked=[(user_id, credential)]))


@receiver(post_delete, sender=AuthToken, dispatch_uid="notifications.token_deleted")
def on_token_deleted(sender, *, instance: AuthToken, **kwargs) -> None:
    # Revoked by its owner, expired and cleaned up, or deleted in the admin.
    _close_sockets(instance.user_id, tokens.token_credential(instance))


@receiver(user_logged_out, dispatch_uid="notifications.logged_out")
def on_logged_out(sender, *, request, user, **kwargs) -> None:
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        _close_sockets(user.pk, tokens.session_credential(session_key))


@receiver(tokens.credentials_revoked, dispatch_uid="notifications.credentials_revoked")
def on_credentials_revoked(sender, *, user_id: int, credential: str, **kwargs) -> None:
    _close_sockets(user_id, credential)
