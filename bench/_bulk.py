"""Data at national size for the benches, fast: earlier programme years are copied in SQL.

Raw SQL serves data generation only (the pages under test use the ORM). Table and column names
come from the models' `_meta` and are quoted by the connection; every value is a parameter.
Past years are closed: their cases are done, with three finished stage visits each (with
their due dates, as production keeps them).
"""

import datetime as dt

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def copy_closed_years(*, prefix: str, source_year: int, years: list[int], per_year: int) -> int:
    """Copy `per_year` of `source_year`'s bench innovations (name starting with `prefix`) into
    each of `years` as finished cases (stage done, waiting for nobody) with three finished
    stage visits each; PostgreSQL only. Returns the number of innovations added."""
    from mentoring.models import Holder, Innovation, Stage
    from workflow.models import StageVisit

    assert connection.vendor == "postgresql"
    table = _q(Innovation._meta.db_table)
    fields = [f for f in Innovation._meta.concrete_fields if not f.primary_key]
    replaced = {"year": "%s", "stage": "%s", "awaiting": "%s"}
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(replaced.get(f.column, _q(f.column)) for f in fields)
    visit_table = _q(StageVisit._meta.db_table)
    added = 0
    with connection.cursor() as cursor:
        for year in years:
            left = per_year
            while left > 0:
                # SELECT picks year, stage, awaiting in the order of `fields`.
                params = [
                    {"year": year, "stage": Stage.DONE, "awaiting": Holder.NONE}[f.column]
                    for f in fields
                    if f.column in replaced
                ]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} "  # noqa: S608
                    f"WHERE {_q('year')} = %s AND {_q('name')} LIKE %s "
                    f"ORDER BY {_q('id')} LIMIT %s",
                    [*params, source_year, prefix + "%", left],
                )
                if cursor.rowcount <= 0:
                    break
                left -= cursor.rowcount
                added += cursor.rowcount
            start = dt.datetime(year, 3, 1, 9, tzinfo=dt.UTC)
            cursor.execute(
                f"INSERT INTO {visit_table} ({_q('innovation_id')}, {_q('stage')}, "  # noqa: S608
                f"{_q('holder')}, {_q('entered_at')}, {_q('left_at')}, {_q('due_date')}, "
                f"{_q('national')}, {_q('alerts_sent')}) "
                f"SELECT i.{_q('id')}, s.stage, s.holder, "
                f"%s + (i.{_q('id')} %% 30 + 5 * s.k) * interval '1 day', "
                f"%s + (i.{_q('id')} %% 30 + 5 * s.k + 1 + (i.{_q('id')} + s.k) %% 7) "
                f"* interval '1 day', "
                f"(%s + (i.{_q('id')} %% 30 + 5 * s.k + 5) * interval '1 day')::date, false, 0 "
                f"FROM {table} i CROSS JOIN (VALUES (0, %s, %s), (1, %s, %s), (2, %s, %s)) "
                f"AS s(k, stage, holder) "
                f"WHERE i.{_q('year')} = %s AND i.{_q('name')} LIKE %s",
                [
                    start,
                    start,
                    start,
                    Stage.PROPOSAL,
                    Holder.OPD,
                    Stage.PROPOSAL_GATE,
                    Holder.HEAD,
                    Stage.MENTORING,
                    Holder.MENTOR,
                    year,
                    prefix + "%",
                ],
            )
    # The visits' own year and local days, as the engine would have set them.
    zone = timezone.get_current_timezone()
    StageVisit.objects.filter(year__isnull=True).update(
        year=Subquery(Innovation.objects.filter(pk=OuterRef("innovation_id")).values("year")[:1]),
        entered_on=TruncDate("entered_at", tzinfo=zone),
        left_on=TruncDate("left_at", tzinfo=zone),
    )
    return added


def analyze() -> None:
    """Fresh planner statistics and visibility map after a bulk load (as autovacuum would
    give in production: index-only scans need the visibility map)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
