"""E-mail delivery per preference: immediate, daily digest, off; retries; every attempt recorded."""

import datetime as dt
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import delivery, services
from notifications.models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EmailMode,
    Kind,
    Notification,
)
from tests.factories import Org, act, new_innovation

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FlakyBackend(LocmemBackend):
    """An SMTP stand-in that refuses the first `failures` messages, then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE
    settings.SITE_URL = "https://pandu.example"
    settings.NOTIFICATIONS_WEBHOOK_URL = ""


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.calls = 0

    def failing(n: int) -> None:
        FlakyBackend.failures = n

    return failing


def submitted(org, capture) -> Notification:
    """The operator submits; the head gets 'approval requested' (immediate by default)."""
    innovation = new_innovation(org)
    with capture(execute=True):
        act(org.operator, innovation, "submit")
    return Notification.objects.get(recipient=org.head)


@pytest.mark.django_db
def test_immediate_kind_is_mailed_after_commit_with_an_absolute_link(
    immediate, django_capture_on_commit_callbacks
):
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    note = submitted(org, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kepala@dinas.example"]
    assert note.title in message.subject
    assert f"https://pandu.example/innovations/{note.innovation_id}/" in message.body
    row = Delivery.objects.get(notification=note, channel=Channel.EMAIL)
    assert row.status == DeliveryStatus.SENT and row.attempts == 1
    assert list(row.attempt_log.values_list("number", "ok", "error")) == [(1, True, "")]


@pytest.mark.django_db
def test_nothing_is_sent_before_commit_and_nothing_after_a_rollback(
    immediate, django_capture_on_commit_callbacks
):
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    innovation = new_innovation(org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(org.operator, innovation, "submit")
    # Row written in the action's transaction, but no e-mail until the commit callbacks run.
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 1
    assert mail.outbox == []
    assert callbacks  # push + enqueue wait for the commit


@pytest.mark.django_db
def test_daily_and_off_kinds_send_no_immediate_mail(immediate, django_capture_on_commit_callbacks):
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    services.set_preferences(user=org.head, changes={Kind.APPROVAL_REQUESTED: EmailMode.OFF})
    submitted(org, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_user_without_address_is_skipped_not_failed(immediate, django_capture_on_commit_callbacks):
    org = Org()
    note = submitted(org, django_capture_on_commit_callbacks)
    row = Delivery.objects.get(notification=note)
    assert row.status == DeliveryStatus.SKIPPED
    assert row.last_error == ""
    assert not DeliveryAttempt.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_smtp_failures_are_retried_and_every_attempt_recorded(
    immediate, flaky, django_capture_on_commit_callbacks
):
    flaky(2)
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    note = submitted(org, django_capture_on_commit_callbacks)

    row = Delivery.objects.get(notification=note)
    assert row.status == DeliveryStatus.SENT
    attempts = list(row.attempt_log.values_list("number", "ok", "error"))
    assert [(n, ok) for n, ok, _e in attempts] == [(1, False), (2, False), (3, True)]
    assert "Connection refused" in attempts[0][2]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_gives_up_after_max_attempts(immediate, flaky, django_capture_on_commit_callbacks):
    flaky(99)
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    note = submitted(org, django_capture_on_commit_callbacks)
    row = Delivery.objects.get(notification=note)
    assert row.status == DeliveryStatus.FAILED
    assert row.attempt_log.count() == delivery.MAX_ATTEMPTS
    assert not row.attempt_log.filter(ok=True).exists()
    assert "ConnectionRefusedError" in row.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_on_the_database_backend_a_failure_is_re_enqueued_with_back_off(
    settings, flaky, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    flaky(99)
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    note = submitted(org, django_capture_on_commit_callbacks)
    row = Delivery.objects.get(notification=note)
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"] == {"delivery_id": row.pk}

    before = timezone.now()
    assert delivery.attempt(delivery_id=row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    retry = DBTaskResult.objects.exclude(pk=task.pk).get()
    wait = retry.run_after - before
    assert timedelta(seconds=29) < wait < timedelta(seconds=40)
    # The same task run twice (a duplicate enqueue) does not send twice while claimed.
    Delivery.objects.filter(pk=row.pk).update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert delivery.attempt(delivery_id=row.pk) == "not pending"


@pytest.mark.django_db
def test_stale_pending_rows_are_enqueued_again(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    # The enqueue after commit never happens (as if the process died right after the commit).
    innovation = new_innovation(org)
    with django_capture_on_commit_callbacks(execute=False):
        act(org.operator, innovation, "submit")
    row = Delivery.objects.get()
    assert not DBTaskResult.objects.exists()
    assert delivery.requeue_stale() == 0  # still fresh
    later = timezone.now() + delivery.STALE_AFTER + timedelta(minutes=1)
    assert delivery.requeue_stale(now=later) == 1
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"delivery_id": row.pk}
    assert delivery.requeue_stale(now=later) == 0  # not twice


def _note(user, kind: str, at: dt.datetime) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=kind, title=f"{kind} {at}", created_at=at
    )


@pytest.mark.django_db
def test_daily_digest_once_per_person_per_day(immediate):
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    org.mentor.email = "mentor@brida.example"
    org.mentor.save()
    tz = timezone.get_default_timezone()
    day = dt.date(2026, 3, 10)
    morning = dt.datetime(2026, 3, 10, 8, 0, tzinfo=tz)
    daily = [
        _note(org.head, Kind.STAGE_ADVANCED, morning),  # daily by default
        _note(org.head, Kind.DUE_SOON, morning + timedelta(hours=3)),
    ]
    _note(org.head, Kind.RETURNED, morning)  # immediate: not in the digest
    _note(org.head, Kind.STAGE_ADVANCED, dt.datetime(2026, 3, 11, 0, 5, tzinfo=tz))  # next day
    _note(org.head, Kind.STAGE_ADVANCED, dt.datetime(2026, 3, 9, 23, 55, tzinfo=tz))  # day before
    services.set_preferences(user=org.mentor, changes={Kind.STAGE_ADVANCED: EmailMode.OFF})
    _note(org.mentor, Kind.STAGE_ADVANCED, morning)  # mentor turned it off
    _note(org.operator, Kind.STAGE_ADVANCED, morning)  # operator has no address

    call_command("send_notification_digests", "--date", "2026-03-10", stdout=io.StringIO())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kepala@dinas.example"]
    assert "10 Maret 2026" in message.subject and "2 notifikasi" in message.subject
    for note in daily:
        assert note.title in message.body
    digest = Delivery.objects.get(recipient=org.head, channel=Channel.DIGEST)
    assert digest.digest_date == day and digest.notification_ids == [n.pk for n in daily]
    assert digest.status == DeliveryStatus.SENT and digest.attempt_log.get().ok
    skipped = Delivery.objects.get(recipient=org.operator, channel=Channel.DIGEST)
    assert skipped.status == DeliveryStatus.SKIPPED
    assert not Delivery.objects.filter(recipient=org.mentor).exists()

    # Again the same day (the timer loop runs it often): nothing new.
    assert delivery.schedule_digests(day=day) == {"digests": 0, "skipped": 0}
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_digest_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("send_notification_digests", "--date", "10-03-2026")
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_database_worker_sends_the_mail(settings):
    """Commit for real, then let `manage.py db_worker --batch` pick the task from the table."""
    settings.TASKS = DATABASE
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    innovation = new_innovation(org)
    act(org.operator, innovation, "submit")
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", batch=True, reload=False, interval=0.01, verbosity=0)

    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.SENT
    assert row.attempt_log.get().ok


@pytest.mark.django_db
def test_one_batch_follows_each_persons_own_choices(immediate):
    from tests.factories import make_user

    off, wants, default, no_address = (make_user() for _ in range(4))
    for person in (off, wants, default):
        person.email = f"{person.username}@dinas.example"
        person.save()
    services.set_preferences(user=off, changes={Kind.OVERDUE: EmailMode.OFF})
    services.set_preferences(
        user=wants, changes={Kind.STAGE_ADVANCED: EmailMode.IMMEDIATE, Kind.OVERDUE: "daily"}
    )
    notes = [
        Notification.objects.create(recipient=person, kind=kind, title="t")
        for person in (off, wants, default, no_address)
        for kind in (Kind.OVERDUE, Kind.STAGE_ADVANCED)
    ]
    rows = delivery.schedule(notes)
    got = {(d.recipient_id, d.notification.kind, d.status) for d in rows}
    assert got == {
        (wants.pk, Kind.STAGE_ADVANCED, DeliveryStatus.PENDING),
        (default.pk, Kind.OVERDUE, DeliveryStatus.PENDING),  # the default: immediate
        (no_address.pk, Kind.OVERDUE, DeliveryStatus.SKIPPED),
    }
