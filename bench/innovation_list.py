"""The innovation list (API and page) must cost the same number of SQL queries at any size.

Prints, per backend and per size (150 and 5,000 innovations): queries and median time of
GET /api/v1/innovations/ and GET /innovations/ for an admin (sees all) and a mentor (scoped).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "150,5000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def grow_to(total: int, org, urusan) -> None:
    """Add innovations in bulk (a list reads only the innovation rows and their joins)."""
    from mentoring.models import OPEN_STAGES, Innovation, MentorAssignment, Unit, UnitKind

    have = Innovation.objects.count()
    units = list(Unit.objects.all())
    while len(units) < 45:
        unit = Unit.objects.create(
            code=f"bench-{len(units)}", name=f"Unit Bench {len(units)}", kind=UnitKind.DINAS
        )
        MentorAssignment.objects.create(unit=unit, mentor=org.mentor, year=2026)
        units.append(unit)
    Innovation.objects.bulk_create(
        Innovation(
            unit=units[i % len(units)],
            year=2025 + i % 2,
            name=f"Inovasi Bench {i}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=OPEN_STAGES[i % len(OPEN_STAGES)],
            created_by=org.operator,
        )
        for i in range(have, total)
    )


def child() -> None:
    _setup.django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Urusan
    from tests import factories

    org = factories.Org()
    urusan = Urusan.objects.get(code="kesehatan")
    backend = os.environ["BENCH_BACKEND"]
    print(f"\n[{backend}]")
    print(f"{'innovations':>11} {'user':<7}{'endpoint':<22}{'queries':>8}{'median ms':>11}")
    for size in SIZES:
        grow_to(size, org, urusan)
        for who, user in (("admin", org.admin), ("mentor", org.mentor)):
            client = Client()
            client.force_login(user)
            for url in ("/api/v1/innovations/", "/innovations/"):
                times, queries = [], 0
                for _ in range(REPEAT):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get(url, HTTP_HOST="127.0.0.1")
                        times.append(time.perf_counter() - start)
                    assert response.status_code == 200, (url, response.status_code)
                    queries = len(ctx.captured_queries)
                med = statistics.median(times) * 1000
                print(f"{size:>11} {who:<7}{url:<22}{queries:>8}{med:>11.1f}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        _setup.run_per_backend(__file__)
