"""The daily screens of the verifier, the head and the operator (issue 12), in Chromium at
1280 and 390 px: review controls wide enough and saved in place, one action panel whose reason
survives a failed attempt, no bare action URL, unique ids and labels, evidence files that can be
replaced and removed, and a live event that refreshes the list it concerns. Screenshots go to
the SHOTS dir."""

import os

import pytest

from mentoring.models import EvidenceItem, Indicator, Innovation, Stage, Urusan
from tests.browser.conftest import DESKTOP, PHONE, SHOTS, daphne_on_fresh_database
from tests.browser.test_lifecycle_browser import Session
from tests.factories import Org, advance, new_innovation, pdf
from workflow import services

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])

DUPLICATE_IDS = """() => {
  const seen = {}, dup = [];
  document.querySelectorAll('[id]').forEach(e => {
    if (seen[e.id]) dup.push(e.id);
    seen[e.id] = 1;
  });
  return dup;
}"""
# Every label names an element that exists, and no two labels name the same element.
BAD_LABELS = """() => {
  const bad = [], seen = {};
  document.querySelectorAll('.pi-page label[for]').forEach(l => {
    const id = l.getAttribute('for');
    if (!id || !document.getElementById(id)) bad.push('missing:' + id);
    else if (seen[id]) bad.push('twice:' + id + ':' + seen[id] + '/' + l.textContent.trim());
    seen[id] = l.textContent.trim();
  });
  return bad;
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def name(viewport: dict) -> str:
    return "desktop" if viewport is DESKTOP else "phone"


def shot(page, label: str, viewport: dict, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"daily-{label}-{name(viewport)}.png"), full_page=full)


def assert_sound_page(page) -> None:
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate(BAD_LABELS) == []
    assert page.evaluate(OVERFLOW) <= 1


# --- verifier ---------------------------------------------------------------------------------


@WIDTHS
def test_verifier_reviews_in_place_with_wide_controls_and_marks_the_rest(
    browser, live_server, viewport
):
    org = Org(year=2026)
    innovation = advance(org, new_innovation(org, name="Antrean Puskesmas"), Stage.VERIFICATION)
    items = list(EvidenceItem.objects.filter(innovation=innovation).order_by("pk"))
    services.review_evidence(user=org.verifier, evidence_id=items[0].pk, valid=False, note="Buram")
    verifier = Session(browser, live_server.url, org.verifier, viewport=viewport)
    page = verifier.page
    page.goto(f"{live_server.url}/innovations/{innovation.pk}/#evidence")

    # Every control of every review form is wide enough to read.
    widths = page.evaluate(
        """() => Array.from(document.querySelectorAll('form[data-review-form] .pi-field'))
             .map(f => [f.querySelector('label, legend').textContent.trim(),
                        Math.round(f.getBoundingClientRect().width)])"""
    )
    assert widths and all(width >= 120 for _label, width in widths), widths
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('form[data-review-form]')).map(f => f.offsetHeight)"
    )
    assert max(heights) < (260 if viewport is DESKTOP else 420), heights
    assert_sound_page(page)

    # The earlier result is in the controls.
    first = page.locator(f"#evidence-{items[0].pk} form[data-review-form]")
    assert first.locator("input[type=radio][value='0']").is_checked()
    assert first.locator("textarea").input_value() == "Buram"
    shot(page, "verifier-review", viewport)

    # Saving one item keeps the page where it is and shows the result.
    target = page.locator(f"#evidence-{items[1].pk}")
    target.scroll_into_view_if_needed()
    url, scrolled = page.url, page.evaluate("window.scrollY")
    form = target.locator("form[data-review-form]")
    form.locator("input[type=radio][value='1']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#evidence-{items[1].pk}[data-review='valid']")
    assert "Valid" in target.locator("[data-review-chip]").inner_text()
    assert page.url == url and abs(page.evaluate("window.scrollY") - scrolled) < 5
    assert EvidenceItem.objects.get(pk=items[1].pk).review == "valid"

    # "Tandai sisanya valid" in one go (after a confirmation).
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#mark-rest-valid button")
    reviews = dict(EvidenceItem.objects.filter(innovation=innovation).values_list("pk", "review"))
    assert reviews.pop(items[0].pk) == "invalid"
    assert set(reviews.values()) == {"valid"}
    assert page.locator("#mark-rest-valid").count() == 0
    shot(page, "verifier-marked", viewport, full=False)
    verifier.close()


# --- head ---------------------------------------------------------------------------------------


@WIDTHS
def test_head_types_the_reason_once_and_a_failed_return_never_loses_it(
    browser, live_server, viewport
):
    org = Org(year=2026)
    base = live_server.url
    first = advance(org, new_innovation(org, name="Kartu Sehat Desa"), Stage.PROPOSAL_GATE)
    second = advance(org, new_innovation(org, name="Posyandu Daring"), Stage.PROPOSAL_GATE)

    head = Session(browser, base, org.head, viewport=viewport)
    page = head.page
    page.goto(f"{base}/innovations/{first.pk}/")
    assert_sound_page(page)
    assert page.locator("#actions textarea").count() == 1  # one comment box
    # The case-ending action is apart, closed, behind a confirmation.
    assert not page.locator("button[data-action='withdraw']").is_visible()
    assert page.locator("#danger-zone button[data-action='withdraw']").count() == 1
    shot(page, "head-actions", viewport, full=False)

    # Kembalikan with an empty box: refused beside the box, nothing sent.
    page.click("#action-form button[data-action='return']")
    assert page.locator("#action-form .pi-errors").is_visible()
    assert page.url.endswith(f"/innovations/{first.pk}/")
    # Typed once, then Kembalikan: it goes.
    page.fill("#action-form textarea", "Lengkapi tujuan dan manfaat.")
    with page.expect_navigation():
        page.click("#action-form button[data-action='return']")
    assert page.url.endswith(f"/innovations/{first.pk}/")
    assert Innovation.objects.get(pk=first.pk).stage == Stage.PROPOSAL
    assert "menunggu" in page.inner_text(".pi-page").lower()
    shot(page, "head-returned", viewport, full=False)

    # The same without the page's script: the server refuses, the browser comes back to the
    # case (never a bare action URL), the error beside the box; the reason then goes once.
    plain = browser.new_context(viewport=viewport, java_script_enabled=False)
    nojs = plain.new_page()
    nojs.goto(f"{base}/accounts/login/")
    nojs.fill("#id_username", org.head.username)
    nojs.fill("#id_password", "rahasia123")
    with nojs.expect_navigation():
        nojs.click("#login-submit")
    nojs.goto(f"{base}/innovations/{second.pk}/")
    with nojs.expect_navigation():
        nojs.click("#action-form button[data-action='return']")
    assert "/actions/" not in nojs.url and nojs.url.split("#")[0].endswith(f"/{second.pk}/")
    assert "Komentar wajib diisi" in nojs.inner_text("#actions")
    shot(nojs, "head-return-refused", viewport, full=False)
    nojs.fill("#action-form textarea", "Perbaiki anggaran.")
    with nojs.expect_navigation():
        nojs.click("#action-form button[data-action='return']")
    assert Innovation.objects.get(pk=second.pk).stage == Stage.PROPOSAL
    # A plain GET on an action URL lands on the case, never an empty 405.
    response = nojs.goto(f"{base}/innovations/{second.pk}/actions/return/")
    assert response.status == 200 and nojs.url.endswith(f"/innovations/{second.pk}/")
    plain.close()
    head.close()


# --- operator -----------------------------------------------------------------------------------


@WIDTHS
def test_operator_pages_replace_and_remove_evidence_with_sound_forms(
    browser, live_server, viewport, tmp_path
):
    org = Org(year=2026)
    base = live_server.url
    innovation = advance(org, new_innovation(org, name="Sapa Warga"), Stage.PACKAGING)
    indicators = list(Indicator.objects.filter(year=2026)[:2])
    items = [
        services.add_evidence(
            user=org.operator,
            innovation_id=innovation.pk,
            indicator_id=indicator.pk,
            parameter=2,
            upload=pdf(f"bukti-{n}.pdf"),
        )
        for n, indicator in enumerate(indicators)
    ]
    replacement = tmp_path / "pengganti.pdf"
    replacement.write_bytes(pdf().read())

    op = Session(browser, base, org.operator, viewport=viewport)
    page = op.page
    assert page.locator("#dash-operator").count() == 1  # the operator's own board
    assert "Sapa Warga" in page.inner_text("#op-todo")
    assert_sound_page(page)
    shot(page, "operator-home", viewport)

    page.goto(f"{base}/innovations/{innovation.pk}/")
    assert_sound_page(page)
    shot(page, "operator-case", viewport)
    # Replace the first file.
    page.click(f"#evidence-replace-{items[0].pk}")
    page.set_input_files("#id_file", str(replacement))
    with page.expect_navigation():
        page.click("form.pi-form button[type=submit] >> nth=0")
    assert "pengganti.pdf" in page.inner_text(f"#evidence-{items[0].pk}")
    # Remove the second, after a confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(f"#evidence-remove-{items[1].pk}")
    assert page.locator(f"#evidence-{items[1].pk}").count() == 0
    assert not EvidenceItem.objects.filter(pk=items[1].pk).exists()
    history = page.inner_text("#history")
    assert "Mengganti berkas data dukung" in history and "Menghapus data dukung" in history

    # The profile form: unique ids, labels on their own fields, urusan terkait as a searchable
    # checkbox list that never offers the main urusan.
    page.goto(f"{base}/innovations/{innovation.pk}/edit/")
    assert_sound_page(page)
    assert page.get_attribute("label[for='id_implementation_date']", "for") == (
        page.get_attribute("#id_implementation_date", "id")
    )
    page.click("label[for='id_implementation_date']")
    assert page.evaluate("document.activeElement.id") == "id_implementation_date"
    main = Urusan.objects.get(pk=innovation.main_urusan_id)
    main_box = page.locator(f"#id_related_urusan input[value='{main.pk}']")
    assert not main_box.is_visible()
    page.fill("#id_related_urusan_search", "sosial")
    visible = page.locator("#id_related_urusan label:visible")
    assert visible.count() >= 1 and all(
        "sosial" in text.lower() for text in visible.all_inner_texts()
    )
    shot(page, "operator-profile-form", viewport)
    page.goto(f"{base}/")
    op.close()


# --- live refresh (daphne: HTTP + WebSocket) ------------------------------------------------------

SEED = """
import json
import django
django.setup()
from mentoring.models import Stage
from tests.factories import Org, advance, new_innovation
org = Org(year=2026)
case = advance(org, new_innovation(org, name="Layanan Jemput Bola"), Stage.PROPOSAL_GATE)
new_innovation(org, name="Draf Lain")
print(json.dumps({"head": org.head.username, "operator": org.operator.username, "case": case.pk}))
"""


@pytest.fixture
def daphne_server(tmp_path):
    with daphne_on_fresh_database(tmp_path, SEED, "pandu_daily") as running:
        yield running


def login(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia123")
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")
    page.wait_for_selector("#pi-bell[data-state='open']", timeout=5000)
    return context, page


@pytest.mark.django_db(transaction=False)
@WIDTHS
def test_a_live_event_refreshes_the_list_it_concerns(browser, daphne_server, viewport):
    base, data = daphne_server
    case = data["case"]
    op_ctx, op = login(browser, base, data["operator"], viewport)
    assert op.locator(f"#op-stage-proposal_gate [data-innovation='{case}']").count() == 1
    home_url = op.url
    op.evaluate("window.__sameDocument = true")

    head_ctx, head = login(browser, base, data["head"], DESKTOP)
    head.goto(f"{base}/innovations/{case}/")
    head.fill("#action-form textarea", "Lanjut ke pendampingan.")
    with head.expect_navigation():
        head.click("#action-form button[data-action='approve']")

    # The operator (who proposed it) is told, and the board follows without a reload.
    op.wait_for_selector("#dash-operator[data-refreshed]", timeout=5000)
    assert op.locator(f"#op-stage-mentoring [data-innovation='{case}']").count() == 1
    assert op.evaluate("window.__sameDocument") is True and op.url == home_url
    toast = op.inner_text(".pi-toast:not(.pi-toast--notice)")
    assert "Layanan Jemput Bola" in toast
    shot(op, "operator-live-refresh", viewport, full=False)

    # The list page refreshes the row of that case too.
    op.goto(f"{base}/innovations/")
    op.wait_for_selector("#pi-bell[data-state='open']", timeout=5000)
    op.evaluate("window.__sameDocument = true")
    head.goto(f"{base}/innovations/")  # the head is on a page; the operator's list stays open
    op.evaluate(
        """id => document.dispatchEvent(new CustomEvent('pandu:notification',
             {detail: {id: 0, innovation: id, title: 't'}}))""",
        case,
    )
    op.wait_for_selector("#innovation-results[data-refreshed]", timeout=5000)
    assert op.evaluate("window.__sameDocument") is True
    op_ctx.close()
    head_ctx.close()
