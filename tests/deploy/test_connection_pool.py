"""Issue 14 (load): under ASGI each request runs in a thread of its own with its own database
connection, so 50 users exhausted PostgreSQL's max_connections ("too many clients") in
bench/load.py. With DATABASE_POOL_MAX_SIZE a process holds at most that many connections, and
the requests beyond it wait for one instead of failing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
NAME = "pandu-pool-test"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pool is psycopg's (CI runs it)"
)

# Twelve threads query at once (each holds its connection for 0.3 s) while a watcher outside
# Django counts this program's connections; prints the most seen and the threads that failed.
CHILD = """
import threading, time
import psycopg
from django.conf import settings
from django.db import connection

db = settings.DATABASES["default"]
failed, seen = [], [0]

def work():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
    except Exception as exc:
        failed.append(repr(exc))
    finally:
        connection.close()

def watch(stop):
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"],
                         dbname=db["NAME"], autocommit=True) as watcher:
        while not stop.is_set():
            count = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [NAME]
            ).fetchone()[0]
            seen[0] = max(seen[0], count)
            time.sleep(0.02)

stop = threading.Event()
watcher = threading.Thread(target=watch, args=(stop,))
watcher.start()
threads = [threading.Thread(target=work) for _ in range(12)]
for t in threads: t.start()
for t in threads: t.join()
stop.set(); watcher.join()
print(seen[0], len(failed))
"""


def most_connections(pool_size: str) -> tuple[int, int]:
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\nNAME = {NAME!r}\n{CHILD}"],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "pool-test",
            "DATABASE_URL": f"{url}?application_name={NAME}",
            "DATABASE_POOL_MAX_SIZE": pool_size,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen, failed = result.stdout.split()[-2:]
    return int(seen), int(failed)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pool_bounds_the_connections_of_a_process():
    seen, failed = most_connections("3")
    assert failed == 0
    assert 1 <= seen <= 3
    # Without the pool, every thread holds a connection of its own.
    seen, failed = most_connections("0")
    assert failed == 0 and seen > 3
