"""ORM reads compiled to SQL once, then run with new values: for the few fixed-shape reads
that every case action makes.

Django compiles a queryset each time it runs (~0.3-0.5 ms for a filtered join), several times
what the statement itself costs; an action makes a handful of such reads. The query stays
written with the ORM (one definition of, say, an active member); only its compilation is cached.
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import Model, QuerySet

# Stand-ins for the arguments while compiling: within every integer field's range (Django
# compiles an out-of-range lookup to "no rows"). Compiled twice with different stand-ins, so a
# constant of the query can never be taken for an argument.
_SENTINELS = (20_101, 21_101)


class PreparedQuery:
    """`build(**ints)` returns a queryset that uses each argument only as a plain filter value
    (no IN lists, no arithmetic). `rows` runs a values_list query and gives rows as the database
    does (booleans may be 0/1 on SQLite); `objects` runs a model query (no select_related) and
    gives model instances."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[str, tuple[str, list]] = {}

    def _compile(self, names: list[str]) -> tuple[str, list]:
        (sql, first), (again, second) = (
            self.build(**{name: base + i for i, name in enumerate(names)}).query.sql_with_params()
            for base in _SENTINELS
        )
        if sql != again or len(first) != len(second):
            raise ValueError("the query's shape depends on its arguments")
        # (argument name, its parameter type: psycopg's Int4 on PostgreSQL) or (None, constant)
        slots = []
        for a, b in zip(first, second, strict=True):
            if a == b:
                slots.append((None, a))
                continue
            index = int(a) - _SENTINELS[0]
            if not 0 <= index < len(names) or int(b) - _SENTINELS[1] != index:
                raise ValueError("every argument must be used as a plain filter value")
            slots.append((names[index], type(a)))
        if {name for name, _c in slots if name} != set(names):
            raise ValueError("every argument must appear as a filter value")
        return sql, slots

    def _sql(self, values: dict[str, int]) -> tuple[str, list]:
        key = connection.vendor
        if key not in self._compiled:
            self._compiled[key] = self._compile(sorted(values))
        sql, slots = self._compiled[key]
        return sql, [kind(values[name]) if name else kind for name, kind in slots]

    def rows(self, **values: int) -> list[tuple]:
        sql, params = self._sql(values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def objects(self, model: type[Model], **values: int) -> list[Model]:
        sql, params = self._sql(values)
        return list(model.objects.raw(sql, params))
