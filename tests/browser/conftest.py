"""Shared by the browser tests: Debian's Chromium driven by Playwright (never its own download)."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from tests.servers import DAPHNE, fresh_database, serving

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


@contextlib.contextmanager
def daphne_on_fresh_database(tmp_path: Path, seed: str, prefix: str) -> Iterator[tuple[str, dict]]:
    """daphne (HTTP + WebSocket; pytest-django's live_server speaks WSGI only) on a fresh,
    migrated database (tests.servers.fresh_database); yields (base url, the seed's JSON)."""
    with (
        fresh_database(tmp_path, seed, prefix) as (env, data),
        serving(DAPHNE, env, tmp_path / "daphne.log") as base,
    ):
        yield base, data
