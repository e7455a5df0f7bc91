"""Cost of one case action (submit, approve, complete, accept) against the bare ORM floor.

Prints, per backend: median time and SQL statements per action, and the ratio of the median to
the floor (one UPDATE of the case row plus one history INSERT in a transaction), timed in the
same run. Two variants: "move" is the case move alone (process, case lock, history, deadline
clock) with the notification receivers detached; "full" adds the notification rows, their
delivery rows and the after-commit push. The target is the statement budget (at most 25 per
action, asserted by tests/workflow/test_query_budgets.py); time and ratio are printed to watch.
"""

import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def child() -> None:
    _setup.django_setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Stage
    from tests import factories
    from workflow.models import CaseEvent
    from workflow.signals import case_moved

    @contextlib.contextmanager
    def variant(name):
        """'move': no receivers on case_moved (the notification layer is detached)."""
        saved = case_moved.receivers
        if name == "move":
            case_moved.receivers = []
            case_moved.sender_receivers_cache.clear()
        try:
            yield
        finally:
            case_moved.receivers = saved
            case_moved.sender_receivers_cache.clear()

    org = factories.Org()
    samples: dict[str, list[tuple[float, int]]] = {}
    floor: list[float] = []

    def fresh_request(users):
        # Each action starts like a fresh request: the actor snapshot is not cached.
        for person in users:
            person.__dict__.pop("_pandu_actor", None)

    def measure(label, user, timed, counted, action):
        """Time one case's action (no query logging) and count another's queries."""
        fresh_request([user])
        start = time.perf_counter()
        factories.act(user, timed, action)
        elapsed = time.perf_counter() - start
        fresh_request([user])
        with CaptureQueriesContext(connection) as ctx:
            factories.act(user, counted, action)
        samples.setdefault(label, []).append((elapsed, len(ctx.captured_queries)))

    # (stage the case must be in, label, user, action, preparation outside the timing)
    plan = [
        (Stage.PROPOSAL, "submit", org.operator, "submit", None),
        (Stage.PROPOSAL_GATE, "approve", org.head, "approve", None),
        (Stage.MENTORING, "complete", org.mentor, "complete", factories.log_session),
        (Stage.VERIFICATION, "accept", org.verifier, "accept", factories.mark_all_evidence),
    ]
    for round_no in range(ROUNDS * 2):
        name = "move" if round_no % 2 == 0 else "full"
        for stage, action_label, user, action, prepare in plan:
            label = (name, action_label)
            timed, counted = (
                factories.advance(org, factories.new_innovation(org), stage) for _ in range(2)
            )
            if prepare:
                prepare(org, timed)
                prepare(org, counted)
            with variant(name):
                measure(label, user, timed, counted, action)
            innovation = timed
            # The floor: the two writes an action cannot avoid.
            start = time.perf_counter()
            with transaction.atomic():
                type(innovation).objects.filter(pk=innovation.pk).update(stage=innovation.stage)
                CaseEvent.objects.create(
                    innovation=innovation, actor=user, action="floor", to_stage=innovation.stage
                )
            floor.append(time.perf_counter() - start)

    backend = os.environ["BENCH_BACKEND"]
    floor_ms = statistics.median(floor) * 1000
    print(f"\n[{backend}] rounds={ROUNDS}  floor (1 UPDATE + 1 INSERT): {floor_ms:.2f} ms")
    print(f"{'variant':<8}{'action':<10}{'median ms':>11}{'queries':>9}{'ratio':>8}")
    for (name, action_label), rows in sorted(samples.items()):
        med = statistics.median(t for t, _ in rows) * 1000
        queries = max(q for _, q in rows)
        print(f"{name:<8}{action_label:<10}{med:>11.2f}{queries:>9}{med / floor_ms:>8.1f}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        _setup.run_per_backend(__file__)
