"""Shared by the browser tests: Debian's Chromium driven by Playwright (never its own download)."""

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

import pytest
from django.db import connections

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    # CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Chromium not installed")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
        # Database work done while Playwright ran got a connection of its own (another
        # context for Django's per-context connections); left open, PostgreSQL refuses to
        # drop the test database at the end of the session.
        connections.close_all()


ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(*args: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", *args], check=True, capture_output=True
    )


@contextlib.contextmanager
def daphne_on_fresh_database(tmp_path: Path, seed: str, prefix: str) -> Iterator[tuple[str, dict]]:
    """daphne (HTTP + WebSocket; pytest-django's live_server speaks WSGI only) on a fresh,
    migrated database: a SQLite file, or a new PostgreSQL database when DATABASE_URL is
    PostgreSQL (the channel layer follows REDIS_URL). `seed` is Python run in that database
    whose last printed line is JSON; yields (base url, that JSON)."""
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
    daphne = None
    log = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        seeded = subprocess.run(
            [sys.executable, "-c", seed], cwd=ROOT, env=env, check=True, capture_output=True
        )
        data = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
        port = free_port()
        log = open(tmp_path / "daphne.log", "wb")  # noqa: SIM115 (closed below)
        daphne = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            + ["config.asgi:application"],
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
                assert daphne.poll() is None, (tmp_path / "daphne.log").read_text()
                assert time.monotonic() < deadline, "daphne did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", data
    finally:
        if daphne is not None:
            daphne.terminate()
            try:
                daphne.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daphne.kill()
        if log is not None:
            log.close()
        if pg_name:
            _psql("-c", f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
