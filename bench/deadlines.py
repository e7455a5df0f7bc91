"""Deadline scan and overdue list at 10,000 and 100,000 open cases, 1,000 of them due.

Prints, per backend and size: the scan's time and SQL statements (1,000 overdue alerts, two
recipients each), a second scan (nothing left: idempotent), and the overdue list's statements and
median time (API, first page, as an admin and as a mentor). Targets: scan under 2 s at 100,000
open cases on PostgreSQL; the list's query count the same at both sizes.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
DUE = int(os.environ.get("BENCH_DUE", "1000"))
UNITS = 200


def child() -> None:
    _setup.django_setup()
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient

    from mentoring.models import (
        OPEN_STAGES,
        Bentuk,
        Inisiator,
        Innovation,
        Jenis,
        Membership,
        MentorAssignment,
        Unit,
        Urusan,
    )
    from workflow import deadlines
    from workflow.models import StageVisit
    from workflow.scans import scan_deadlines

    year = 2026
    today = timezone.localdate()
    cal = deadlines.calendar()
    sla = deadlines.policy_for(year)
    urusan = Urusan.objects.first()
    admin = User.objects.create_user("bench-admin")
    admin.groups.add(Group.objects.get(name="admin"))
    mentor = User.objects.create_user("bench-mentor")
    mentor.groups.add(Group.objects.get(name="mentor"))
    units = Unit.objects.bulk_create(
        Unit(code=f"bench-{i}", name=f"Unit {i}", kind="dinas") for i in range(UNITS)
    )
    people = User.objects.bulk_create(
        User(username=f"bench-{kind}-{i}") for i in range(UNITS) for kind in ("head", "op")
    )
    Membership.objects.bulk_create(
        Membership(unit=unit, user=people[2 * i + j], position=("head", "operator")[j])
        for i, unit in enumerate(units)
        for j in range(2)
    )
    # The mentor holds five units: their list is a slice of the whole.
    MentorAssignment.objects.bulk_create(
        MentorAssignment(unit=unit, mentor=mentor, year=year) for unit in units[:5]
    )
    # Future visits start in the past (entered long ago) but are due after today.
    entered = timezone.now() - dt.timedelta(days=1)

    def grow(to: int) -> None:
        have = Innovation.objects.count()
        for start in range(have, to, 5000):
            rows = Innovation.objects.bulk_create(
                Innovation(
                    unit=units[n % UNITS],
                    year=year,
                    name=f"Inovasi {n}",
                    bentuk=Bentuk.PELAYANAN_PUBLIK,
                    jenis=Jenis.DIGITAL,
                    inisiator=Inisiator.ASN,
                    main_urusan=urusan,
                    created_by=admin,
                    stage=OPEN_STAGES[n % len(OPEN_STAGES)],
                )
                for n in range(start, min(to, start + 5000))
            )
            StageVisit.objects.bulk_create(
                deadlines.new_visit(
                    innovation_id=row.pk,
                    year=year,
                    stage=row.stage,
                    at=entered + dt.timedelta(days=30),  # due well after today
                    sla=sla,
                    cal=cal,
                )
                for row in rows
            )

    def arm() -> None:
        """Make DUE open visits overdue today with their reminder already sent."""
        due = cal.subtract(cal.overdue_cutoff(today), 1)  # overdue from the cutoff on
        ids = list(
            StageVisit.objects.filter(left_at__isnull=True, alerts_sent=0)
            .order_by("?")
            .values_list("pk", flat=True)[:DUE]
        )
        StageVisit.objects.filter(pk__in=ids).update(
            due_date=due,
            remind_on=cal.subtract(due, 2),
            escalate_on=cal.add(due, 3),
            alerts_sent=1,
            next_alert_on=cal.overdue_from(due),
        )

    def timed(fn):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        return result, elapsed, len(ctx.captured_queries)

    def list_cost(user) -> tuple[float, int, int]:
        client = APIClient()
        client.force_authenticate(user)
        samples = []
        for _ in range(5):
            user.__dict__.pop("_pandu_actor", None)  # each request starts fresh
            response, elapsed, queries = timed(
                lambda: client.get("/api/v1/innovations/", {"overdue": "true"})
            )
            assert response.status_code == 200, response.content[:300]
            samples.append((elapsed, queries))
        return (
            statistics.median(t for t, _q in samples) * 1000,
            max(q for _t, q in samples),
            response.data["count"],
        )

    backend = os.environ["BENCH_BACKEND"]
    print(f"\n[{backend}] due per size: {DUE}")
    print(
        f"{'open':>8}{'scan s':>9}{'queries':>9}{'alerts':>8}{'rescan q':>10}"
        f"{'list admin ms/q':>17}{'list mentor ms/q':>18}{'overdue':>9}"
    )
    for size in SIZES:
        grow(size)
        arm()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        result, elapsed, queries = timed(lambda: scan_deadlines(today=today))
        _again, _t, requeries = timed(lambda: scan_deadlines(today=today))
        admin_ms, admin_q, overdue = list_cost(admin)
        mentor_ms, mentor_q, _n = list_cost(mentor)
        print(
            f"{size:>8}{elapsed:>9.3f}{queries:>9}{sum(result.counts.values()):>8}{requeries:>10}"
            f"{admin_ms:>11.1f}/{admin_q:<5}{mentor_ms:>12.1f}/{mentor_q:<5}{overdue:>9}"
        )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        _setup.run_per_backend(__file__)
