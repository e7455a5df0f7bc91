"""Writes: notifications from case events, pushes after commit, marking read, preferences."""

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import GuardFailed
from mentoring.models import Innovation
from workflow.lifecycle import Transition
from workflow.models import CaseEvent

from . import delivery, hub, rules, selectors, texts
from .models import EmailMode, Kind, Notification, NotificationPreference

log = logging.getLogger(__name__)
# First key of the two-key advisory locks that order notification ids per recipient.
ADVISORY_NAMESPACE = 7301


def as_message(notification: Notification) -> dict:
    """The JSON a socket sends for one notification (also what the REST list returns)."""
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "innovation": notification.innovation_id,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


def innovation_url(innovation_id: int) -> str:
    try:
        return reverse("portal:innovation-detail", args=[innovation_id])
    except NoReverseMatch:
        # A renamed page must never make an action fail: the notification goes without a link.
        log.error("notifications: no portal:innovation-detail route; link left empty")
        return ""


def notify_case_moved(
    *, event: CaseEvent, innovation: Innovation, move: Transition | None
) -> list[Notification]:
    """Write the event's notifications (one INSERT) and push them once the action commits.

    Runs inside the action's transaction: a rollback takes the rows with it and pushes nothing.
    """
    plan = rules.plan_for(event, innovation, move)
    if not plan.by_kind:
        return []
    url = innovation_url(innovation.pk)
    now = timezone.now()
    rows: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE):
        for kind, recipients in plan.by_kind.items():
            title, body = texts.CASE_TEXTS[kind](event, innovation)
            rows.extend(
                Notification(
                    recipient_id=user_id,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url,
                    innovation=innovation,
                    event=event,
                    created_at=now,
                    inbox_only=user_id in plan.inbox_only,
                )
                for user_id in sorted(recipients)
            )
    created = _insert_in_commit_order(rows)
    push_on_commit(created)
    delivery.schedule(created)
    return created


def notify_deadlines(*, alerts) -> list[Notification]:
    """Write the rows of a scan batch's deadline alerts (one INSERT) and push them on commit.

    `alerts` carry visit (with its innovation loaded), kind and recipients (user ids).
    """
    now = timezone.now()
    rows: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE):
        for alert in alerts:
            visit = alert.visit
            innovation = visit.innovation
            title, body = texts.DEADLINE_TEXTS[alert.kind](innovation, visit.stage, visit.due_date)
            url = innovation_url(innovation.pk)
            rows.extend(
                Notification(
                    recipient_id=user_id,
                    kind=alert.kind,
                    title=title[:200],
                    body=body,
                    url=url,
                    innovation=innovation,
                    created_at=now,
                    inbox_only=user_id in alert.inbox_only,
                )
                for user_id in sorted(alert.recipients)
            )
    created = _insert_in_commit_order(rows)
    push_on_commit(created)
    delivery.schedule(created)
    return created


def _insert_in_commit_order(rows: list[Notification]) -> list[Notification]:
    """Insert notification rows so that, per recipient, ids grow in commit order.

    A client resumes with `since=<last id seen>`. On PostgreSQL two transactions can take ids
    in one order and commit in the other; the later-committed, smaller id would then be skipped
    by a client that saw the larger one first. A transaction-scoped advisory lock per recipient
    (taken in id order, so two writers never deadlock) makes the second writer wait until the
    first commits. SQLite already serialises writers.
    """
    recipients = sorted({row.recipient_id for row in rows})
    if recipients and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, r) FROM unnest(%s::int[]) AS r ORDER BY r",
                [ADVISORY_NAMESPACE, recipients],
            )
    return Notification.objects.bulk_create(rows, batch_size=1000)


def push_on_commit(notifications: list[Notification]) -> None:
    """Push to each recipient's sockets after the surrounding transaction commits.

    The rows are already durable then; a push that fails (Redis down) only costs latency:
    each push names the recipient's notification before it, so the next one makes an open
    socket replay the gap, and a client that reconnects replays from `since`.
    """
    prev = previous_ids(notifications)
    batch = [(n.recipient_id, as_message(n), prev[n.pk]) for n in notifications]
    if batch:
        transaction.on_commit(lambda: _push_notifications(batch))


def previous_ids(notifications: list[Notification]) -> dict[int, int | None]:
    """For each new notification, its recipient's notification just before it (None: none).

    Called in the inserting transaction: the per-recipient order _insert_in_commit_order
    keeps makes every older row of these recipients smaller than the new ids."""
    if not notifications:
        return {}
    last: dict[int, int] = selectors.latest_ids(
        user_ids={n.recipient_id for n in notifications},
        before=min(n.pk for n in notifications),
    )
    prev: dict[int, int | None] = {}
    for n in sorted(notifications, key=lambda n: n.pk):
        prev[n.pk] = last.get(n.recipient_id)
        last[n.recipient_id] = n.pk
    return prev


def _push_notifications(batch: list[tuple[int, dict, int | None]]) -> None:
    hub.publish(
        notifications=[
            (user_id, message["id"], prev, json.dumps(message, ensure_ascii=False))
            for user_id, message, prev in batch
        ]
    )
    # The badge counts follow: counting first would hold every notification back.
    try:
        counts = selectors.unread_counts(user_ids={user_id for user_id, _m, _p in batch})
    except Exception:
        log.exception("notifications: could not count unread rows after pushing")
        return
    hub.publish(unread=list(counts.items()))


def mark_read(*, user: User, ids: Iterable[int] | None = None, all: bool = False) -> int:
    """Mark the user's own notifications read (`ids`, or every unread one with `all`).

    Ids of other people's notifications are ignored, never marked. Returns how many changed;
    the user's other open sockets get the new unread count after commit.
    """
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if not all:
        wanted = {int(i) for i in ids or ()}
        if not wanted:
            return 0
        qs = qs.filter(pk__in=wanted)
    with transaction.atomic():
        changed = qs.update(read_at=timezone.now())
        if changed:
            user_id = user.pk
            transaction.on_commit(lambda: push_unread(user_id=user_id))
    return changed


def push_unread(*, user_id: int) -> None:
    hub.publish(unread=[(user_id, selectors.unread_count(user_id=user_id))])


def set_preferences(*, user: User, changes: dict[str, str]) -> None:
    """Store e-mail modes per kind; any unknown kind or mode rejects the whole change."""
    errors: dict[str, list[str]] = {}
    for kind, mode in changes.items():
        if kind not in Kind.values:
            errors[str(kind)] = [_("Jenis notifikasi tidak dikenal.")]
        elif mode not in EmailMode.values:
            errors[kind] = [
                _("Pilih salah satu: %(modes)s.") % {"modes": ", ".join(EmailMode.values)}
            ]
    if errors:
        raise GuardFailed(_("Preferensi notifikasi tidak valid."), fields=errors)
    with transaction.atomic():
        for kind, mode in changes.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": mode}
            )
