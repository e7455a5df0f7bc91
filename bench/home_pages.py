"""Each role's home page ("Tugas saya" + dashboards) must cost the same number of SQL queries,
and about the same time, at any size (issue 14: within 150 ms and 2x of the smallest size).

Prints, per backend: queries and median time of GET / for the admin, a mentor, an OPD head and
the observer, and of the reports page for the admin, with 550 units (`BENCH_UNITS`, e.g.
"45,550") and 150, 50,000 and 500,000 innovations (`BENCH_SIZES`; SQLite stops at
`BENCH_SQLITE_MAX`, 50,000). Up to 55,556 innovations, nine in ten are of the programme year
and one in ten of the year before (open stage visits half overdue, three finished visits per
case for the cycle times, a session with a follow-up on every third case); beyond that
(PostgreSQL), the rest are closed cases of the nine earlier years, copied in SQL: 500,000 is
50,000 this year and ten years of history. The mentor leads every sixth unit (92 at 550).
`BENCH_BACKENDS=postgresql` skips SQLite; `BENCH_PG_URL` names the PostgreSQL database.

Below each size's pages come the reads behind them alone, in the same units: the mentor's
dashboard (dashboards.selectors.mentor_dashboard), the admin's summary and its cycle times.
`BENCH_REUSE=1` times the PostgreSQL database `BENCH_PG_URL` as it is (migrated, neither dropped
nor rebuilt: e.g. a copy of one built before), at the size it holds, with the people a run made.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _bulk  # noqa: E402
import _setup  # noqa: E402

UNITS = [int(n) for n in os.environ.get("BENCH_UNITS", "550").split(",")]
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "150,50000,500000").split(",")]
SQLITE_MAX = int(os.environ.get("BENCH_SQLITE_MAX", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
YEAR = 2026
PREFIX = "Inovasi Bench"
# Built through the ORM up to this many (90% of the year, 10% the year before), copied beyond.
ORM_MAX = 55_556
CHUNK = 5_000
PAGES = (("/", ("admin", "mentor", "head", "observer")), ("/reports/", ("admin",)))
# The role groups of the people a run's Org made (the first of each group, in reuse).
GROUPS = {"admin": "admin", "mentor": "mentor", "head": "opd_head", "observer": "observer"}


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
    """Innovations of YEAR (and a tenth of YEAR - 1) spread over `units`, with stage visits,
    up to ORM_MAX; beyond, closed cases of the nine years before, copied in SQL."""
    from mentoring.models import Innovation

    have = Innovation.objects.filter(name__startswith=PREFIX).count()
    for start in range(have, min(total, ORM_MAX), CHUNK):
        _orm_chunk(start, min(start + CHUNK, total, ORM_MAX), org, units, urusan)
    if total > ORM_MAX:
        years = list(range(YEAR - 2, YEAR - 11, -1))
        missing = total - max(have, ORM_MAX)
        _bulk.copy_closed_years(
            prefix=PREFIX, source_year=YEAR, years=years, per_year=missing // len(years)
        )
        rest = total - Innovation.objects.filter(name__startswith=PREFIX).count()
        _bulk.copy_closed_years(prefix=PREFIX, source_year=YEAR, years=years[:1], per_year=rest)
    _bulk.analyze()


def _orm_chunk(first: int, end: int, org, units: list, urusan) -> None:
    from django.utils import timezone

    from mentoring.models import FollowUp, Innovation, MentoringSession, Stage
    from workflow import lifecycle
    from workflow.models import StageVisit

    have = first
    total = end
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
    for i, case in enumerate(cases, start=have):
        start = now - dt.timedelta(days=40 + i % 30)
        for k, stage in enumerate((Stage.PROPOSAL, Stage.PROPOSAL_GATE, Stage.MENTORING)):
            visits.append(
                StageVisit(
                    innovation=case,
                    year=case.year,
                    stage=stage,
                    holder=lifecycle.holder_of(stage),
                    entered_at=start + dt.timedelta(days=5 * k),
                    left_at=start + dt.timedelta(days=5 * k + 1 + (i + k) % 7),
                    # A finished visit keeps its due date, as in production.
                    due_date=(start + dt.timedelta(days=5 * k + 5)).date(),
                )
            )
        if case.stage in lifecycle.DEFAULT_SLA_DAYS:
            due = today + dt.timedelta(days=i % 20 - 10)
            visits.append(
                StageVisit(
                    innovation=case,
                    year=case.year,
                    stage=case.stage,
                    holder=case.awaiting,
                    entered_at=now - dt.timedelta(days=5),
                    due_date=due,
                    remind_on=due - dt.timedelta(days=2),
                )
            )
    for visit in visits:
        visit.set_days()  # bulk_create skips StageVisit.save, which sets them
    StageVisit.objects.bulk_create(visits, batch_size=2000)
    sessions = MentoringSession.objects.bulk_create(
        MentoringSession(
            innovation=case, mentor=org.mentor, date=today, mode="daring", topic="Bench"
        )
        for i, case in enumerate(cases, start=have)
        if i % 3 == 0
    )
    FollowUp.objects.bulk_create(
        FollowUp(session=s, description="Tindak lanjut", due_date=today) for s in sessions
    )


def _median_ms(call) -> tuple[int, float]:
    """Queries and median milliseconds of `call()` over REPEAT runs, after a warm-up run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times) * 1000


