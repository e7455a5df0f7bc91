"""E-mail, daily digests and the chat-gateway webhook: delivery rows, tasks, retries.

A `Delivery` row is written in the notification's own transaction; after commit a task
(django-tasks) tries it. A failure is recorded as a `DeliveryAttempt` and the task enqueues
itself again with `run_after` (django-tasks retries nothing by itself), with growing
back-off, up to MAX_ATTEMPTS. Rows whose task was lost are enqueued again by
`requeue_stale` (run by the timer loop), so a crash never loses an e-mail.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .models import (
    DEFAULT_EMAIL_MODE,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EmailMode,
    Notification,
    NotificationPreference,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after attempt 1, 2, 3, 4 (seconds): a short SMTP or gateway outage is ridden out.
BACKOFF_SECONDS = (30, 120, 600, 1800)
CLAIM_SECONDS = 300
# A pending row untouched this long lost its task (worker crash, enqueue failure).
STALE_AFTER = timedelta(minutes=15)


class Skip(Exception):
    """Nothing to send (e.g. the person has no e-mail address): recorded, not an error."""


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1])


def webhook_enabled() -> bool:
    if not settings.NOTIFICATIONS_WEBHOOK_URL:
        return False
    if not settings.NOTIFICATIONS_WEBHOOK_SECRET:
        # An unsigned body could be forged by anyone who finds the gateway: refuse to send.
        log.error("notifications: NOTIFICATIONS_WEBHOOK_URL set without a secret; webhook off")
        return False
    return True


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


# Set while back-dated history is written (manage.py seed_demo): see recorded_as_delivered.
_recording_history: ContextVar[bool] = ContextVar("recording_history", default=False)


@contextmanager
def recorded_as_delivered() -> Iterator[None]:
    """Inside, every new delivery row is written as already sent and no task is enqueued.

    For back-dated history (the demo seed): its notifications belong to the past, so sending
    them now would mail and post news that never happened. Live actions outside still deliver.
    """
    token = _recording_history.set(True)
    try:
        yield
    finally:
        _recording_history.reset(token)


def initial_state(*, has_address: bool) -> dict[str, Any]:
    """Status fields of a new delivery: pending (to send), skipped without an address, or
    sent already while history is recorded (then nothing is enqueued: only pending rows are)."""
    if not has_address:
        return {"status": DeliveryStatus.SKIPPED}
    if _recording_history.get():
        return {"status": DeliveryStatus.SENT, "sent_at": timezone.now()}
    return {"status": DeliveryStatus.PENDING}


# --- scheduling (inside the notification's transaction) ---------------------------------------


def schedule(notifications: list[Notification]) -> list[Delivery]:
    """Write the delivery rows new notifications need and enqueue their tasks on commit
    (called once, in the transaction that creates the notifications).

    E-mail only for kinds the recipient wants immediately (daily ones go in the digest);
    the webhook, when configured, gets every notification.
    """
    if not notifications:
        return []
    webhook = webhook_enabled()
    emails: dict[int, str] = {}
    stored: dict[tuple[int, str], str] = {}
    for user_id, email, kind, mode in selectors.addresses_and_modes(
        user_ids={n.recipient_id for n in notifications}
    ):
        emails[user_id] = email
        if kind and mode:
            stored[(user_id, kind)] = mode
    now = timezone.now()
    rows = []
    for n in notifications:
        if n.inbox_only:  # an absent person whose substitute is told: inbox only
            continue
        mode = stored.get((n.recipient_id, n.kind)) or DEFAULT_EMAIL_MODE.get(n.kind)
        if mode == EmailMode.IMMEDIATE:
            rows.append(
                Delivery(
                    recipient_id=n.recipient_id,
                    channel=Channel.EMAIL,
                    notification=n,
                    **initial_state(has_address=bool(emails.get(n.recipient_id))),
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        if webhook:
            rows.append(
                Delivery(
                    recipient_id=n.recipient_id,
                    channel=Channel.WEBHOOK,
                    notification=n,
                    **initial_state(has_address=True),
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    created = Delivery.objects.bulk_create(rows, batch_size=1000)
    pending = [d.pk for d in created if d.status == DeliveryStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue(pending))
    return created


def enqueue(delivery_ids: list[int], run_after: datetime | None = None) -> None:
    """Enqueue one task per delivery; never raises (the stale sweep catches what fails here)."""
    from . import tasks

    task = tasks.deliver
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    for delivery_id in delivery_ids:
        try:
            task.enqueue(delivery_id=delivery_id)
        except Exception:
            log.exception("notifications: could not enqueue delivery %s", delivery_id)


def requeue_stale(*, now: datetime | None = None) -> int:
    """Enqueue again the pending deliveries whose task should have run long ago."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=now - STALE_AFTER
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:1000]
    )
    if ids:
        # Push the mark forward so the next sweep does not enqueue them a second time.
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
        enqueue(ids)
    return len(ids)


