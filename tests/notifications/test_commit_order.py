"""Per recipient, notification ids grow in commit order (PostgreSQL), so `since` never skips."""

import threading

import pytest
from django.db import connection, connections, transaction

from notifications.models import Notification
from tests.factories import act, advance, new_innovation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("id/commit order only diverges on PostgreSQL")


def test_a_slow_writer_makes_the_next_one_wait_so_ids_follow_commits(org):
    # Two cases whose submits both notify the same head: org.head.
    first = advance(org, new_innovation(org), "proposal")
    second = advance(org, new_innovation(org), "proposal")
    commits: list[str] = []
    first_inserted = threading.Event()

    def slow_submit():
        try:
            with transaction.atomic():
                act(org.operator, first, "submit")
                first_inserted.set()
                # Hold the transaction open while the other writer tries to insert.
                threading.Event().wait(1.0)
                commits.append("first")
        finally:
            connections.close_all()

    def quick_submit():
        try:
            first_inserted.wait(5)
            operator = type(org.operator).objects.get(pk=org.operator.pk)
            act(operator, second, "submit")
            commits.append("second")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=slow_submit), threading.Thread(target=quick_submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert commits == ["first", "second"]
    ids = {
        n.innovation_id: n.pk
        for n in Notification.objects.filter(recipient=org.head, kind="approval_requested")
    }
    assert ids[first.pk] < ids[second.pk]
