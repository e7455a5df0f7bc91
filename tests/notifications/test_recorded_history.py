"""Back-dated history (the demo seed) is recorded as delivered: nothing is sent or enqueued."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks.signals import task_enqueued

from notifications import delivery
from notifications.models import Channel, Delivery, DeliveryStatus
from tests.factories import Org, act, new_innovation


@pytest.fixture
def org(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    org = Org()
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@kukar.example.org")
    return org


def test_history_is_recorded_as_sent_and_nothing_goes_out(
    org, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_WEBHOOK_URL = "http://127.0.0.1:9/hook"  # never reached
    settings.NOTIFICATIONS_WEBHOOK_SECRET = "rahasia"
    enqueued = []

    def count(**kwargs) -> None:
        enqueued.append(kwargs["task_result"])

    task_enqueued.connect(count)
    innovation = new_innovation(org)
    try:
        with (
            django_capture_on_commit_callbacks(execute=True),
            delivery.recorded_as_delivered(),
        ):
            act(org.operator, innovation, "submit")
            act(org.head, innovation, "approve")  # news for the daily digest, too
            delivery.schedule_digests(day=timezone.localdate())
    finally:
        task_enqueued.disconnect(count)
    rows = list(Delivery.objects.all())
    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.WEBHOOK, Channel.DIGEST}
    assert all(row.status == DeliveryStatus.SENT and row.sent_at for row in rows)
    assert (mailoutbox, enqueued, delivery.requeue_stale()) == ([], [], 0)


def test_after_the_history_deliveries_are_sent(org, mailoutbox, django_capture_on_commit_callbacks):
    with delivery.recorded_as_delivered():
        pass  # the mode ends with its block
    with django_capture_on_commit_callbacks(execute=True):
        act(org.operator, new_innovation(org), "submit")
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert emails and all(row.status == DeliveryStatus.SENT for row in emails)
    assert len(mailoutbox) == emails.count()
