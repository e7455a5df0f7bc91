"""The grouped reads behind the mentor's units and the cycle-time chart (issue 14): each unit's
last session and first open follow-up come from one query for all units, and cycle times from
the visits' stored year and local days."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dashboards import selectors as dashboards
from mentoring.models import FollowUp, MentorAssignment, MentoringSession, Stage
from tests.factories import Org, act, new_innovation
from workflow.models import StageVisit

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
TODAY = dt.date(2026, 9, 16)


def wita(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


def session(case, day: dt.date, *follow_ups: tuple[str, dt.date, bool]) -> None:
    held = MentoringSession.objects.create(
        innovation=case, mentor=case.created_by, date=day, mode="daring", topic="t"
    )
    for description, due, done in follow_ups:
        FollowUp.objects.create(session=held, description=description, due_date=due, done=done)


def test_each_unit_gets_its_own_last_session_and_first_open_follow_up(org):
    other = Org()
    MentorAssignment.objects.create(
        unit=other.unit, mentor=org.mentor, year=org.year, is_lead=False
    )
    a1, a2 = new_innovation(org), new_innovation(org)
    b1 = new_innovation(other)
    b_withdrawn = act(other.head, new_innovation(other), "withdraw", "Tidak jadi.")
    a_last_year = new_innovation(org, year=2025)
    session(a1, dt.date(2026, 9, 1), ("A terlambat, selesai", dt.date(2026, 9, 2), True))
    session(a1, dt.date(2026, 9, 10), ("A kedua", dt.date(2026, 9, 20), False))
    # Same date as "A kedua" but made later: the lower id comes first.
    session(a2, dt.date(2026, 9, 8), ("A ketiga", dt.date(2026, 9, 20), False))
    # Unit B's first follow-up is earlier than any of A's: each unit ranks its own.
    session(b1, dt.date(2026, 9, 3), ("B pertama", dt.date(2026, 9, 12), False))
    session(b1, dt.date(2026, 9, 4), ("B kedua", dt.date(2026, 9, 13), False))
    # Neither a withdrawn case's nor last year's follow-ups count; their sessions' dates count
    # for their own year only.
    session(b_withdrawn, dt.date(2026, 9, 14), ("B ditarik", dt.date(2026, 9, 5), False))
    session(a_last_year, dt.date(2026, 9, 15), ("A 2025", dt.date(2026, 9, 1), False))

    board = dashboards.mentor_dashboard(user=org.mentor, year=2026, today=TODAY)
    units = {line.unit_id: line for line in board.units}
    a, b = units[org.unit.pk], units[other.unit.pk]
    assert (a.last_session, a.next_follow_up, a.next_follow_up_due, a.next_follow_up_case) == (
        dt.date(2026, 9, 10),
        "A kedua",
        dt.date(2026, 9, 20),
        a1.pk,
    )
    assert not a.next_follow_up_late
    assert (b.last_session, b.next_follow_up, b.next_follow_up_case) == (
        dt.date(2026, 9, 14),  # the withdrawn case's session is still the unit's latest
        "B pertama",
        b1.pk,
    )
    assert b.next_follow_up_late  # due 12 Sep, today is the 16th
    assert [row.description for row in board.late_follow_ups] == ["B pertama", "B kedua"]


def test_cycle_times_count_local_days_of_the_cases_year(org):
    # Entered at noon on Monday, left at 07:30 on Wednesday WITA (still Tuesday in UTC): two
    # working days (Tuesday, Wednesday), where days taken in UTC would give one.
    monday = dt.date(2026, 9, 7)
    with time_machine.travel(wita(monday, 12), tick=False):
        case = new_innovation(org)
    with time_machine.travel(wita(dt.date(2026, 9, 9), 7, 30), tick=False):
        act(org.operator, case, "submit")
    # A case of 2025 whose visit ran in the same days counts for 2025 only.
    org25 = Org(year=2025)
    with time_machine.travel(wita(monday, 12), tick=False):
        old = new_innovation(org25)
    with time_machine.travel(wita(dt.date(2026, 9, 14), 12), tick=False):
        act(org25.operator, old, "submit")
    rows = {row.stage: row for row in dashboards.cycle_times(year=2026)}
    assert (rows[Stage.PROPOSAL].visits, rows[Stage.PROPOSAL].median) == (1, 2)
    assert rows[Stage.PROPOSAL_GATE].visits == 0  # still open
    old_rows = {row.stage: row for row in dashboards.cycle_times(year=2025)}
    assert (old_rows[Stage.PROPOSAL].visits, old_rows[Stage.PROPOSAL].median) == (1, 5)


def test_percentile_of_counted_values_is_that_of_the_values_written_out():
    rng = random.Random(14)
    for _ in range(200):
        counts = {rng.randint(0, 30): rng.randint(1, 40) for _ in range(rng.randint(1, 8))}
        values = [value for value, count in counts.items() for _ in range(count)]
        rng.shuffle(values)
        ordered = sorted(values)
        for fraction in (0, 0.5, 0.9, 1):
            # percentile_cont, written out: interpolate between the two closest ranks.
            position = fraction * (len(ordered) - 1)
            low = int(position)
            high = min(low + 1, len(ordered) - 1)
            expected = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
            assert dashboards.percentile(counts, fraction) == pytest.approx(expected)
            assert dashboards.percentile(values, fraction) == pytest.approx(expected)
    assert dashboards.percentile({}, 0.5) is None


def test_the_overdue_list_is_the_longest_overdue_and_the_count_is_all_of_them(org):
    """Summary's overdue list comes from the open visits' due-date index and its count from the
    per-unit figures: 18 overdue cases over two units (ties by case id), one due today (not
    overdue) and one of last year; the list shows the 15 longest overdue."""
    other = Org()
    overdue = []
    for n in range(18):
        case = new_innovation(org if n % 2 else other)
        due = dt.date(2026, 8, 3) + dt.timedelta(days=n // 2)
        StageVisit.objects.filter(innovation=case, left_at__isnull=True).update(due_date=due)
        overdue.append((due, case.pk))
    today_due = new_innovation(org)
    StageVisit.objects.filter(innovation=today_due, left_at__isnull=True).update(due_date=TODAY)
    last_year = new_innovation(org, year=2025)
    StageVisit.objects.filter(innovation=last_year, left_at__isnull=True).update(
        due_date=dt.date(2026, 1, 5)
    )
    board = dashboards.summary(year=2026, today=TODAY)
    assert board.overdue_count == 18
    assert [row.pk for row in board.overdue] == [pk for _due, pk in sorted(overdue)][:15]
    assert sum(load.overdue for load in board.mentors) == 18
