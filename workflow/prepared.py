"""ORM reads compiled to SQL once, then run with new values: for the few fixed-shape reads
that every case action makes.

Django compiles a queryset each time it runs (~0.3-0.5 ms for a filtered join), several times
what the statement itself costs; an action makes a handful of such reads. The query stays
written with the ORM (one definition of, say, an active member); only its compilation is cached.
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

# Stand-ins for the arguments while compiling: within every integer field's range (Django
# compiles an out-of-range lookup to "no rows"), and unlike any constant the queries hold.
_SENTINEL = 32_101


class PreparedQuery:
    """`build(**ints)` must return a values_list queryset that uses each argument only as a
    plain filter value (no IN lists, no arithmetic); rows come back as the database gives them
    (booleans may be 0/1 on SQLite)."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[str, tuple[str, list]] = {}

    def _compile(self, names: list[str]) -> tuple[str, list]:
        sentinels = {name: _SENTINEL + i for i, name in enumerate(names)}
        sql, params = self.build(**sentinels).query.sql_with_params()
        by_value = {value: name for name, value in sentinels.items()}
        # (argument name, its parameter type: psycopg's Int4 on PostgreSQL) or (None, constant)
        slots = [
            (by_value[p], type(p))
            if isinstance(p, int) and not isinstance(p, bool) and p in by_value
            else (None, p)
            for p in params
        ]
        if {name for name, _p in slots if name} != set(names):
            raise ValueError("every argument must appear as a filter value")
        return sql, slots

    def rows(self, **values: int) -> list[tuple]:
        key = connection.vendor
        if key not in self._compiled:
            self._compiled[key] = self._compile(sorted(values))
        sql, slots = self._compiled[key]
        params = [kind(values[name]) if name else kind for name, kind in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
