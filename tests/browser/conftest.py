"""Shared by the browser tests: Debian's Chromium driven by Playwright (never its own download)."""

import os
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
