"""The window's board (not ready / ready / entered, with what is missing) and recording a
case's entry in the national portal."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import ActionConflict, ActionForbidden, GuardFailed
from mentoring.models import Milestone, Stage
from submission import selectors, services
from submission.models import NationalEntry
from tests.factories import Org, act, advance, new_innovation
from workflow.models import CaseEvent

pytestmark = pytest.mark.django_db
BOARD = reverse("portal:national-board")


@pytest.fixture
def cases(org):
    return {
        "early": advance(org, new_innovation(org, name="Masih Didampingi"), Stage.MENTORING),
        "verified": advance(org, new_innovation(org, name="Sudah Diverifikasi"), Stage.REPORTING),
        "gone": act(org.head, new_innovation(org, name="Ditarik Saja"), "withdraw", "Batal."),
    }


def lines(board) -> dict[str, selectors.CaseLine]:
    return {case.name: case for unit in board.units for case in unit.cases}


def test_statuses_and_what_is_missing(org, cases):
    found = lines(selectors.board(user=org.admin, year=org.year))
    assert set(found) == {"Masih Didampingi", "Sudah Diverifikasi"}  # withdrawn: left out
    early = found["Masih Didampingi"]
    assert early.status == selectors.NOT_READY
    assert early.missing[0].startswith("Belum lolos verifikasi BRIDA (tahap Pendampingan)")
    assert any("Tahapan sudah penerapan" in m for m in early.missing)
    assert found["Sudah Diverifikasi"].status == selectors.READY
    assert found["Sudah Diverifikasi"].missing == ()


def test_recording_an_entry(org, cases):
    verified = cases["verified"]
    entry = services.record_entry(
        user=org.admin, innovation_id=verified.pk, reference=" IID-2026-0042 "
    )
    assert (entry.reference, entry.entered_by) == ("IID-2026-0042", org.admin)
    verified.refresh_from_db()
    assert verified.report_national_ref == "IID-2026-0042"  # the report's reference too
    event = CaseEvent.objects.filter(innovation=verified).latest("id")
    assert (event.action, event.data) == ("national_entry", {"reference": "IID-2026-0042"})
    assert event.get_action_display() == "Mencatat entri portal nasional"
    line = lines(selectors.board(user=org.admin, year=org.year))["Sudah Diverifikasi"]
    assert (line.status, line.reference) == (selectors.ENTERED, "IID-2026-0042")
    # A correction replaces the reference; the report's own reference stays as entered.
    services.record_entry(user=org.admin, innovation_id=verified.pk, reference="IID-2026-0043")
    assert NationalEntry.objects.get().reference == "IID-2026-0043"


@pytest.mark.parametrize(
    "who, which, reference, error, field",
    [
        ("operator", "verified", "X-1", ActionForbidden, None),
        ("head", "verified", "X-1", ActionForbidden, None),
        ("admin", "early", "X-1", ActionConflict, None),
        ("admin", "verified", "   ", GuardFailed, "reference"),
        ("admin", "verified", "x" * 121, GuardFailed, "reference"),
    ],
)
def test_bad_entries_write_nothing(org, cases, who, which, reference, error, field):
    before = CaseEvent.objects.count()
    with pytest.raises(error) as raised:
        services.record_entry(
            user=getattr(org, who), innovation_id=cases[which].pk, reference=reference
        )
    if field:
        assert field in raised.value.fields
    assert NationalEntry.objects.count() == 0 and CaseEvent.objects.count() == before


def test_the_board_page_for_admins_and_a_heads_own_unit(client, org, cases):
    other = Org()
    advance(other, new_innovation(other, name="Inovasi Unit Lain"), Stage.REPORTING)
    client.force_login(org.admin)
    html = client.get(BOARD, {"year": org.year}).content.decode()
    assert "Masih Didampingi" in html and "Inovasi Unit Lain" in html
    assert f'action="{reverse("portal:national-entry", args=[cases["verified"].pk])}"' in html
    response = client.post(
        reverse("portal:national-entry", args=[cases["verified"].pk]), {"reference": "N-7"}
    )
    assert response.status_code == 302 and "#case-" in response["Location"]
    assert NationalEntry.objects.get().reference == "N-7"
    client.force_login(org.head)
    html = client.get(BOARD, {"year": org.year}).content.decode()
    assert "Sudah Diverifikasi" in html and "Inovasi Unit Lain" not in html
    assert "national-entry" not in html and "reference" not in html  # heads do not enter
    response = client.post(
        reverse("portal:national-entry", args=[cases["verified"].pk]), {"reference": "N-8"}
    )
    assert NationalEntry.objects.get().reference == "N-7"  # refused, named on the page
    assert response.status_code == 302


def test_the_board_reads_a_fixed_number_of_queries(org):
    def count() -> int:
        org.admin.__dict__.pop("_pandu_actor", None)  # as in a fresh request
        with CaptureQueriesContext(connection) as ctx:
            selectors.board(user=org.admin, year=org.year)
        return len(ctx.captured_queries)

    advance(org, new_innovation(org), Stage.REPORTING)
    few = count()
    for _ in range(4):
        advance(org, new_innovation(org), Stage.REPORTING)
    assert count() == few


@time_machine.travel(dt.datetime(2026, 8, 10, 9, tzinfo=dt.UTC))
def test_the_home_counts_working_days_to_the_close_during_the_window(client, org, cases):
    Milestone.objects.create(
        year=2026,
        kind=Milestone.Kind.REPORTING,
        starts=dt.date(2026, 6, 19),
        ends=dt.date(2026, 8, 21),
    )
    client.force_login(org.admin)
    html = client.get("/", {"year": 2026}).content.decode()
    assert 'id="dash-national"' in html
    # 10-21 August: 9 working days (17 August is Independence Day).
    assert "9 hari kerja lagi" in html
    assert "1 kasus belum siap · 1 siap dientri · 0 sudah dientri" in html
    client.force_login(org.observer)
    assert 'id="dash-national"' in client.get("/", {"year": 2026}).content.decode()
    with time_machine.travel(dt.datetime(2026, 8, 25, 9, tzinfo=dt.UTC)):
        client.force_login(org.admin)
        assert 'id="dash-national"' not in client.get("/", {"year": 2026}).content.decode()