# --- one attempt (inside the task) -----------------------------------------------------------


def attempt(*, delivery_id: int) -> str:
    """Try one delivery once and record the attempt; schedule the next try on failure.

    The row is claimed with a conditional UPDATE, so a task enqueued twice sends once, and
    no transaction is held open while talking to SMTP or the gateway.
    """
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not pending"
    delivery = Delivery.objects.select_related(
        "recipient", "notification", "notification__innovation"
    ).get(pk=delivery_id)
    number = delivery.attempts
    status, error = DeliveryStatus.SENT, ""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            SENDERS[Channel(delivery.channel)](delivery, number)
    except Skip as reason:
        status, error = DeliveryStatus.SKIPPED, str(reason)
    except Exception as exc:
        status, error = DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        log.warning(
            "notifications: %s delivery %s attempt %s failed: %s",
            delivery.channel,
            delivery_id,
            number,
            error,
        )
    done = timezone.now()
    retry_at = None
    changes: dict = {"claimed_until": None, "last_error": error}
    if status == DeliveryStatus.SENT:
        changes.update(status=status, sent_at=done)
    elif status == DeliveryStatus.SKIPPED:
        changes.update(status=status)
    elif number >= MAX_ATTEMPTS:
        changes.update(status=DeliveryStatus.FAILED)
    else:
        retry_at = done + backoff(number)
        changes.update(next_attempt_at=retry_at)
    with transaction.atomic():
        if status != DeliveryStatus.SKIPPED:
            DeliveryAttempt.objects.create(
                delivery_id=delivery_id,
                number=number,
                at=done,
                ok=status == DeliveryStatus.SENT,
                error=error,
            )
        Delivery.objects.filter(pk=delivery_id).update(**changes)
    if retry_at is not None:
        enqueue([delivery_id], run_after=retry_at)
        return "retry"
    return changes.get("status", status)


# --- channels --------------------------------------------------------------------------------


def _address(delivery: Delivery) -> str:
    email = (delivery.recipient.email or "").strip()
    if not email:
        raise Skip(_("Pengguna tidak memiliki alamat e-mail."))
    return email


def _footer() -> str:
    return "\n\n-- \n" + _("Pandu Inovasi. Atur e-mail notifikasi: %(url)s") % {
        "url": absolute_url("/notifications/preferences/")
    }


def _notification(delivery: Delivery) -> Notification:
    """The notification an e-mail or webhook delivery carries (digests carry several)."""
    if delivery.notification is None:
        raise Skip(_("Notifikasinya sudah tidak ada."))
    return delivery.notification


def send_email(delivery: Delivery, attempt_number: int) -> None:
    to = _address(delivery)
    note = _notification(delivery)
    lines = [note.title, "", note.body] if note.body else [note.title]
    if note.url:
        lines += ["", _("Buka: %(url)s") % {"url": absolute_url(note.url)}]
    EmailMessage(
        subject=f"[Pandu Inovasi] {note.title}",
        body="\n".join(lines) + _footer(),
        to=[to],
    ).send(fail_silently=False)


def send_digest(delivery: Delivery, attempt_number: int) -> None:
    to = _address(delivery)
    notes = list(Notification.objects.filter(pk__in=delivery.notification_ids).order_by("pk"))
    day = date_format(delivery.digest_date or timezone.localdate(), "j F Y")
    lines = [
        _("Notifikasi Anda pada %(date)s:") % {"date": day},
        "",
    ]
    for note in notes:
        local = timezone.localtime(note.created_at)
        lines.append(f"- {local:%H.%M} {note.title}")
        if note.body:
            lines.append(f"  {note.body}")
        if note.url:
            lines.append(f"  {absolute_url(note.url)}")
    EmailMessage(
        subject="[Pandu Inovasi] "
        + _("Ringkasan harian %(date)s: %(count)d notifikasi") % {"date": day, "count": len(notes)},
        body="\n".join(lines) + _footer(),
        to=[to],
    ).send(fail_silently=False)


