"""A stage visit's stored programme year and local days (issue 14), which the cycle-time figures
group by: set on every path that opens or closes a visit, filled for the visits that existed
before (migration 0012, which also goes back)."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mentoring.models import Stage
from tests.factories import Org, act, advance, new_innovation
from workflow import deadlines, lifecycle, services
from workflow.models import StageVisit

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
MIGRATION = "0012_stagevisit_cycle_days"
BEFORE = "0011_caseevent_continuation_kinds"


def early(day: dt.date) -> dt.datetime:
    """07:30 WITA: still the day before in UTC, so a day taken in UTC would be one off."""
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=WITA)


def local_days(innovation) -> list[tuple[int | None, dt.date | None, dt.date | None]]:
    return list(
        StageVisit.objects.filter(innovation=innovation)
        .order_by("pk")
        .values_list("year", "entered_on", "left_on")
    )


def expected_days(innovation) -> list[tuple[int, dt.date, dt.date | None]]:
    """What the columns must hold, worked out from the timestamps."""
    return [
        (
            innovation.year,
            entered.astimezone(WITA).date(),
            left.astimezone(WITA).date() if left else None,
        )
        for entered, left in StageVisit.objects.filter(innovation=innovation)
        .order_by("pk")
        .values_list("entered_at", "left_at")
    ]


def test_new_visit_takes_the_year_and_the_local_day_of_entry():
    visit = deadlines.new_visit(
        innovation_id=1, year=2026, stage=Stage.MENTORING, at=early(dt.date(2026, 9, 7))
    )
    assert (visit.year, visit.entered_on, visit.left_on) == (2026, dt.date(2026, 9, 7), None)


def test_every_action_sets_the_days_of_the_visits_it_closes_and_opens(org):
    monday = dt.date(2026, 9, 7)
    with time_machine.travel(early(monday), tick=True):
        case = advance(org, new_innovation(org), "done")
    days = local_days(case)
    assert len(days) == len(lifecycle.DEFAULT_SLA_DAYS)  # one visit per timed stage, all closed
    assert days == [(2026, monday, monday)] * len(days)
    assert days == expected_days(case)


def test_a_return_and_a_withdrawal_close_the_visit_with_its_day(org):
    with time_machine.travel(early(dt.date(2026, 9, 7)), tick=True):
        case = act(org.operator, new_innovation(org), "submit")
    with time_machine.travel(early(dt.date(2026, 9, 8)), tick=True):
        case = act(org.head, case, "return", "Lengkapi tujuan.")
    with time_machine.travel(early(dt.date(2026, 9, 10)), tick=True):
        act(org.head, case, "withdraw", "Tidak dilanjutkan.")
    days = local_days(case)
    assert [entered_left[1:] for entered_left in days] == [
        (dt.date(2026, 9, 7), dt.date(2026, 9, 7)),  # proposal
        (dt.date(2026, 9, 7), dt.date(2026, 9, 8)),  # proposal gate, returned
        (dt.date(2026, 9, 8), dt.date(2026, 9, 10)),  # proposal again, withdrawn
    ]
    assert days == expected_days(case)


def test_a_continuation_opens_its_visit_in_its_own_year():
    org25 = Org(year=2025)
    closed = advance(org25, new_innovation(org25), "done")
    with time_machine.travel(early(dt.date(2026, 2, 2)), tick=True):
        new = services.continue_innovation(
            user=org25.operator,
            innovation_id=closed.pk,
            year=2026,
            perkembangan="Layanan menjangkau 12 desa baru tahun ini.",
        ).innovation
    assert local_days(new) == [(2026, dt.date(2026, 2, 2), None)]
    assert {year for year, _entered, _left in local_days(closed)} == {2025}


def test_a_visit_written_outside_the_engine_gets_them_on_save(org):
    case = new_innovation(org)
    visit = StageVisit.objects.create(
        innovation_id=case.pk,  # no innovation loaded: the year is read for it
        stage=Stage.PROPOSAL,
        holder="opd",
        entered_at=early(dt.date(2026, 9, 7)),
        left_at=early(dt.date(2026, 9, 9)),
    )
    visit.refresh_from_db()
    assert (visit.year, visit.entered_on, visit.left_on) == (
        case.year,
        dt.date(2026, 9, 7),
        dt.date(2026, 9, 9),
    )


def test_set_days_follows_timestamps_moved_after_the_fact(org):
    """What a writer that moves the timestamps in bulk (the demo seeder) calls before saving."""
    case = advance(org, new_innovation(org), "proposal_gate")
    visits = list(StageVisit.objects.filter(innovation=case).order_by("pk"))
    visits[0].entered_at = early(dt.date(2026, 3, 2))
    visits[0].left_at = early(dt.date(2026, 3, 4))
    visits[1].entered_at = visits[0].left_at
    for visit in visits:
        visit.set_days()
    StageVisit.objects.bulk_update(visits, ["entered_at", "left_at", "entered_on", "left_on"])
    assert [row[1:] for row in local_days(case)] == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 4)),
        (dt.date(2026, 3, 4), None),
    ]


def test_the_migration_fills_the_columns_of_existing_visits(org):
    fill = importlib.import_module(f"workflow.migrations.{MIGRATION}").fill
    with time_machine.travel(early(dt.date(2026, 9, 7)), tick=True):
        closed = advance(org, new_innovation(org), "packaging")
    org25 = Org(year=2025)
    with time_machine.travel(early(dt.date(2025, 9, 8)), tick=True):
        running = new_innovation(org25)
    StageVisit.objects.update(year=None, entered_on=None, left_on=None)
    fill(apps, connection.schema_editor())
    for case in (closed, running):
        assert local_days(case) == expected_days(case)
    assert local_days(running) == [(2025, dt.date(2025, 9, 8), None)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_goes_back_and_forward_again():
    with time_machine.travel(early(dt.date(2026, 9, 7)), tick=True):
        org = Org()
        case = act(org.operator, new_innovation(org), "submit")
    executor = MigrationExecutor(connection)
    executor.migrate([("workflow", BEFORE)])
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), StageVisit._meta.db_table
        )
    }
    assert not {"year", "entered_on", "left_on"} & columns
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert (
        local_days(case)
        == expected_days(case)
        == [
            (2026, dt.date(2026, 9, 7), dt.date(2026, 9, 7)),
            (2026, dt.date(2026, 9, 7), None),
        ]
    )
