"""The whole lifecycle clicked through in headless Chromium, as the real people would.

Operator proposes, head approves, mentor logs a session and completes, operator packages
(profile + evidence), head approves, verifier checks the evidence and accepts, operator reports,
head approves, admin closes: the case ends "Selesai". Screenshots go to /tmp/shots/.
"""

import os

import pytest

from mentoring.models import RANCANG_BANGUN_SECTIONS, EvidenceItem, Indicator, Innovation, Stage
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.factories import PDF_BYTES, Org

# Playwright's sync API runs an event loop in this thread; the ORM calls here are test set-up.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

NAME = "Layanan Antrean Puskesmas Daring"

pytestmark = pytest.mark.browser


class Session:
    """One person's browser context, logged in through the login form."""

    def __init__(self, browser, base: str, user, viewport=DESKTOP) -> None:
        self.base = base
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", "rahasia123")
        self.page.click("#login-submit")
        self.page.wait_for_url(f"{base}/")

    def open_case_from_my_tasks(self) -> None:
        self.page.goto(f"{self.base}/")
        self.page.click(f"#my-tasks a:has-text('{NAME}')")
        self.page.wait_for_selector("#history")

    def act(self, action: str, comment: str = "") -> None:
        # One action panel: one comment box shared by every action button.
        if comment:
            self.page.fill("#action-form textarea[name=comment]", comment)
        with self.page.expect_navigation():
            self.page.click(f"#action-form button[data-action='{action}']")
        assert not self.page.locator("#action-error").count(), self.page.inner_text("#action-error")

    def submit_form(self, button: str = "button[type=submit] >> nth=0") -> None:
        with self.page.expect_navigation():
            self.page.click(f"form.pi-form {button}")

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        # Nothing may come from the internet: every request goes to the live server.
        outside = [url for url in self.requests if not url.startswith(self.base)]
        assert not outside, outside
        self.context.close()


