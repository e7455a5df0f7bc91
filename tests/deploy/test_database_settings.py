"""PostgreSQL sessions run without the JIT compiler: at national size it spent 20-70 ms
compiling the plan of a list's count, more than the count itself (issue 14)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting (CI)"),
]


def test_sessions_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
