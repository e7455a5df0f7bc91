"""Cost of one case action (submit, approve, complete, accept) against the bare ORM floor.

Prints, per backend: median time and SQL statements per action, and the ratio of the median to
the floor (one UPDATE of the case row plus one history INSERT in a transaction), timed in the
same run. Targets: <= 25 queries per action, ratio < 10.
"""

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

    org = factories.Org()
    samples: dict[str, list[tuple[float, int]]] = {}
    floor: list[float] = []

    def measure(label, user, innovation, action):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = factories.act(user, innovation, action)
            elapsed = time.perf_counter() - start
        samples.setdefault(label, []).append((elapsed, len(ctx.captured_queries)))
        return result

    # (stage the case must be in, label, user, action, preparation outside the timing)
    plan = [
        (Stage.PROPOSAL, "submit", org.operator, "submit", None),
        (Stage.PROPOSAL_GATE, "approve", org.head, "approve", None),
        (Stage.MENTORING, "complete", org.mentor, "complete", factories.log_session),
        (Stage.VERIFICATION, "accept", org.verifier, "accept", factories.mark_all_evidence),
    ]
    for _ in range(ROUNDS):
        for stage, label, user, action, prepare in plan:
            innovation = factories.advance(org, factories.new_innovation(org), stage)
            if prepare:
                prepare(org, innovation)
            # Each action starts like a fresh request: the actor snapshot is not cached.
            for person in (org.operator, org.head, org.mentor, org.verifier):
                person.__dict__.pop("_pandu_actor", None)
            measure(label, user, innovation, action)
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
    print(f"{'action':<10}{'median ms':>11}{'queries':>9}{'ratio':>8}")
    for label, rows in samples.items():
        med = statistics.median(t for t, _ in rows) * 1000
        queries = max(q for _, q in rows)
        print(f"{label:<10}{med:>11.2f}{queries:>9}{med / floor_ms:>8.1f}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        _setup.run_per_backend(__file__)