def webhook_payload(delivery: Delivery) -> dict:
    note = _notification(delivery)
    user = delivery.recipient
    recipient = {"username": user.get_username(), "email": user.email or ""}
    phone = getattr(user, "phone", "") or ""
    if phone:
        recipient["phone"] = phone
    innovation = note.innovation
    return {
        "id": note.pk,
        "kind": note.kind,
        "title": note.title,
        "body": note.body,
        "url": absolute_url(note.url),
        "recipient": recipient,
        "innovation": {"id": innovation.pk, "name": innovation.name} if innovation else None,
        "created_at": note.created_at.isoformat(),
    }


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET without the body: count it as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def send_webhook(delivery: Delivery, attempt_number: int) -> None:
    if not webhook_enabled():
        raise Skip("webhook not configured")
    body = json.dumps(webhook_payload(delivery), ensure_ascii=False, separators=(",", ":"))
    raw = body.encode()
    request = urllib.request.Request(
        settings.NOTIFICATIONS_WEBHOOK_URL,
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "PanduInovasi-Webhook/1",
            "X-Pandu-Signature": sign(raw, settings.NOTIFICATIONS_WEBHOOK_SECRET),
            "X-Pandu-Timestamp": str(int(time.time())),
            # Lets the gateway drop a retry of a POST it already handled (e.g. after a timeout).
            "X-Pandu-Delivery": str(delivery.pk),
            "X-Pandu-Attempt": str(attempt_number),
        },
    )
    try:
        with _opener.open(request, timeout=settings.NOTIFICATIONS_WEBHOOK_TIMEOUT) as response:
            status = response.status
            response.read(1024)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"HTTP {exc.code}") from None
    if not 200 <= status < 300:
        raise RuntimeError(f"HTTP {status}")


def send_weekly(delivery: Delivery, attempt_number: int) -> None:
    from .weekly import send_weekly_digest  # weekly builds on this module

    send_weekly_digest(delivery, attempt_number)


SENDERS = {
    Channel.EMAIL: send_email,
    Channel.DIGEST: send_digest,
    Channel.WEBHOOK: send_webhook,
    Channel.WEEKLY: send_weekly,
}


# --- daily digest ----------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    return start, timezone.make_aware(
        datetime.combine(day + timedelta(days=1), datetime.min.time()), tz
    )


def schedule_digests(*, day: date) -> dict[str, int]:
    """One digest per person for `day` (local time) with that day's notifications of the kinds
    they want daily. Idempotent: a person who already has that day's digest gets no second one.
    """
    start, end = _day_bounds(day)
    by_user: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, user_id, kind in Notification.objects.filter(
        created_at__gte=start, created_at__lt=end, inbox_only=False
    ).values_list("pk", "recipient_id", "kind"):
        by_user[user_id].append((pk, kind))
    done = set(
        Delivery.objects.filter(channel=Channel.DIGEST, digest_date=day).values_list(
            "recipient_id", flat=True
        )
    )
    candidates = set(by_user) - done
    stored: defaultdict[int, dict[str, str]] = defaultdict(dict)
    for user_id, kind, mode in NotificationPreference.objects.filter(
        user_id__in=candidates
    ).values_list("user_id", "kind", "email"):
        stored[user_id][kind] = mode
    emails = dict(get_user_model().objects.filter(pk__in=candidates).values_list("pk", "email"))
    created, skipped, pending = 0, 0, []
    for user_id in sorted(candidates):
        modes = {**DEFAULT_EMAIL_MODE, **stored[user_id]}
        ids = [pk for pk, kind in by_user[user_id] if modes.get(kind) == EmailMode.DAILY]
        if not ids:
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    recipient_id=user_id,
                    channel=Channel.DIGEST,
                    digest_date=day,
                    notification_ids=ids,
                    **initial_state(has_address=bool(emails.get(user_id))),
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            continue  # a concurrent run made it first
        created += 1
        if delivery.status == DeliveryStatus.PENDING:
            pending.append(delivery.pk)
        elif delivery.status == DeliveryStatus.SKIPPED:
            skipped += 1
    enqueue(pending)
    return {"digests": created, "skipped": skipped}
