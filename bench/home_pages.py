"""Each role's home page ("Tugas saya" + dashboards) must cost the same number of SQL queries at
any size.

Prints, per backend: queries and median time of GET / for the admin, a mentor, an OPD head and
the observer with 45 and 550 units, each with 150 and 5,000 innovations of the year (open stage
visits half overdue, three finished visits per case for the cycle times, a session with a
follow-up on every third case). The mentor leads every sixth unit (8 units at 45, 92 at 550).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

UNITS = [int(n) for n in os.environ.get("BENCH_UNITS", "45,550").split(",")]
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "150,5000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
YEAR = 2026
PREFIX = "Inovasi Bench"


def units_to(total: int, org) -> list:
    """Units up to `total`, each with a head and a lead mentor for YEAR (org.mentor every 6th)."""
    from django.contrib.auth.models import User

    from mentoring.models import Membership, MentorAssignment, Unit, UnitKind

    have = Unit.objects.count()
    if have < total:
        units = Unit.objects.bulk_create(
            Unit(code=f"bench-{i}", name=f"Unit Bench {i:04d}", kind=UnitKind.DINAS)
            for i in range(have, total)
        )
        heads = User.objects.bulk_create(
            User(username=f"bench-head-{unit.code}", password="!") for unit in units
        )
        Membership.objects.bulk_create(
            Membership(unit=unit, user=head, position="head")
            for unit, head in zip(units, heads, strict=True)
        )
        mentors = list(User.objects.filter(username__startswith="bench-mentor-"))
        need = max(6, total // 9) - len(mentors)
        if need > 0:
            mentors += User.objects.bulk_create(
                User(username=f"bench-mentor-{len(mentors) + i}", password="!") for i in range(need)
            )
        MentorAssignment.objects.bulk_create(
            MentorAssignment(
                unit=unit,
                mentor=org.mentor if (have + i) % 6 == 0 else mentors[(have + i) % len(mentors)],
                year=YEAR,
            )
            for i, unit in enumerate(units)
        )
    return list(Unit.objects.order_by("pk"))


def innovations_to(total: int, org, units: list, urusan) -> None:
    """Innovations of YEAR (and a few of YEAR - 1) spread over `units`, with stage visits."""
    from django.utils import timezone

    from mentoring.models import FollowUp, Innovation, MentoringSession, Stage
    from workflow import lifecycle
    from workflow.models import StageVisit

    have = Innovation.objects.filter(name__startswith=PREFIX).count()
    stages = [value for value, _label in Stage.choices]
    cases = Innovation.objects.bulk_create(
        Innovation(
            unit=units[i % len(units)],
            year=YEAR if i % 10 else YEAR - 1,
            name=f"{PREFIX} {i}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=stages[i % len(stages)],
            awaiting=lifecycle.holder_of(stages[i % len(stages)]),
            created_by=org.operator,
        )
        for i in range(have, total)
    )
    today = timezone.localdate()
    now = timezone.now()
    visits = []
    for i, case in enumerate(cases):
        start = now - dt.timedelta(days=40 + i % 30)
        for k, stage in enumerate((Stage.PROPOSAL, Stage.PROPOSAL_GATE, Stage.MENTORING)):
            visits.append(
                StageVisit(
                    innovation=case,
                    stage=stage,
                    holder=lifecycle.holder_of(stage),
                    entered_at=start + dt.timedelta(days=5 * k),
                    left_at=start + dt.timedelta(days=5 * k + 1 + (i + k) % 7),
                )
            )
        if case.stage in lifecycle.DEFAULT_SLA_DAYS:
            due = today + dt.timedelta(days=i % 20 - 10)
            visits.append(
                StageVisit(
                    innovation=case,
                    stage=case.stage,
                    holder=case.awaiting,
                    entered_at=now - dt.timedelta(days=5),
                    due_date=due,
                    remind_on=due - dt.timedelta(days=2),
                )
            )
    StageVisit.objects.bulk_create(visits, batch_size=2000)
    sessions = MentoringSession.objects.bulk_create(
        MentoringSession(
            innovation=case, mentor=org.mentor, date=today, mode="daring", topic="Bench"
        )
        for i, case in enumerate(cases)
        if i % 3 == 0
    )
    FollowUp.objects.bulk_create(
        FollowUp(session=s, description="Tindak lanjut", due_date=today) for s in sessions
    )


def child() -> None:
    _setup.django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Innovation, MentorAssignment, Urusan
    from tests import factories

    org = factories.Org(year=YEAR)
    urusan = Urusan.objects.get(code="kesehatan")
    people = {
        "admin": org.admin,
        "mentor": org.mentor,
        "head": org.head,
        "observer": org.observer,
    }
    backend = os.environ["BENCH_BACKEND"]
    print(f"\n[{backend}]")
    print(f"{'units':>6}{'innovations':>12} {'user':<9}{'queries':>8}{'median ms':>11}")
    for unit_count in UNITS:
        Innovation.objects.filter(name__startswith=PREFIX).delete()
        units = units_to(unit_count, org)
        for size in SIZES:
            innovations_to(size, org, units, urusan)
            assert Innovation.objects.filter(name__startswith=PREFIX).count() == size
            for who, user in people.items():
                client = Client()
                client.force_login(user)
                client.get("/", HTTP_HOST="127.0.0.1")  # warm-up: session, calendar cache
                times, queries = [], 0
                for _ in range(REPEAT):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get("/", HTTP_HOST="127.0.0.1")
                        times.append(time.perf_counter() - start)
                    assert response.status_code == 200, (who, response.status_code)
                    queries = len(ctx.captured_queries)
                med = statistics.median(times) * 1000
                print(f"{unit_count:>6}{size:>12} {who:<9}{queries:>8}{med:>11.1f}")
    mentor_units = MentorAssignment.objects.filter(mentor=org.mentor, year=YEAR).count()
    print(f"(the bench mentor has {mentor_units} units at the largest size)")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        _setup.run_per_backend(__file__)
