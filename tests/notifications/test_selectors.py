"""Unread counts for many people at once (the badge numbers every push carries)."""

import pytest
from django.utils import timezone

from notifications import selectors
from notifications.models import Kind, Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_unread_counts_count_only_unread_rows_of_each_person():
    people = [make_user() for _ in range(5)]
    for n, person in enumerate(people):
        for i in range(n):
            Notification.objects.create(
                recipient=person,
                kind=Kind.TASK_ASSIGNED,
                title=f"{n}.{i}",
                read_at=timezone.now() if i == 0 else None,  # the first of each is read
            )
    counts = selectors.unread_counts(user_ids={p.pk for p in people})
    assert counts == {p.pk: max(n - 1, 0) for n, p in enumerate(people)}
    assert selectors.unread_counts(user_ids=set()) == {}
