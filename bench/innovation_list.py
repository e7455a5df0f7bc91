"""The innovation list (API and page) must cost the same number of SQL queries, and about the
same time, at any size (issue 14: within 150 ms and 2x of the smallest size).

Prints, per backend and per size (150, 50,000 and 500,000 innovations: `BENCH_SIZES`; SQLite
stops at `BENCH_SQLITE_MAX`, 50,000): queries and median time of GET /api/v1/innovations/ and
GET /innovations/ for an admin (sees all) and a mentor (scoped, with the API's first keyset
page too), and for the admin: a page half-way down the list (the API by page number and by
position, `after=<year>.<id>`; the web list by position), the API's first keyset page
(`after=`), a word search, the overdue cases (the API by page number, and by position at the
first page, half-way and at the last page) and a year + stage filter. Up to 50,000 the cases
are of 2025 and 2026, open, each with an open stage visit (half of them overdue); beyond that
(PostgreSQL) the rest are closed cases of the nine years before, copied in SQL.
`BENCH_BACKENDS=postgresql` skips SQLite; `BENCH_PG_URL` names the PostgreSQL database.
`BENCH_EXISTING=1` measures the database at `BENCH_PG_URL` as it is, without dropping or adding
anything (migrations apart): e.g. the 550-unit 500,000 that bench/home_pages.py builds.
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

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "150,50000,500000").split(",")]
SQLITE_MAX = int(os.environ.get("BENCH_SQLITE_MAX", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
PREFIX = "Inovasi Bench"
ORM_MAX = 50_000
CHUNK = 5_000
PAGE = 25  # the API's page size (settings.REST_FRAMEWORK)


def grow_to(total: int, org, urusan) -> None:
    """Add innovations in bulk (a list reads only the innovation rows and their joins)."""
    from mentoring.models import Innovation, MentorAssignment, Unit, UnitKind

    have = Innovation.objects.count()
    units = list(Unit.objects.all())
    while len(units) < 45:
        unit = Unit.objects.create(
            code=f"bench-{len(units)}", name=f"Unit Bench {len(units)}", kind=UnitKind.DINAS
        )
        MentorAssignment.objects.create(unit=unit, mentor=org.mentor, year=2026)
        units.append(unit)
    for start in range(have, min(total, ORM_MAX), CHUNK):
        _orm_chunk(start, min(start + CHUNK, total, ORM_MAX), org, units, urusan)
    if total > ORM_MAX:
        years = list(range(2024, 2015, -1))
        missing = total - max(have, ORM_MAX)
        _bulk.copy_closed_years(
            prefix=PREFIX, source_year=2026, years=years, per_year=missing // len(years)
        )
        rest = total - Innovation.objects.count()
        _bulk.copy_closed_years(prefix=PREFIX, source_year=2026, years=years[:1], per_year=rest)
    _bulk.analyze()


def _orm_chunk(first: int, end: int, org, units: list, urusan) -> None:
    from django.utils import timezone

    from mentoring.models import OPEN_STAGES, Innovation
    from workflow import lifecycle
    from workflow.models import StageVisit

    cases = Innovation.objects.bulk_create(
        Innovation(
            unit=units[i % len(units)],
            year=2025 + i % 2,
            name=f"{PREFIX} {i}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=OPEN_STAGES[i % len(OPEN_STAGES)],
            awaiting=lifecycle.holder_of(OPEN_STAGES[i % len(OPEN_STAGES)]),
            created_by=org.operator,
        )
        for i in range(first, end)
    )
    today, now = timezone.localdate(), timezone.now()
    StageVisit.objects.bulk_create(
        (
            StageVisit(
                innovation=case,
                stage=case.stage,
                holder=case.awaiting,
                entered_at=now - dt.timedelta(days=5),
                due_date=today + dt.timedelta(days=i % 20 - 10),
                remind_on=today + dt.timedelta(days=i % 20 - 12),
            )
            for i, case in enumerate(cases, start=first)
        ),
        batch_size=2000,
    )


def positions(user, params: dict) -> list[tuple[int, int]]:
    """The list's (year, id) positions for `user` with the filters `params` (newest first)."""
    from workflow import selectors

    return list(selectors.innovation_list(user=user, params=params).values_list("year", "id"))


