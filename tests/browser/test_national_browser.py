"""The national submission clicked through in headless Chromium: an operator prepares a case
until the desk check reads "ready" and submits it; an admin records its national entry on the
board and downloads the regency's upload package. Screenshots go to /tmp/shots/."""

import io
import os
import zipfile

import pytest

from mentoring.models import RANCANG_BANGUN_SECTIONS, Indicator, Innovation, Stage
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.factories import PDF_BYTES, Org, act, advance, mark_all_evidence, new_innovation

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = pytest.mark.browser
NAME = "SIGAP Gizi Balita"


def login(browser, base, user, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "rahasia123")
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    return context, page, errors


def submit(page, button="form.pi-form button[type=submit] >> nth=0"):
    with page.expect_navigation():
        page.click(button)


def desk_count(page) -> tuple[int, int]:
    text = page.inner_text("#desk-count")  # "Siap dikirim: 14 dari 17"
    passed, total = text.split(":")[1].split("dari")
    return int(passed), int(total)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_operator_prepares_a_case_and_an_admin_sends_it(browser, live_server, tmp_path):
    org = Org(year=2026)
    case = advance(org, new_innovation(org, name=NAME), Stage.PACKAGING)
    base = live_server.url
    evidence = tmp_path / "sk-inovasi.pdf"
    evidence.write_bytes(PDF_BYTES)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The operator sees what is missing, fills the profile and the evidence.
    context, op, errors = login(browser, base, org.operator)
    op.goto(f"{base}/innovations/{case.pk}/")
    passed, total = desk_count(op)
    assert passed < total
    op.screenshot(path=str(SHOTS / "n01-desk-check-missing.png"), full_page=True)
    op.click("#profile a:has-text('Ubah')")
    for section in RANCANG_BANGUN_SECTIONS:
        op.fill(f"#id_{section}", " ".join(["rancangan"] * 55))
    assert "330 / 300" in op.inner_text(".pi-wordcount--total")
    op.fill("#id_tujuan", "Memantau gizi balita setiap bulan.")
    op.fill("#id_manfaat", "Balita berisiko ditangani lebih cepat.")
    op.fill("#id_hasil", "Kasus gizi buruk turun 30 persen.")
    op.fill("#id_trial_date", "2025-02-01")
    op.fill("#id_implementation_date", "2025-08-01")
    op.select_option("#id_maturity", "penerapan")
    op.fill("#id_latitude", "-0.420000")
    op.fill("#id_longitude", "116.990000")
    op.select_option("#id_priorities", index=3)
    op.screenshot(path=str(SHOTS / "n02-profile-form.png"), full_page=True)
    submit(op)
    mandatory = list(Indicator.objects.filter(year=2026, mandatory=True).order_by("number"))
    op.click("#evidence a:has-text('Unggah')")
    for n, indicator in enumerate(mandatory):
        op.select_option("#id_indicator", label=str(indicator))
        # The parameter choices say what each parameter means for this indicator.
        assert indicator.parameter_2 in op.inner_text("#id_parameter")
        op.select_option("#id_parameter", "2")
        link_shown = op.is_visible("#id_link")
        assert link_shown == indicator.accepts_link
        if indicator.accepts_link:
            op.fill("#id_link", "https://www.youtube.com/watch?v=sigap")
        else:
            op.set_input_files("#id_file", str(evidence))
        last = n == len(mandatory) - 1
        submit(op, "form.pi-form button[type=submit] >> nth=0" if last else "button[name=_another]")
    passed, total = desk_count(op)
    assert passed == total, op.inner_text("#desk-check")
    op.screenshot(path=str(SHOTS / "n03-desk-check-ready.png"), full_page=True)
    with op.expect_navigation():
        op.click("#action-form button[data-action='submit']")
    assert Innovation.objects.get(pk=case.pk).stage == Stage.PACKAGING_GATE
    assert errors == []
    context.close()

    # The head approves and the verifier accepts (their pages are the lifecycle test's).
    act(org.head, case, "approve")
    mark_all_evidence(org, case)
    act(org.verifier, case, "accept")

    # The admin records the entry on the board and downloads the regency's package.
    context, admin, errors = login(browser, base, org.admin)
    admin.goto(f"{base}/national/?year=2026")
    assert "Siap dientri" in admin.inner_text(f"#case-{case.pk}")
    admin.fill(f"#ref-{case.pk}", "IID-2026-0042")
    submit(admin, f"#case-{case.pk} form button[type=submit]")
    assert "Sudah dientri" in admin.inner_text(f"#case-{case.pk}")
    assert "IID-2026-0042" in admin.inner_text(f"#case-{case.pk}")
    admin.screenshot(path=str(SHOTS / "n04-board-entered.png"), full_page=True)
    with admin.expect_download() as download:
        admin.click("#regency-package")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    names = archive.namelist()
    assert saved.name == "paket-iid-2026.zip"
    assert "daftar-inovasi.xlsx" in names
    assert any(name.endswith("16-regulasi-p2.pdf") for name in names)
    assert any(name.endswith("tautan-video.txt") for name in names)
    assert errors == []
    context.close()

    # The board on a phone: no sideways scrolling.
    context, phone, errors = login(browser, base, org.admin, viewport=PHONE)
    phone.goto(f"{base}/national/?year=2026")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width
    phone.screenshot(path=str(SHOTS / "n05-board-phone.png"), full_page=True)
    context.close()
