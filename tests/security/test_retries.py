"""Finding 10: after a dropped connection, the retry of an approval that did commit got 409; a
stale `withdraw` sent while `approve` won still withdrew. Now actions take an Idempotency-Key
(a retry returns the original event) and an expected stage (a stale action gets 409)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from mentoring.models import Innovation, Stage
from tests.api.conftest import bearer
from tests.factories import Org, advance, new_innovation
from workflow.models import ActionReceipt, CaseEvent

API = "/api/v1"


def act(client, innovation, action: str, key: str | None = None, **body):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"{API}/innovations/{innovation.pk}/actions/{action}/", body, format="json", **headers
    )


@pytest.mark.django_db
def test_a_retry_with_the_same_key_returns_the_original_event(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    head = bearer(org.head)
    first = act(head, innovation, "approve", "kunci-1", comment="Setuju.")
    assert first.status_code == 200 and "Idempotent-Replayed" not in first
    again = act(head, innovation, "approve", "kunci-1", comment="Setuju.")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["event"] == first.json()["event"]
    assert CaseEvent.objects.filter(innovation=innovation, action="approve").count() == 1
    # Without the key, the same retry is what it always was: the case has moved on.
    assert act(head, innovation, "approve", comment="Setuju.").status_code == 409


@pytest.mark.django_db
def test_a_key_used_for_another_request_is_refused(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    head = bearer(org.head)
    assert act(head, innovation, "approve", "kunci-2").status_code == 200
    other = act(head, innovation, "return", "kunci-2", comment="Perbaiki.")
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["errors"]
    too_long = act(head, innovation, "approve", "k" * 256)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()["errors"]


@pytest.mark.django_db
def test_a_stale_withdraw_loses_to_the_approval_that_won(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    head = bearer(org.head)
    seen = Stage.PROPOSAL_GATE.value
    assert act(head, innovation, "approve", expected_stage=seen).status_code == 200
    stale = act(head, innovation, "withdraw", comment="Tarik.", expected_stage=seen)
    assert stale.status_code == 409
    assert "expected_stage" in stale.json()["errors"]
    innovation.refresh_from_db()
    assert innovation.stage == Stage.MENTORING
    bad = act(head, innovation, "withdraw", comment="Tarik.", expected_stage="nope")
    assert bad.status_code == 400 and "expected_stage" in bad.json()["errors"]


@pytest.mark.django_db
def test_the_case_page_sends_its_stage_and_a_key(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    browser = Client()
    browser.force_login(org.head)
    page = browser.get(f"/innovations/{innovation.pk}/").content.decode()
    assert 'name="expected_stage" value="proposal_gate"' in page
    assert 'name="request_key"' in page
    form = {"expected_stage": "proposal_gate", "request_key": "abc123", "comment": ""}
    url = f"/innovations/{innovation.pk}/actions/approve/"
    assert browser.post(url, form).status_code == 302
    # The same form sent again (a double click, a resend): success again, one move.
    assert browser.post(url, form).status_code == 302
    assert CaseEvent.objects.filter(innovation=innovation, action="approve").count() == 1
    # A stale page's withdraw is refused: back to the case as it is now, with the reason.
    stale = {"expected_stage": "proposal_gate", "request_key": "def456", "comment": "Tarik."}
    response = browser.post(f"/innovations/{innovation.pk}/actions/withdraw/", stale)
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    assert "sudah berubah" in page and "Tarik.</textarea>" in page
    assert Innovation.objects.get(pk=innovation.pk).stage == Stage.MENTORING


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_with_one_key_act_once_and_all_succeed():
    org = Org()
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    _row, token = AuthToken.objects.create(user=org.head)
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def retry() -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait(timeout=10)
            statuses.append(act(client, innovation, "approve", "sama").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    connections.close_all()
    assert statuses == [200] * 8
    assert CaseEvent.objects.filter(innovation=innovation, action="approve").count() == 1
    assert ActionReceipt.objects.count() == 1
