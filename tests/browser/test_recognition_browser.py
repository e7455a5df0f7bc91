"""Issue 13, points 4-5 in headless Chromium: an operator records a replication (a bad date
first: refused, nothing saved) and an award on the case page; the section shows the count, the
suggested parameter of indicator 31 and the award. Screenshots go to /tmp/shots/."""

import datetime as dt
import os

import pytest

from recognition.models import Award, Replication
from tests.browser.conftest import DESKTOP, SHOTS
from tests.factories import PDF_BYTES, Org, make_unit, new_innovation

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operator_records_a_replication_and_an_award(browser, live_server, tmp_path):
    org = Org(year=2026)
    other = make_unit()
    case = new_innovation(org)
    case.implementation_date = dt.date(2025, 9, 1)
    case.save(update_fields=["implementation_date"])
    evidence = tmp_path / "berita-acara.pdf"
    evidence.write_bytes(PDF_BYTES)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", org.operator.username)
    page.fill("#id_password", "rahasia123")
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/innovations/{case.pk}/")
    assert "Belum ada replikasi tercatat." in page.inner_text("#recognition")
    page.click("#replication-add")
    page.fill("#id_date", "2025-08-01")  # before the implementation: refused
    page.select_option("#id_unit", str(other.pk))
    page.set_input_files("#id_file", str(evidence))
    with page.expect_navigation():
        page.click("main form.pi-form button[type=submit]")
    assert "sebelum waktu penerapan" in page.inner_text("main")
    assert Replication.objects.count() == 0
    page.screenshot(path=str(SHOTS / "recognition-replication-refused.png"), full_page=True)
    page.fill("#id_date", "2026-01-10")
    page.set_input_files("#id_file", str(evidence))
    with page.expect_navigation():
        page.click("main form.pi-form button[type=submit]")
    section = page.inner_text("#recognition")
    assert other.name in section and "(1 kali)" in section
    assert "Parameter yang disarankan untuk indikator 31. Replikasi: 1" in section

    page.click("#award-add")
    page.select_option("#id_level", "provincial")
    page.fill("#id_year", "2025")
    page.fill("#id_name", "Inovasi Terbaik Kaltim")
    page.fill("#id_giver", "Gubernur Kalimantan Timur")
    page.fill("#id_rank", "Juara II")
    page.fill("#id_link", "https://berita.example.org/kaltim")
    with page.expect_navigation():
        page.click("main form.pi-form button[type=submit]")
    assert "Inovasi Terbaik Kaltim" in page.inner_text("#awards")
    assert Award.objects.get().level == "provincial"
    page.locator("#recognition").scroll_into_view_if_needed()
    page.locator("#recognition").screenshot(path=str(SHOTS / "recognition-case-section.png"))

    page.click("#menu-recognition")
    page.goto(f"{base}/recognition/?year=2025")
    assert page.inner_text("#points-total") == "160"
    page.screenshot(path=str(SHOTS / "recognition-points.png"), full_page=True)
    assert errors == []
    context.close()
