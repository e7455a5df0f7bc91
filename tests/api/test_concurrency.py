"""Twenty people press "approve" on the same case at once: exactly one wins (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections
from knox.models import AuthToken
from rest_framework.test import APIClient

from mentoring.models import Stage
from tests.factories import Org, advance, new_innovation
from workflow.flows import InnovationFlow
from workflow.models import CaseEvent

THREADS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


# serialized_rollback: the flush after a transactional test would otherwise drop the master
# data (urusan, indicators) and role groups that the migrations loaded for the other tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_move_the_case_once():
    org = Org()
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    _row, token = AuthToken.objects.create(user=org.head)
    events_before = CaseEvent.objects.filter(innovation=innovation).count()
    url = f"/api/v1/innovations/{innovation.pk}/actions/approve/"

    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def attempt() -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=10)
            statuses.append(client.post(url, {"comment": "Setuju."}, format="json").status_code)
        except BaseException as exc:  # reported below; a thread must not die silently
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    started = time.monotonic()
    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    connections.close_all()

    assert not failures, failures
    assert sorted(statuses) == [200] + [409] * (THREADS - 1)
    assert elapsed < 30, elapsed
    innovation.refresh_from_db()
    assert innovation.stage == Stage.MENTORING
    new_events = CaseEvent.objects.filter(innovation=innovation).count() - events_before
    assert new_events == 1
    # The process moved once too: one mentoring task, not one per winner.
    assert innovation.process.task_set.filter(flow_task=InnovationFlow.mentoring).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_waits_for_an_edit_holding_the_case_row_then_moves():
    from django.db import transaction

    from mentoring.models import Innovation
    from tests.factories import act

    org = Org()
    innovation = new_innovation(org)
    locked, release = threading.Event(), threading.Event()

    def editor():  # like an evidence upload: the case row locked while the file is stored
        try:
            with transaction.atomic():
                Innovation.objects.select_for_update().get(pk=innovation.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=editor)
    thread.start()
    assert locked.wait(10)
    threading.Timer(1.5, release.set).start()
    started = time.monotonic()
    moved = act(org.operator, innovation, "submit")  # waits, no 409
    waited = time.monotonic() - started
    thread.join(10)
    assert moved.stage == Stage.PROPOSAL_GATE
    assert waited >= 1.4, waited
