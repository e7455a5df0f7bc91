"""Role home pages: figures against hand-built fixtures, sections per role, fixed query counts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import charts
from dashboards import selectors as dashboards
from mentoring.models import (
    OPEN_STAGES,
    FollowUp,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Stage,
    Unit,
    UnitKind,
    Urusan,
)
from tests.factories import Org, act, advance, make_user, new_innovation
from workflow import deadlines, lifecycle
from workflow.models import Holiday, StageVisit

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
# A Wednesday; September 2026 has no Indonesian national holiday.
TODAY = dt.date(2026, 9, 16)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


def set_clock(innovation, *, due, remind, entered=None) -> None:
    changes = {"due_date": due, "remind_on": remind}
    if entered:
        changes["entered_at"] = at(entered)
    assert StageVisit.objects.filter(innovation=innovation, left_at__isnull=True).update(**changes)


class World:
    """Three units of 2026.

    A (mentor M lead, also co-mentor of B): a1 proposal, due 10 Sep (4 working days overdue on
    16 Sep: 11, 14, 15, 16); a2 mentoring, due soon (due 18 Sep, reminder 15 Sep), with two
    sessions and follow-ups; a3 and a5 waiting for A's head (a5 since 20 Aug, a3 since 1 Sep);
    a4 of 2025. B: nothing this year. C: one innovation, withdrawn.
    """

    def __init__(self) -> None:
        self.a, self.b, self.c = Org(), Org(), Org()
        MentorAssignment.objects.create(
            unit=self.b.unit, mentor=self.a.mentor, year=2026, is_lead=False
        )
        a = self.a
        self.a1 = new_innovation(a)
        set_clock(self.a1, due=dt.date(2026, 9, 10), remind=dt.date(2026, 9, 8))
        self.a2 = advance(a, new_innovation(a), "mentoring")
        set_clock(self.a2, due=dt.date(2026, 9, 18), remind=dt.date(2026, 9, 15))
        self.a3 = advance(a, new_innovation(a), "proposal_gate")
        set_clock(
            self.a3,
            due=dt.date(2026, 9, 30),
            remind=dt.date(2026, 9, 28),
            entered=dt.date(2026, 9, 1),
        )
        self.a5 = advance(a, new_innovation(a), "proposal_gate")
        set_clock(
            self.a5,
            due=dt.date(2026, 9, 30),
            remind=dt.date(2026, 9, 28),
            entered=dt.date(2026, 8, 20),
        )
        self.a4 = new_innovation(a, year=2025)
        set_clock(self.a4, due=dt.date(2026, 9, 1), remind=dt.date(2026, 8, 28))
        first = MentoringSession.objects.create(
            innovation=self.a2, mentor=a.mentor, date=dt.date(2026, 9, 1), mode="daring", topic="1"
        )
        second = MentoringSession.objects.create(
            innovation=self.a2, mentor=a.mentor, date=dt.date(2026, 9, 8), mode="daring", topic="2"
        )
        FollowUp.objects.create(
            session=first, description="Sudah", due_date=dt.date(2026, 9, 5), done=True
        )
        FollowUp.objects.create(
            session=second, description="Foto kegiatan", due_date=dt.date(2026, 9, 25)
        )
        FollowUp.objects.create(
            session=first, description="Unggah SK tim", due_date=dt.date(2026, 9, 20)
        )
        self.c1 = act(self.c.head, new_innovation(self.c), "withdraw", "Tidak jadi.")
        # Closed visits end "now" (the real clock): keep them out of these figures' dates.


@pytest.fixture
def world() -> World:
    return World()


# --- figures ----------------------------------------------------------------------------------


def test_mentor_units_with_stage_counts_sessions_follow_ups_and_flags(world):
    board = dashboards.mentor_dashboard(user=world.a.mentor, year=2026, today=TODAY)
    units = {line.code: line for line in board.units}
    assert set(units) == {world.a.unit.code, world.b.unit.code}
    a = units[world.a.unit.code]
    assert a.is_lead and not a.without_innovation
    assert {(s.stage, s.count) for s in a.by_stage} == {
        (Stage.PROPOSAL, 1),
        (Stage.MENTORING, 1),
        (Stage.PROPOSAL_GATE, 2),
    }
    assert (a.total, a.active, a.overdue, a.due_soon) == (4, 4, 1, 1)
    assert a.last_session == dt.date(2026, 9, 8)
    assert (a.next_follow_up, a.next_follow_up_due) == ("Unggah SK tim", dt.date(2026, 9, 20))
    assert a.next_follow_up_case == world.a2.pk and not a.next_follow_up_late
    b = units[world.b.unit.code]
    assert not b.is_lead and b.without_innovation and b.total == 0
    assert b.last_session is None and b.next_follow_up == ""
    assert (board.overdue, board.due_soon, board.units_without) == (1, 1, 1)
    assert [(row.pk, row.days_overdue, row.due_soon) for row in board.attention] == [
        (world.a1.pk, 4, False),
        (world.a2.pk, 0, True),
    ]
    assert board.attention[1].holder_name == (
        world.a.mentor.get_full_name() or world.a.mentor.username
    )


def test_mentor_sees_only_the_asked_year(world):
    board = dashboards.mentor_dashboard(user=world.a.mentor, year=2025, today=TODAY)
    assert board.units == () and board.attention == ()


def test_head_approvals_oldest_first_innovations_and_target(world):
    board = dashboards.head_dashboard(unit_ids={world.a.unit.pk}, year=2026, today=TODAY)
    (unit,) = board.units
    assert [row.pk for row in unit.approvals] == [world.a5.pk, world.a3.pk]
    assert unit.approvals[0].due_date == dt.date(2026, 9, 30)
    assert unit.approvals[0].holder_name == world.a.head.username
    assert {row.pk for row in unit.innovations} == {
        world.a1.pk,
        world.a2.pk,
        world.a3.pk,
        world.a5.pk,
    }
    assert unit.active == 4 and unit.target_met
    (c,) = dashboards.head_dashboard(unit_ids={world.c.unit.pk}, year=2026, today=TODAY).units
    assert c.active == 0 and not c.target_met  # a withdrawn innovation does not count
    assert [row.stage for row in c.innovations] == [Stage.WITHDRAWN]


def test_summary_pipeline_compliance_workload_and_overdue_list(world):
    board = dashboards.summary(year=2026, today=TODAY)
    assert {s.stage: s.count for s in board.pipeline if s.count} == {
        Stage.PROPOSAL: 1,
        Stage.PROPOSAL_GATE: 2,
        Stage.MENTORING: 1,
        Stage.WITHDRAWN: 1,
    }
    assert len(board.pipeline) == len(Stage.choices) and board.innovations == 5
    assert (board.units_total, board.units_met) == (3, 1)
    assert {u.code for u in board.units_without} == {world.b.unit.code, world.c.unit.code}
    assert board.units_without_count == 2 and board.compliance_percent == 33
    assert [(k.kind, k.met, k.total) for k in board.by_kind] == [(UnitKind.DINAS, 1, 3)]
    loads = {m.mentor_id: m for m in board.mentors}
    m = loads[world.a.mentor.pk]
    assert (m.units, m.lead_units, m.open_cases, m.overdue) == (2, 1, 4, 1)
    for other in (world.b.mentor, world.c.mentor):
        assert (loads[other.pk].units, loads[other.pk].open_cases) == (1, 0)
    assert board.mentors[0].mentor_id == world.a.mentor.pk  # most overdue first
    assert board.overdue_count == 1
    (row,) = board.overdue
    assert (row.pk, row.unit_name, row.stage, row.holder, row.due_date, row.days_overdue) == (
        world.a1.pk,
        world.a.unit.name,
        Stage.PROPOSAL,
        "opd",
        dt.date(2026, 9, 10),
        4,
    )


def test_cycle_time_median_and_p90_in_working_days(org):
    cases = [new_innovation(org) for _ in range(3)]
    monday = dt.date(2026, 9, 7)
    # proposal: 0, 2 and 5 working days (same day; Mon -> Wed; Mon -> next Mon)
    spans = [(monday, monday), (monday, dt.date(2026, 9, 9)), (monday, dt.date(2026, 9, 14))]
    for case, (start, end) in zip(cases, spans, strict=True):
        StageVisit.objects.create(
            innovation=case,
            stage=Stage.PROPOSAL,
            holder="opd",
            entered_at=at(start),
            left_at=at(end, 15),
        )
    # mentoring over a weekend and a local holiday: Fri 11 Sep -> Tue 15 Sep minus Mon 14 = 1
    Holiday.objects.create(date=dt.date(2026, 9, 14), name="Libur daerah")
    StageVisit.objects.create(
        innovation=cases[0],
        stage=Stage.MENTORING,
        holder="mentor",
        entered_at=at(dt.date(2026, 9, 11)),
        left_at=at(dt.date(2026, 9, 15)),
    )
    rows = {row.stage: row for row in dashboards.cycle_times(year=org.year)}
    # the holiday also shortens the Mon -> next Mon proposal visit to 4
    assert (rows[Stage.PROPOSAL].visits, rows[Stage.PROPOSAL].median) == (3, 2)
    assert rows[Stage.PROPOSAL].p90 == pytest.approx(2 + (4 - 2) * 0.8)
    assert (rows[Stage.MENTORING].median, rows[Stage.MENTORING].p90) == (1, 1)
    assert rows[Stage.PACKAGING].visits == 0 and rows[Stage.PACKAGING].median is None


def test_percentile_is_percentile_cont():
    assert dashboards.percentile([], 0.5) is None
    assert dashboards.percentile([7], 0.9) == 7
    assert dashboards.percentile([4, 1, 3, 2], 0.5) == 2.5
    assert dashboards.percentile([0, 10], 0.9) == pytest.approx(9)


def test_programme_year_param():
    assert dashboards.programme_year(raw="", today=TODAY) == (2026, "")
    assert dashboards.programme_year(raw="2025", today=TODAY) == (2025, "")
    year, error = dashboards.programme_year(raw="dua ribu", today=TODAY)
    assert year == 2026 and "2000" in error


def test_iid_panel_and_missing_ruleset(world):
    panel = dashboards.iid_panel(year=2026)
    assert panel.estimate is not None and panel.estimate.predicate
    assert panel.estimate.warnings  # the seeded 2026 ruleset is unconfirmed
    missing = dashboards.iid_panel(year=2031)
    assert missing.estimate is None and "2031" in missing.missing


def test_visit_rows_show_due_and_actual_dates(org):
    case = new_innovation(org)
    StageVisit.objects.filter(innovation=case).delete()
    StageVisit.objects.create(
        innovation=case,
        stage=Stage.PROPOSAL,
        holder="opd",
        entered_at=at(dt.date(2026, 9, 1)),
        left_at=at(dt.date(2026, 9, 9)),
        sla_days=5,
        due_date=dt.date(2026, 9, 8),
    )
    StageVisit.objects.create(
        innovation=case,
        stage=Stage.PROPOSAL_GATE,
        holder="head",
        entered_at=at(dt.date(2026, 9, 9)),
        sla_days=3,
        due_date=dt.date(2026, 9, 14),
    )
    case = Innovation.objects.get(pk=case.pk)
    rows = dashboards.visit_rows(innovation=case, today=TODAY)
    assert [(r.stage, r.due_date, r.is_open, r.days_late) for r in rows] == [
        (Stage.PROPOSAL, dt.date(2026, 9, 8), False, 1),  # left on 9 Sep: 1 day after the 8th
        (Stage.PROPOSAL_GATE, dt.date(2026, 9, 14), True, 2),  # 15, 16 Sep
    ]


# --- charts -----------------------------------------------------------------------------------


def test_bar_chart_is_accessible_escaped_svg():
    svg = charts.bar_chart(
        title="Alur <tahap>",
        bars=[charts.Bar(label="A & B", value=3, text="3"), charts.Bar("C", 0, "0")],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby" in svg
    assert "<title" in svg and "Alur &lt;tahap&gt;" in svg and "A &amp; B" in svg
    assert svg.count("<rect") == 1  # a zero bar draws nothing
    assert charts.bar_chart(title="x", bars=[]) == ""


# --- pages ------------------------------------------------------------------------------------

SECTIONS = ("dash-mentor", "dash-head", "dash-summary", "dash-iid")


def home(client, user, **params):
    client.force_login(user)
    with time_machine.travel(at(TODAY, 10), tick=False):
        response = client.get(reverse("portal:home"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("mentor", {"dash-mentor"}),
        ("head", {"dash-head"}),
        ("admin", {"dash-summary", "dash-iid"}),
        ("observer", {"dash-summary", "dash-iid"}),
        ("operator", set()),
        ("verifier", set()),
    ],
)
def test_each_role_sees_its_sections_only(client, world, role, expected):
    page = home(client, getattr(world.a, role))
    if role == "observer":
        # The regent acts on nothing: the home opens on the regency's figures, with no
        # always empty task card (issue 12).
        assert 'id="my-tasks-card"' not in page and "kasus menunggu Anda" not in page
        assert "Ringkasan inovasi daerah" in page
    else:
        assert 'id="my-tasks"' in page or "Tidak ada kasus yang menunggu" in page
        first = min([page.index(f'id="{s}"') for s in expected] or [0])
        assert page.index("Tugas saya") < first or not expected
    assert {s for s in SECTIONS if f'id="{s}"' in page} == expected
    assert ('id="dash-read-only"' in page) == (role == "observer")


def test_several_roles_see_each_section(client, world):
    world.a.head.groups.add(*world.a.mentor.groups.all())
    MentorAssignment.objects.create(
        unit=world.c.unit, mentor=world.a.head, year=2026, is_lead=False
    )
    page = home(client, world.a.head)
    assert 'id="dash-mentor"' in page and 'id="dash-head"' in page
    assert 'id="dash-summary"' not in page


def test_pages_show_the_figures(client, world):
    page = home(client, world.a.mentor)
    assert f'id="mentor-unit-{world.b.unit.code}"' in page
    assert "Belum ada inovasi tahun 2026" in page and "Unggah SK tim" in page
    assert "4 hari kerja" in page
    page = home(client, world.a.head)
    assert "Target tahun 2026 terpenuhi" in page
    section = page[page.index('id="dash-head"') :]
    assert section.index(world.a5.name) < section.index(world.a3.name)
    page = home(client, world.c.head)
    assert "Target tahun 2026 belum terpenuhi" in page
    page = home(client, world.a.observer)
    assert "<svg" in page and 'role="img"' in page and "2 unit belum memiliki inovasi" in page
    assert world.b.unit.name in page and world.a1.name in page


def test_year_param_and_bad_year(client, world):
    page = home(client, world.a.mentor, year="2025")
    assert "belum ditugaskan ke unit mana pun pada tahun 2025" in page
    page = home(client, world.a.mentor, year="abc")
    assert "Tahun program harus berupa tahun" in page and "Unit dampingan saya · 2026" in page


def test_detail_page_lists_stage_visits(client, world):
    client.force_login(world.a.admin)
    page = client.get(reverse("portal:innovation-detail", args=[world.a2.pk])).content.decode()
    assert 'id="visits"' in page and "Tenggat per tahap" in page
    visits = list(StageVisit.objects.filter(innovation=world.a2))
    assert len(visits) == 3 and page.count("masih berjalan") == 1


# --- query counts -----------------------------------------------------------------------------


def grow(world: World, *, units: int, per_unit: int) -> None:
    """More units (mentored by A's mentor, headed by fresh heads), innovations in every stage,
    open visits half overdue, sessions and follow-ups; A gets more cases too."""
    a = world.a
    urusan = Urusan.objects.get(code="kesehatan")
    start = Unit.objects.count()
    new_units = Unit.objects.bulk_create(
        Unit(code=f"grow-{start + i}", name=f"Unit Tambah {start + i}", kind=UnitKind.BADAN)
        for i in range(units)
    )
    MentorAssignment.objects.bulk_create(
        MentorAssignment(unit=unit, mentor=a.mentor, year=2026) for unit in new_units
    )
    Membership.objects.bulk_create(
        Membership(unit=unit, user=make_user(None, "opd_head"), position="head")
        for unit in new_units
    )
    stages = [value for value, _label in Stage.choices]
    cases = Innovation.objects.bulk_create(
        Innovation(
            unit=unit,
            year=2026,
            name=f"Tambahan {unit.code} {i}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=stages[i % len(stages)],
            awaiting=lifecycle.holder_of(stages[i % len(stages)]),
            created_by=a.operator,
        )
        for unit in [*new_units, a.unit]
        for i in range(per_unit)
    )
    StageVisit.objects.bulk_create(
        StageVisit(
            innovation=case,
            stage=case.stage,
            holder=case.awaiting,
            entered_at=at(dt.date(2026, 9, 1)),
            due_date=dt.date(2026, 9, 10 + 10 * (i % 2)),
            remind_on=dt.date(2026, 9, 8 + 10 * (i % 2)),
        )
        for i, case in enumerate(cases)
        if case.stage in OPEN_STAGES
    )
    sessions = MentoringSession.objects.bulk_create(
        MentoringSession(
            innovation=case, mentor=a.mentor, date=dt.date(2026, 9, 2), mode="daring", topic="t"
        )
        for case in cases
    )
    FollowUp.objects.bulk_create(
        FollowUp(session=s, description="Tindak lanjut", due_date=dt.date(2026, 9, 30))
        for s in sessions
    )


def queries(client, user) -> int:
    client.force_login(user)
    deadlines.calendar()  # the holiday calendar is cached per process: warm it like a server
    with time_machine.travel(at(TODAY, 10), tick=False):
        client.get(reverse("portal:home"))  # warm-up (session, caches)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_home_query_count_does_not_grow_with_data(client, world):
    people = {
        "mentor": world.a.mentor,
        "head": world.a.head,
        "admin": world.a.admin,
        "observer": world.a.observer,
    }
    before = {role: queries(client, user) for role, user in people.items()}
    grow(world, units=12, per_unit=len(Stage.choices) + 2)
    after = {role: queries(client, user) for role, user in people.items()}
    print("home page queries", before, after)
    assert after == before
    assert Innovation.objects.count() > 150 and Unit.objects.count() >= 15


def test_my_tasks_list_is_capped_at_the_oldest_fifty(client, org):
    urusan = Urusan.objects.get(code="kesehatan")
    Innovation.objects.bulk_create(
        Innovation(
            unit=org.unit,
            year=2026,
            name=f"Menunggu admin {i}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=urusan,
            stage=Stage.CLOSE,
            awaiting="admin",
            created_by=org.operator,
        )
        for i in range(53)
    )
    page = home(client, org.admin)
    assert "53 kasus menunggu Anda" in page and 'id="my-tasks-capped"' in page
    tasks = page[page.index('id="my-tasks"') : page.index('id="my-tasks-capped"')]
    assert tasks.count("<li data-innovation=") == 50
    assert tasks.count(f"{org.unit.name} · 2026") == 50  # each row names its unit


@pytest.mark.django_db
def test_the_estimate_shows_every_band_with_its_source_and_the_boundary(client):
    from scoring.services import set_spd_score

    admin = make_user("admin.bands", "admin")
    client.force_login(admin)
    set_spd_score(year=2025, spd_score="25")  # IID 10: clear of edges
    html = client.get("/?year=2025").content.decode()
    assert 'id="iid-bands"' in html
    for name in ("Sangat Inovatif", "Inovatif", "Kurang Inovatif"):
        assert name in html
    assert "65,01" in html and "400.10.11-6097/2025" in html  # the 2025 decree
    assert 'id="iid-source"' in html
    assert 'id="iid-boundary"' not in html
    # Right at an edge (SPD alone gives IID 0.008: within 0.01 of "Kurang Inovatif").
    set_spd_score(year=2025, spd_score="0.02")
    html = client.get("/?year=2025").content.decode()
    assert 'id="iid-boundary"' in html