def stage_of() -> str:
    return Innovation.objects.get(name=NAME).stage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_whole_lifecycle_in_the_browser(browser, live_server, tmp_path):
    org = Org(year=2026)
    base = live_server.url
    evidence_file = tmp_path / "sk-inovasi.pdf"
    evidence_file.write_bytes(PDF_BYTES)

    # Login page on a phone.
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    page.goto(f"{base}/accounts/login/")
    assert page.locator("#login-submit").text_content().strip() == "Masuk"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "01-login-phone.png"), full_page=True)
    phone.close()

    # 1. Operator proposes the innovation and submits it.
    op = Session(browser, base, org.operator)
    op.page.click("a.pi-btn:has-text('Usulkan inovasi')")
    op.page.fill("#id_year", "2026")
    op.page.fill("#id_name", NAME)
    op.page.select_option("#id_bentuk", "pelayanan_publik")
    op.page.select_option("#id_jenis", "digital")
    op.page.select_option("#id_inisiator", "asn")
    op.page.select_option("#id_main_urusan", index=1)
    op.page.fill("#id_tujuan", "Mengurangi antrean di puskesmas.")
    op.shot("02-create-desktop")
    op.submit_form()
    assert stage_of() == Stage.PROPOSAL
    op.act("submit")
    assert stage_of() == Stage.PROPOSAL_GATE
    op.close()

    # 2. Head approves the proposal from "Tugas saya".
    head = Session(browser, base, org.head)
    assert NAME in head.page.inner_text("#my-tasks")
    head.shot("03-my-tasks-desktop")
    head.open_case_from_my_tasks()
    head.act("approve", "Lanjutkan ke pendampingan.")
    assert stage_of() == Stage.MENTORING
    head.close()

    # 3. Mentor logs a session with a follow-up, then completes mentoring.
    mentor = Session(browser, base, org.mentor)
    mentor.open_case_from_my_tasks()
    mentor.page.click("a:has-text('Catat sesi')")
    mentor.page.fill("#id_topic", "Menyusun rancang bangun")
    mentor.page.select_option("#id_mode", "tatap_muka")
    mentor.page.fill("#id_fu-0-description", "Lengkapi SK tim inovasi")
    mentor.page.fill("#id_fu-0-due_date", "2026-03-15")
    mentor.submit_form()
    assert "Lengkapi SK tim inovasi" in mentor.page.inner_text("#sessions")
    mentor.act("complete")
    assert stage_of() == Stage.PACKAGING
    mentor.close()

    # 4. Operator packages: profile, one evidence file per mandatory indicator, submit.
    op = Session(browser, base, org.operator)
    op.open_case_from_my_tasks()
    op.page.click("#profile a:has-text('Ubah')")
    for section in RANCANG_BANGUN_SECTIONS:
        op.page.fill(f"#id_{section}", " ".join(["rancangan"] * 55))
    # The live count follows the typing: 330 words against the year's 300.
    assert "330 / 300" in op.page.inner_text(".pi-wordcount--total")
    op.page.fill("#id_manfaat", "Warga tidak perlu datang subuh.")
    op.page.fill("#id_hasil", "Waktu tunggu turun dari 3 jam menjadi 20 menit.")
    op.page.fill("#id_trial_date", "2025-02-01")
    op.page.fill("#id_implementation_date", "2025-08-01")
    op.page.select_option("#id_maturity", "penerapan")
    op.page.fill("#id_latitude", "-0.420000")
    op.page.fill("#id_longitude", "116.990000")
    op.page.select_option("#id_priorities", index=0)
    op.submit_form()
    mandatory = list(Indicator.objects.filter(year=2026, mandatory=True))
    op.page.click("#evidence a:has-text('Unggah')")
    for n, indicator in enumerate(mandatory):
        op.page.select_option("#id_indicator", label=str(indicator))
        op.page.select_option("#id_parameter", "2")
        if indicator.accepts_link:
            op.page.fill("#id_link", "https://www.youtube.com/watch?v=abc123")
        else:
            op.page.set_input_files("#id_file", str(evidence_file))
        last = n == len(mandatory) - 1
        op.submit_form("button[type=submit] >> nth=0" if last else "button[name=_another]")
    assert EvidenceItem.objects.filter(innovation__name=NAME).count() == len(mandatory)
    assert op.page.inner_text("#desk-count").startswith("Siap dikirim")
    op.act("submit")
    assert stage_of() == Stage.PACKAGING_GATE
    op.close()

    # 5. Head approves the package.
    head = Session(browser, base, org.head)
    head.open_case_from_my_tasks()
    head.act("approve")
    assert stage_of() == Stage.VERIFICATION
    head.close()

    # 6. Verifier marks every item valid and accepts.
    verifier = Session(browser, base, org.verifier)
    verifier.open_case_from_my_tasks()
    verifier.shot("04-verification-desktop")
    for item in EvidenceItem.objects.filter(innovation__name=NAME):
        form = verifier.page.locator(f"#evidence-{item.pk} form[data-review-form]")
        form.locator("input[type=radio][value='1']").check()
        form.locator("button[type=submit]").click()  # saved in the background
        verifier.page.wait_for_selector(f"#evidence-{item.pk}[data-review='valid']")
    assert not EvidenceItem.objects.filter(innovation__name=NAME).exclude(review="valid").exists()
    verifier.act("accept")
    assert stage_of() == Stage.REPORTING
    verifier.close()

    # 7. Operator writes the final report and submits it.
    op = Session(browser, base, org.operator)
    op.open_case_from_my_tasks()
    op.page.click("#profile a:has-text('Ubah')")
    op.page.fill("#id_report_results", "Berjalan di 12 puskesmas.")
    op.page.fill("#id_report_beneficiaries", "3400")
    op.page.fill("#id_report_national_ref", "IID-2026-0042")
    op.submit_form()
    op.act("submit")
    assert stage_of() == Stage.REPORT_GATE
    op.close()

    # 8. Head approves the report.
    head = Session(browser, base, org.head)
    head.open_case_from_my_tasks()
    head.act("approve")
    assert stage_of() == Stage.CLOSE
    head.close()

    # 9. Admin closes the case: "Selesai".
    admin = Session(browser, base, org.admin)
    admin.open_case_from_my_tasks()
    admin.act("close", "Inovasi tercatat di sistem nasional.")
    assert stage_of() == Stage.DONE
    assert "Selesai" in admin.page.inner_text(".pi-head")
    timeline = admin.page.inner_text("#history")
    for label in ("Ajukan", "Setujui", "Selesaikan pendampingan", "Terima verifikasi"):
        assert label in timeline
    assert admin.page.locator("#chart svg").count() == 1
    admin.shot("05-done-desktop")
    admin.page.goto(f"{base}/innovations/")
    admin.shot("06-list-desktop")
    admin.close()

    # The same pages on a phone, as the operator.
    op = Session(browser, base, org.operator, viewport=PHONE)
    op.page.goto(f"{base}/innovations/")
    op.shot("07-list-phone")
    op.page.click(f"a:has-text('{NAME}')")
    op.page.wait_for_selector("#history")
    width = op.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, width  # no sideways scrolling on a phone
    op.shot("08-detail-phone")
    op.close()
