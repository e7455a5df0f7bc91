"""National results and calibration clicked through in headless Chromium: an admin enters the
regency's result and one innovation's parameters, imports the rest (a bad file first: nothing
is saved and the rows are named), then reads the calibration. Screenshots go to /tmp/shots/."""

import os

import pytest

from scoring.models import InnovationResult, NationalResult
from scoring.services import set_spd_score
from tests.browser.conftest import DESKTOP, SHOTS
from tests.factories import Org
from tests.scoring.builders import case

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser


def login(browser, base, user):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "rahasia123")
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    return context, page, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_enters_imports_and_reads_the_calibration(browser, live_server, tmp_path):
    org = Org(year=2026)
    set_spd_score(year=2026, spd_score="50")
    a = case(org, params={16: 3, 17: 2, 35: 2})
    b = case(org, params={16: 2, 33: 3})
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    # Others do not see the menu entry and get 403 on the page.
    context, observer, _ = login(browser, base, org.observer)
    assert observer.locator("#menu-national-results").count() == 0
    assert observer.goto(f"{base}/national-results/?year=2026").status == 403
    context.close()

    context, page, errors = login(browser, base, org.admin)
    page.click("#menu-national-results")
    page.goto(f"{base}/national-results/?year=2026")
    page.fill("#id_kab-spd", "48")
    page.fill("#id_kab-final_iid", "20,5")
    page.select_option("#id_kab-predicate", "Kurang Inovatif")
    page.fill("#id_kab-rank", "7")
    page.fill("#id_kab-decree_number", "400.10.11-1234/2026")
    page.fill("#id_kab-decree_date", "2026-12-10")
    with page.expect_navigation():
        page.click("#regency-submit")
    assert "Hasil nasional kabupaten disimpan." in page.inner_text("main")
    assert "IID final 20,50" in page.inner_text("#regency-summary")

    # One innovation by hand: a parameter per indicator.
    page.select_option("#id_inv-innovation", str(a.pk))
    page.select_option("#id_inv-status", "dinilai")
    page.select_option("#id_inv-indikator_16", "2")
    page.select_option("#id_inv-indikator_17", "2")
    page.select_option("#id_inv-indikator_35", "1")
    page.screenshot(path=str(SHOTS / "r01-enter-innovation.png"), full_page=True)
    with page.expect_navigation():
        page.click("#innovation-submit")
    assert "Hasil nasional inovasi disimpan." in page.inner_text("main")

    # An import with a bad row: refused whole, each problem named.
    bad = tmp_path / "hasil.csv"
    bad.write_text(
        f"id_inovasi;status;indikator_16;indikator_33\n{b.pk};dinilai;1;3\n{a.pk};dinilai;4;\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_impor-file", str(bad))
    with page.expect_navigation():
        page.click("#import-submit")
    report = page.inner_text("#import-report")
    assert "Tidak ada yang disimpan" in report
    assert "Baris 3, kolom 'indikator_16'" in report
    page.locator("#import-results").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "r02-import-refused.png"), full_page=True)
    assert InnovationResult.objects.count() == 1

    good = tmp_path / "hasil-benar.csv"
    good.write_text(f"id_inovasi;status;indikator_16;indikator_33\n{b.pk};dinilai;1;3\n")
    page.set_input_files("#id_impor-file", str(good))
    with page.expect_navigation():
        page.click("#import-submit")
    assert "Impor berhasil: 1 hasil baru, 0 diperbarui." in page.inner_text("main")
    assert page.locator("#results-table tbody tr").count() == 2
    page.screenshot(path=str(SHOTS / "r03-results-recorded.png"), full_page=True)

    # The calibration: 16 was scored too generously on both innovations.
    with page.expect_navigation():
        page.click("#to-calibration")
    assert page.inner_text("#overall-predicate").count("Kurang Inovatif") == 2
    first = page.locator("#too-generous-table tbody tr").first
    assert first.get_attribute("id") == "generous-16"
    assert "2 / 2" in first.inner_text()
    assert "pr-over" in (page.get_attribute(f"#calibration-{a.pk} td.pr-p >> nth=0", "class") or "")
    page.screenshot(path=str(SHOTS / "r04-calibration.png"), full_page=True)
    assert NationalResult.objects.get().final_iid == 20.5
    assert errors == []
    context.close()
