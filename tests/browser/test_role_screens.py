"""Every role's main pages in Chromium at 1280 and 390 px, as issue 12 found them.

On each page: nothing wider than the screen, no element id used twice, no username where a
person's name belongs, and (on the pages of the shell, the homes, the lists and the reports) no
form control squeezed under 120 px. Then the journeys that fought the users: the regent's
distance to the top predicate above the fold, a mentor's late follow-up ticked done leaving the
home's list, "Catat sesi" within the first screen on a phone, one selected menu item, the
engine's own screens leading to the portal, a readable process on a phone, a 403 with a way home.
Screenshots of every page go to SHOTS (role-<role>-<page>-<width>.png).
"""

import datetime as dt
import os
import re
import struct
import zlib

import pytest
from django.utils import timezone

from mentoring.models import FollowUp, Stage
from tests.browser.conftest import DESKTOP, PHONE, SHOTS
from tests.factories import Org, advance, make_unit, new_innovation

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

NAMES = {
    "admin": ("Rina", "Admin Brida"),
    "operator": ("Opik", "Operator Dinas"),
    "head": ("Hendra", "Kepala Dinas"),
    "mentor": ("Maya", "Pendamping Utama"),
    "verifier": ("Vera", "Verifikator Brida"),
    "observer": ("Bupati", "Kutai Kartanegara"),
}
# Form controls that must show their content: text-like inputs and selects.
CONTROLS = (
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit])"
    ":not([type=button]), select, textarea"
)
MIN_CONTROL_WIDTH = 120

PAGE_FACTS = """(selector) => {
  const root = document.documentElement;
  const ids = {};
  document.querySelectorAll('[id]').forEach(el => { ids[el.id] = (ids[el.id] || 0) + 1; });
  const narrow = [];
  document.querySelectorAll(selector).forEach(el => {
    const box = el.getBoundingClientRect();
    const shown = box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    if (shown && box.width < MIN) {
      narrow.push((el.id || el.name || el.tagName) + ':' + Math.round(box.width));
    }
  });
  const options = [...document.querySelectorAll('option')].map(o => o.textContent).join('\\n');
  return {
    overflow: root.scrollWidth - root.clientWidth,
    duplicates: Object.keys(ids).filter(id => ids[id] > 1),
    narrow: narrow,
    text: document.body.innerText + '\\n' + options,
  };
}""".replace("MIN", str(MIN_CONTROL_WIDTH))


@pytest.fixture
def world(db):
    """An organisation whose people all have names, with cases in several stages: one in
    mentoring with a follow-up long past its date."""
    org = Org(year=timezone.localdate().year)
    for role, (first, last) in NAMES.items():
        user = getattr(org, role)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    make_unit()  # a unit without any innovation, for the regent's list
    new_innovation(org, name="Antrean Puskesmas Daring")
    mentoring = advance(org, new_innovation(org, name="Klinik Inovasi Desa"), Stage.MENTORING)
    from tests.factories import log_session

    log_session(org, mentoring)
    FollowUp.objects.filter(session__innovation=mentoring).update(
        due_date=timezone.localdate() - dt.timedelta(days=10)
    )
    advance(org, new_innovation(org, name="Sobat Parikesit"), Stage.PACKAGING)
    verification = advance(org, new_innovation(org, name="Patin Wisambar"), Stage.VERIFICATION)
    org.cases = {"mentoring": mentoring, "verification": verification}
    return org