def deep_urls(url: str, admin) -> list[str]:
    """For the admin, the list deep down and filtered. The API: page numbers (OFFSET and a
    count) half-way or, in a long list, at the last numbered page (LIST_COUNT_CAP rows deep;
    deeper pages answer 400), and positions (`after`, keyset, no count) at the first page,
    half-way and, for the
    overdue cases, the last page (the one that must show nothing follows); the web list by
    position half-way."""
    from workflow.selectors import LIST_COUNT_CAP

    everything = positions(admin, {})
    half = "{}.{}".format(*everything[len(everything) // 2])
    if not url.startswith("/api/"):
        return [f"{url}?after={half}", f"{url}?q=4242", f"{url}?overdue=true"]
    overdue = positions(admin, {"overdue": "true"})
    overdue_half = "{}.{}".format(*overdue[len(overdue) // 2])
    # The last page starts after the row that ends the page before it.
    overdue_last = "{}.{}".format(*overdue[max(0, (len(overdue) - 1) // PAGE * PAGE - 1)])
    return [
        f"{url}?page={max(1, min(len(everything) // 2, LIST_COUNT_CAP) // PAGE)}",
        f"{url}?after=",
        f"{url}?after={half}",
        f"{url}?q=4242",
        f"{url}?overdue=true",
        f"{url}?overdue=true&after=",
        f"{url}?overdue=true&after={overdue_half}",
        f"{url}?overdue=true&after={overdue_last}",
    ]


def measure(size: int, people: dict) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    runs = []
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        for url in ("/api/v1/innovations/", "/innovations/"):
            runs.append((who, client, url))
            if who == "admin":
                runs += [(who, client, deep) for deep in deep_urls(url, user)]
                runs.append((who, client, f"{url}?year=2026&stage=mentoring"))
            elif url.startswith("/api/"):
                runs.append((who, client, f"{url}?after="))
    for who, client, url in runs:
        client.get(url, HTTP_HOST="127.0.0.1")  # warm-up
        times, queries = [], 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1")
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        med = statistics.median(times) * 1000
        print(f"{size:>11} {who:<7}{url:<52}{queries:>8}{med:>11.1f}", flush=True)


def header(backend: str) -> None:
    print(f"\n[{backend}]")
    print(f"{'innovations':>11} {'user':<7}{'request':<52}{'queries':>8}{'median ms':>11}")


def child() -> None:
    _setup.django_setup()
    from mentoring.models import Urusan
    from tests import factories

    org = factories.Org()
    urusan = Urusan.objects.get(code="kesehatan")
    backend = os.environ["BENCH_BACKEND"]
    header(backend)
    for size in SIZES:
        if backend == "sqlite" and size > SQLITE_MAX:
            print(f"{size:>11} (SQLite stops at {SQLITE_MAX})")
            continue
        started = time.perf_counter()
        grow_to(size, org, urusan)
        print(f"{size:>11} (data built in {time.perf_counter() - started:.0f} s)", flush=True)
        measure(size, {"admin": org.admin, "mentor": org.mentor})


def existing() -> None:
    """Measure the database at `BENCH_PG_URL` as it is (e.g. bench/home_pages.py's 500,000):
    its first admin, and the mentor with the most units."""
    os.environ.update(
        DATABASE_URL=_setup.PG_URL,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
    )
    _setup.django_setup()
    from django.contrib.auth.models import User
    from django.db.models import Count

    from mentoring.models import Innovation, Role

    admin = User.objects.filter(groups__name=Role.ADMIN, is_active=True).order_by("pk").first()
    mentor = (
        User.objects.annotate(units=Count("mentor_assignments"))
        .filter(is_active=True, units__gt=0)
        .order_by("-units", "pk")
        .first()
    )
    assert admin is not None and mentor is not None, "no admin or mentor in this database"
    header(f"postgresql, existing database {_setup.PG_URL.rsplit('/', 1)[1]}")
    measure(Innovation.objects.count(), {"admin": admin, "mentor": mentor})


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    elif os.environ.get("BENCH_EXISTING") == "1":
        existing()
    else:
        _setup.run_per_backend(__file__)
