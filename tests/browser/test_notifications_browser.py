"""Live notifications in headless Chromium against a real daphne (HTTP + WebSocket).

pytest-django's live_server speaks WSGI only, so this test runs daphne in a subprocess on its
own database (a SQLite file, or a fresh PostgreSQL database when DATABASE_URL is PostgreSQL;
the channel layer follows REDIS_URL). The head watches on a phone, the operator proposes and
submits an innovation on a laptop: the head's badge and toast must change without a reload
within 2 s. Screenshots go to /tmp/shots/.
"""

import time

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SHOTS, daphne_on_fresh_database

NAME = "Antrean Dukcapil Daring"

pytestmark = pytest.mark.browser

SEED = """
import json
import django
django.setup()
from tests.factories import Org
org = Org(year=2026)
org.head.first_name = "Kepala"
org.head.save()
print(json.dumps({"head": org.head.username, "operator": org.operator.username}))
"""


@pytest.fixture
def server(tmp_path):
    """daphne on a fresh, migrated database with one organisation; yields (base url, users)."""
    with daphne_on_fresh_database(tmp_path, SEED, "pandu_browser") as running:
        yield running


def login(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia123")
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    return context, page, outside


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_head_sees_the_operators_submission_live(browser, server):
    base, users = server
    head_ctx, head, head_outside = login(browser, base, users["head"], PHONE)
    head.wait_for_selector("#pi-bell[data-state='open']", timeout=5000)
    assert head.locator("#pi-bell-badge").is_hidden()
    head_url = head.url

    op_ctx, op, op_outside = login(browser, base, users["operator"], DESKTOP)
    op.wait_for_selector("#pi-bell[data-state='open']", timeout=5000)
    op.click("a.pi-btn:has-text('Usulkan inovasi')")
    op.fill("#id_year", "2026")
    op.fill("#id_name", NAME)
    op.select_option("#id_bentuk", "pelayanan_publik")
    op.select_option("#id_jenis", "digital")
    op.select_option("#id_inisiator", "asn")
    op.select_option("#id_main_urusan", index=1)
    op.fill("#id_tujuan", "Mengurangi antrean di kantor Dukcapil.")
    with op.expect_navigation():
        op.click("form.pi-form button[type=submit] >> nth=0")
    op.wait_for_selector("#action-form button[data-action='submit']")

    # Submit, then time how long the head's open page takes to show it (no reload).
    started = time.monotonic()
    with op.expect_navigation():
        op.click("#action-form button[data-action='submit']")
    head.wait_for_function(
        "document.getElementById('pi-bell-badge').getAttribute('data-count') === '1'",
        timeout=2000,
    )
    head.wait_for_selector(".pi-toast:not(.pi-toast--notice)", timeout=2000)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"badge and toast after {elapsed:.2f}s"
    print(f"\nsubmit click -> head's badge and toast: {elapsed * 1000:.0f} ms")

    assert head.url == head_url  # the same page, never reloaded
    toast = head.inner_text(".pi-toast:not(.pi-toast--notice)")
    assert "Menunggu persetujuan Anda" in toast and NAME in toast
    assert head.locator("#pi-bell-badge").inner_text() == "1"
    # The actor gets nothing about their own action.
    assert op.locator("#pi-bell-badge").is_hidden()
    shot(head, "notif-01-toast-phone")

    # The toast links to the case; the bell's panel lists it.
    link = head.locator(".pi-toast:not(.pi-toast--notice) a")
    assert link.get_attribute("href").startswith("/innovations/")
    head.click(".pi-bell__button")
    head.wait_for_selector(".pi-bell__list li")
    assert NAME in head.inner_text(".pi-bell__list")
    shot(head, "notif-02-panel-phone")

    # The same notification on a second device of the head: once, not twice.
    laptop_ctx, laptop, laptop_outside = login(browser, base, users["head"], DESKTOP)
    laptop.wait_for_selector("#pi-bell[data-state='open']", timeout=5000)
    assert laptop.locator("#pi-bell-badge").inner_text() == "1"
    laptop.goto(f"{base}/notifications/")
    assert laptop.locator("#notifications li").count() == 1
    assert laptop.locator(".pi-note--unread").count() == 1
    shot(laptop, "notif-03-page-desktop")

    # Mark all read on the laptop: the phone's badge goes away without a reload.
    with laptop.expect_navigation():
        laptop.click("#mark-all-read")
    assert laptop.locator(".pi-note--unread").count() == 0
    head.wait_for_function("document.getElementById('pi-bell-badge').hidden === true", timeout=2000)
    assert head.url == head_url

    head.goto(f"{base}/notifications/preferences/")
    shot(head, "notif-04-preferences-phone")
    width = head.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    laptop.goto(f"{base}/notifications/")
    shot(laptop, "notif-05-page-read-desktop")

    for ctx, outside in (
        (head_ctx, head_outside),
        (op_ctx, op_outside),
        (laptop_ctx, laptop_outside),
    ):
        assert not outside, outside  # nothing from the internet
        ctx.close()
