"""Real server processes for tests that need them (the browser, the production layout): a
fresh migrated database and a server started on a free port."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The whole app (HTTP + WebSocket) as `make run` serves it; {port} is filled in.
DAPHNE = [
    sys.executable,
    "-m",
    "daphne",
    "-b",
    "127.0.0.1",
    "-p",
    "{port}",
    "config.asgi:application",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(*args: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", *args], check=True, capture_output=True
    )


@contextlib.contextmanager
def fresh_database(tmp_path: Path, seed: str, prefix: str) -> Iterator[tuple[dict, dict]]:
    """A fresh, migrated database: a SQLite file, or a new PostgreSQL database when
    DATABASE_URL is PostgreSQL (the channel layer and cache follow REDIS_URL). `seed` is
    Python run in that database whose last printed line is JSON; yields (the environment for
    server processes, that JSON)."""
    configured = os.environ.get("DATABASE_URL", "")
    pg_name = None
    if configured.startswith("postgres"):
        pg_name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        _psql("-c", f"CREATE DATABASE {pg_name}")
        url = configured.rsplit("/", 1)[0] + "/" + pg_name
    else:
        url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        seeded = subprocess.run(
            [sys.executable, "-c", seed], cwd=ROOT, env=env, check=True, capture_output=True
        )
        yield env, json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    finally:
        if pg_name:
            _psql("-c", f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")


@contextlib.contextmanager
def serving(
    command: list[str], env: dict, log_path: Path, *, port: int | None = None
) -> Iterator[str]:
    """Run `command` (with "{port}" in it, or configured for `port`) on a free port until it
    accepts connections; yields its base URL, and stops it after."""
    port = port or free_port()
    process = None
    with log_path.open("wb") as log:
        try:
            process = subprocess.Popen(
                [part.replace("{port}", str(port)) for part in command],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    assert process.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, f"{command[2]} did not start"
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