class Person:
    """One person's browser context, logged in through the login form."""

    def __init__(self, browser, base: str, user, viewport) -> None:
        self.base = base
        self.viewport = viewport
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", "rahasia123")
        self.page.click("#login-submit")
        self.page.wait_for_url(f"{base}/")

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("load")

    def facts(self) -> dict:
        return self.page.evaluate(PAGE_FACTS, CONTROLS)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = self.viewport["width"]
        self.page.screenshot(path=str(SHOTS / f"role-{name}-{width}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def _usernames(org) -> list[str]:
    return [getattr(org, role).username for role in NAMES]


def _main_pages(org) -> dict[str, list[tuple[str, str, bool]]]:
    """Per role: (name, path, owned) — `owned`: the control-width rule applies (pages of this
    part of the work: the shell, homes, lists, reports and the session form)."""
    mentoring = org.cases["mentoring"].pk
    verification = org.cases["verification"].pk
    return {
        "admin": [
            ("home", "/", True),
            ("list", "/innovations/", True),
            ("reports", "/reports/", True),
            ("reassign", "/reports/mentors/reassign/", True),
            ("case", f"/innovations/{verification}/", False),
        ],
        "operator": [
            ("home", "/", True),
            ("list", "/innovations/", True),
            ("case", f"/innovations/{mentoring}/", False),
        ],
        "head": [
            ("home", "/", True),
            ("list", "/innovations/", True),
            ("case", f"/innovations/{mentoring}/", False),
        ],
        "mentor": [
            ("home", "/", True),
            ("case", f"/innovations/{mentoring}/", False),
            ("session-form", f"/innovations/{mentoring}/sessions/new/", True),
            ("reports", "/reports/", True),
        ],
        "verifier": [
            ("home", "/", True),
            ("list", "/innovations/", True),
            ("case", f"/innovations/{verification}/", False),
        ],
        "observer": [
            ("home", "/", True),
            ("list", "/innovations/", True),
            ("reports", "/reports/", True),
            ("case", f"/innovations/{mentoring}/", False),
        ],
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_every_roles_main_pages_fit_and_name_people(browser, live_server, world, viewport):
    usernames = _usernames(world)
    problems = []
    for role, pages in _main_pages(world).items():
        person = Person(browser, live_server.url, getattr(world, role), viewport)
        for name, path, owned in pages:
            person.open(path)
            person.shot(f"{role}-{name}")
            facts = person.facts()
            where = f"{role} {name} at {viewport['width']} px"
            if facts["overflow"] > 1:
                problems.append(f"{where}: {facts['overflow']} px wider than the screen")
            if facts["duplicates"]:
                problems.append(f"{where}: duplicate ids {facts['duplicates']}")
            if owned and facts["narrow"]:
                problems.append(f"{where}: controls under {MIN_CONTROL_WIDTH} px {facts['narrow']}")
            shown = [u for u in usernames if re.search(rf"\b{re.escape(u)}\b", facts["text"])]
            if shown:
                problems.append(f"{where}: usernames shown {shown}")
        person.close()
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_regent_sees_the_way_to_the_top_predicate_without_scrolling(
    browser, live_server, world
):
    regent = Person(browser, live_server.url, world.observer, DESKTOP)
    page = regent.page
    text = page.inner_text("main, body")
    assert "0 kasus menunggu Anda" not in text
    fold = DESKTOP["height"]
    for selector in ("#iid-gap-top", "#iid-bands", "#compliance-tile", "#units-without"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["y"] + min(box["height"], 40) <= fold, f"{selector} is below the fold: {box}"
    gap = page.inner_text("#iid-gap-top")
    assert "Sangat Inovatif" in gap and re.search(r"\d+,\d\d|\d+\.\d\d", gap)
    bands = page.inner_text("#iid-bands")
    assert "Sangat Inovatif" in bands and "Inovatif" in bands
    aspects = page.inner_text("#iid-aspects")
    assert "Satuan Inovasi Daerah" in aspects and "Satuan Pemerintah Daerah" in aspects
    regent.shot("observer-home-fold")
    regent.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_follow_up_ticked_done_leaves_the_mentors_late_list(browser, live_server, world):
    follow_up = FollowUp.objects.get(session__innovation=world.cases["mentoring"])
    mentor = Person(browser, live_server.url, world.mentor, PHONE)
    page = mentor.page
    item = page.locator(f"#late-follow-up-{follow_up.pk}")
    assert item.count() == 1
    with page.expect_navigation():
        item.locator("button[type=submit]").click()
    assert page.locator(f"#late-follow-up-{follow_up.pk}").count() == 0
    follow_up.refresh_from_db()
    assert follow_up.done and follow_up.done_by == world.mentor
    mentor.shot("mentor-home-after-done")
    # On the case page it shows as done and can be opened again.
    mentor.open(f"/innovations/{world.cases['mentoring'].pk}/")
    assert "selesai" in page.inner_text(f"#follow-up-{follow_up.pk}")
    mentor.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mentor_on_a_phone_logs_a_session_from_the_top_with_attendees_and_a_photo(
    browser, live_server, world, tmp_path
):
    case = world.cases["mentoring"]
    mentor = Person(browser, live_server.url, world.mentor, PHONE)
    page = mentor.page
    mentor.open(f"/innovations/{case.pk}/")
    button = page.locator("a:has-text('Catat sesi')").first
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    # The process reads as a list of stages on a phone; the chart is not squeezed into it.
    assert page.locator("#stage-list").is_visible()
    assert "Pendampingan" in page.inner_text("#stage-list [aria-current=step]")
    assert not page.locator(".pi-chart").is_visible()
    mentor.shot("mentor-case-top")
    button.click()
    page.wait_for_selector("#id_topic")
    photo = tmp_path / "foto-kegiatan.png"
    photo.write_bytes(PNG_BYTES)
    page.fill("#id_topic", "Klinik inovasi")
    page.select_option("#id_mode", "tatap_muka")
    page.fill("#id_att-0-name", "Siti Aminah")
    page.fill("#id_att-0-role", "Sekretaris dinas")
    page.set_input_files("#id_uploads", str(photo))
    mentor.shot("mentor-session-form-filled")
    with page.expect_navigation():
        page.click("form.pi-form button[type=submit] >> nth=0")
    sessions = page.inner_text("#sessions")
    assert "Siti Aminah (Sekretaris dinas)" in sessions
    assert "foto-kegiatan.png" in sessions
    mentor.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shell_one_selected_item_engine_screens_lead_home_and_a_403_with_a_way_home(
    browser, live_server, world
):
    operator = Person(browser, live_server.url, world.operator, PHONE)
    page = operator.page
    for path in ("/", "/innovations/"):
        operator.open(path)
        selected = page.locator(".mdc-list-item--selected, .mdc-list-item--activated")
        assert selected.count() == 1, (path, selected.all_inner_texts())
    # The drawer on a phone: every menu item can be reached, none cut off at the side.
    operator.open("/")
    page.click("button.mdc-top-app-bar__navigation-icon")
    page.wait_for_timeout(400)
    drawer = page.locator("aside.vf-page__menu")
    box = drawer.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert "Kasus inovasi" not in drawer.inner_text()
    # On a short screen (a phone held sideways) the drawer scrolls to its last item.
    page.set_viewport_size({"width": PHONE["width"], "height": 380})
    last = drawer.locator("vf-page-menu-navigation a.mdc-list-item").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 380 + 1, box
    page.set_viewport_size(PHONE)
    operator.shot("operator-drawer")
    # The bell panel uses the page's font, not the browser's serif default.
    font = page.evaluate("getComputedStyle(document.querySelector('.pi-bell__panel')).fontFamily")
    assert "Roboto" in font or "sans-serif" in font, font
    # The engine's inbox and process page lead to the portal's pages.
    operator.open("/innovation/inbox/")
    assert page.url == f"{live_server.url}/"
    process = world.cases["mentoring"].process.pk
    operator.open(f"/innovation/{process}/")
    assert page.url.endswith(f"/innovations/{world.cases['mentoring'].pk}/")
    # A page the operator may not open: the 403 says so and leads home.
    operator.open("/reports/mentors/reassign/")
    assert "403" in page.inner_text("body")
    assert page.locator("a[href='/']").count() >= 1
    operator.shot("operator-403")
    operator.close()


def _png() -> bytes:
    """A 1x1 PNG: a photo as far as the content check is concerned."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG_BYTES = _png()