def _time_size(unit_count: int, size: int, people: dict) -> None:
    from django.test import Client

    from dashboards import selectors

    def line(page: str, who: str, queries: int, ms: float) -> None:
        print(f"{unit_count:>6}{size:>12} {page:<10}{who:<9}{queries:>8}{ms:>11.1f}", flush=True)

    for url, who_all in PAGES:
        for who in who_all:
            client = Client()
            client.force_login(people[who])

            def get(client=client, url=url, who=who) -> None:
                response = client.get(url, HTTP_HOST="127.0.0.1")
                assert response.status_code == 200, (who, url, response.status_code)

            line(url, who, *_median_ms(get))
    mentor = people["mentor"]
    reads = (
        ("mentor()", "mentor", lambda: selectors.mentor_dashboard(user=mentor, year=YEAR)),
        ("summary()", "admin", lambda: selectors.summary(year=YEAR)),
        ("cycle()", "admin", lambda: selectors.cycle_times(year=YEAR)),
    )
    for name, who, call in reads:
        line(name, who, *_median_ms(call))


def child() -> None:
    _setup.django_setup()
    from django.contrib.auth.models import User

    from mentoring.models import Innovation, MentorAssignment, Urusan
    from tests import factories

    if REUSE:
        people = {
            who: User.objects.filter(groups__name=group).order_by("pk").first()
            for who, group in GROUPS.items()
        }
    else:
        org = factories.Org(year=YEAR)
        people = {who: getattr(org, who) for who in GROUPS}
    urusan = Urusan.objects.get(code="kesehatan")
    backend = os.environ["BENCH_BACKEND"]
    print(f"\n[{backend}]")
    print(f"{'units':>6}{'innovations':>12} {'page':<10}{'user':<9}{'queries':>8}{'median ms':>11}")
    for unit_count in UNITS:
        if REUSE:
            size = Innovation.objects.filter(name__startswith=PREFIX).count()
            print(f"{unit_count:>6}{size:>12} (data reused)", flush=True)
            _time_size(unit_count, size, people)
            continue
        if Innovation.objects.filter(name__startswith=PREFIX).exists():
            Innovation.objects.filter(name__startswith=PREFIX).delete()
        units = units_to(unit_count, org)
        for size in SIZES:
            if backend == "sqlite" and size > SQLITE_MAX:
                print(f"{unit_count:>6}{size:>12} (SQLite stops at {SQLITE_MAX})")
                continue
            started = time.perf_counter()
            innovations_to(size, org, units, urusan)
            assert Innovation.objects.filter(name__startswith=PREFIX).count() == size
            built = time.perf_counter() - started
            print(f"{unit_count:>6}{size:>12} (data built in {built:.0f} s)", flush=True)
            _time_size(unit_count, size, people)
    mentor_units = MentorAssignment.objects.filter(mentor=people["mentor"], year=YEAR).count()
    print(f"(the bench mentor has {mentor_units} units at the largest size)")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    elif REUSE:
        # The settings _setup.run_per_backend gives a child, on the database as it is.
        os.environ.update(
            DATABASE_URL=_setup.PG_URL,
            BENCH_BACKEND="postgresql",
            DJANGO_DEBUG="0",
            DJANGO_SECURE_SSL_REDIRECT="0",
        )
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
        child()
    else:
        _setup.run_per_backend(__file__)
