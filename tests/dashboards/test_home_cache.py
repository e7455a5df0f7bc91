"""The home pages' summary (admin, observer) and each mentor's dashboard are kept in the shared
cache (Redis in CI) until something they read changes: every way those inputs change through
the product shows on the next read."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from core import generations
from dashboards import freshness
from dashboards import selectors as dashboards
from mentoring.models import MentorAssignment, Stage, Substitution
from mentoring.people import actor_for
from reports import selectors as reports
from tests.factories import Org, act, advance, log_session, make_unit, new_innovation
from workflow.models import Holiday

from .test_dashboards import TODAY, World

pytestmark = pytest.mark.django_db


def home(user):
    return dashboards.home_dashboard(user=user, year=2026, today=TODAY)


def test_a_second_summary_read_costs_no_query_and_matches_the_live_one(
    org, django_assert_num_queries
):
    new_innovation(org)
    first = dashboards.cached_summary(year=2026, today=TODAY)
    with django_assert_num_queries(0):
        again = dashboards.cached_summary(year=2026, today=TODAY)
    assert again == first == dashboards.summary(year=2026, today=TODAY)
    assert again.innovations == 1


def test_actions_new_cases_and_renamed_units_show_at_once(org):
    case = new_innovation(org)
    assert home(org.admin).summary.pipeline[0].count == 1
    act(org.operator, case, "submit")
    counts = {row.stage: row.count for row in home(org.admin).summary.pipeline}
    assert (counts[Stage.PROPOSAL], counts[Stage.PROPOSAL_GATE]) == (0, 1)
    new_innovation(org)
    assert home(org.observer).summary.innovations == 2
    idle = make_unit()
    assert idle.name in {u.name for u in home(org.admin).summary.units_without}
    idle.name = "Kecamatan Tanpa Inovasi"
    idle.save()
    assert "Kecamatan Tanpa Inovasi" in {u.name for u in home(org.admin).summary.units_without}


def test_a_mentor_sees_sessions_assignments_and_holidays_at_once():
    world = World()
    mentor = world.a.mentor
    lines = {line.code: line for line in home(mentor).mentor.units}
    assert lines[world.a.unit.code].last_session == dt.date(2026, 9, 8)
    assert [row.days_overdue for row in home(mentor).mentor.attention][:1] == [4]
    log_session(world.a, world.a2)  # dated 1 March, with a follow-up due 15 March
    lines = {line.code: line for line in home(mentor).mentor.units}
    assert lines[world.a.unit.code].next_follow_up_due == dt.date(2026, 3, 15)
    # A holiday inside the late days: one working day less overdue.
    Holiday.objects.create(date=dt.date(2026, 9, 14), name="Libur daerah")
    assert [row.days_overdue for row in home(mentor).mentor.attention][:1] == [3]
    other = make_unit()
    MentorAssignment.objects.create(unit=other, mentor=mentor, year=2026, is_lead=True)
    assert other.code in {line.code for line in home(mentor).mentor.units}


@time_machine.travel(dt.datetime(2026, 9, 16, 9, tzinfo=dt.UTC), tick=False)
def test_a_substitute_sees_the_absent_mentors_units_once_named(org):
    stand_in = Org().mentor
    assert org.unit.pk not in {line.unit_id for line in home(stand_in).mentor.units}
    Substitution.objects.create(
        kind=Substitution.Kind.MENTOR_LEAVE,
        unit=org.unit,
        year=2026,
        absent=org.mentor,
        substitute=stand_in,
        starts=TODAY,
        ends=TODAY,
    )
    # A fresh object: a person's powers are read once per user object (actor_for).
    again = User.objects.get(pk=stand_in.pk)
    assert org.unit.pk in {line.unit_id for line in home(again).mentor.units}


def test_each_language_keeps_its_own_labels(org):
    new_innovation(org)
    with translation.override("id"):
        indonesian = dashboards.cached_summary(year=2026, today=TODAY).pipeline[0].label
    with translation.override("en"):
        english = dashboards.cached_summary(year=2026, today=TODAY).pipeline[0].label
    assert indonesian != english


@pytest.mark.parametrize("model", freshness.INPUTS, ids=lambda model: model.__name__)
def test_every_input_moves_the_generation_on_save_and_delete(model, org):
    # Any row of the model will do: the receivers look at the sender alone.
    advance(org, new_innovation(org), Stage.PACKAGING)  # a session and its follow-up
    rows = {
        "Holiday": lambda: Holiday.objects.create(date=dt.date(2026, 12, 30), name="Libur"),
        "Substitution": lambda: Substitution.objects.create(
            kind=Substitution.Kind.PLT,
            unit=org.unit,
            absent=org.head,
            substitute=org.admin,
            starts=TODAY,
            ends=TODAY,
        ),
    }
    row = rows[model.__name__]() if model.__name__ in rows else model.objects.first()
    assert row is not None
    before = generations.current(freshness.DASHBOARDS)
    with transaction.atomic():
        row.save()
    saved = generations.current(freshness.DASHBOARDS)
    assert saved > before
    if model.__name__ in rows:
        row.delete()
        assert generations.current(freshness.DASHBOARDS) > saved


@time_machine.travel(dt.datetime(2026, 9, 16, 9, tzinfo=dt.UTC), tick=False)
def test_the_timers_recompute_the_summary_before_a_visit(org, django_assert_num_queries):
    new_innovation(org)
    call_command("warm_dashboards")
    for language in ("id", "en"):
        with translation.override(language), django_assert_num_queries(0):
            assert dashboards.cached_summary(year=2026).innovations == 1
    new_innovation(org)  # a change: the next read would recompute
    call_command("warm_dashboards")
    with django_assert_num_queries(0):
        assert dashboards.cached_summary(year=2026).innovations == 2


def test_the_reports_compliance_is_kept_for_those_who_see_everything_and_follows_changes(
    org, django_assert_num_queries
):
    case = new_innovation(org)
    figures = reports.compliance(user=org.observer, year=2026)
    actor_for(org.admin)  # the admin's roles, read once per request
    with django_assert_num_queries(0):
        assert reports.compliance(user=org.admin, year=2026) == figures
    line = next(u for u in figures.units if u.unit_id == org.unit.pk)
    assert (line.total, line.past_proposal, line.lead_mentor != "") == (1, 0, True)
    act(org.operator, case, "submit")
    act(org.head, case, "approve")
    new_innovation(org)
    line = next(
        u for u in reports.compliance(user=org.admin, year=2026).units if u.unit_id == org.unit.pk
    )
    assert (line.total, line.past_proposal) == (2, 1)
    # A head's own offices are counted for them, not read from the everyone-sees cache.
    assert [u.unit_id for u in reports.compliance(user=org.head, year=2026).units] == [org.unit.pk]
