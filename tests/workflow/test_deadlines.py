"""Deadlines: working-day due dates, stage visits, the scan's alerts and the list filters."""

import datetime as dt
import random
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from rest_framework.test import APIClient

from mentoring.models import Holder, Stage
from notifications.models import Notification
from tests.factories import Org, act, advance, new_innovation
from workflow import deadlines
from workflow.models import DeadlineAlert, Holiday, SlaPolicy, StageVisit
from workflow.scans import scan_deadlines

WITA = ZoneInfo("Asia/Makassar")
D = dt.date


def at(day: dt.date, hour: int = 9):
    """Travel to `day` at `hour` WITA with a frozen clock."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA), tick=False
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    deadlines.clear_cache()
    yield
    deadlines.clear_cache()


def open_visit(innovation) -> StageVisit:
    return StageVisit.objects.get(innovation=innovation, left_at__isnull=True)


# --- calendar ---------------------------------------------------------------------------------


def test_national_calendar_of_2026_as_the_holidays_package_has_it():
    national = deadlines.national_holidays(2026)
    # Nyepi (Thursday); Idul Fitri falls on Saturday/Sunday 21-22 March 2026 in the package.
    assert D(2026, 3, 19) in national
    assert {D(2026, 3, 21), D(2026, 3, 22)} <= national
    assert D(2026, 3, 20) not in national  # cuti bersama is not national: admins add it
    cal = deadlines.WorkingCalendar()
    assert not cal.is_working(D(2026, 3, 19))
    assert cal.is_working(D(2026, 3, 20))
    assert not cal.is_working(D(2026, 3, 21))  # Saturday
    # Wednesday + 1 skips Nyepi; Friday + 1 skips the weekend.
    assert cal.add(D(2026, 3, 18), 1) == D(2026, 3, 20)
    assert cal.add(D(2026, 3, 20), 1) == D(2026, 3, 23)
    assert cal.subtract(D(2026, 3, 23), 2) == D(2026, 3, 18)
    assert cal.count(D(2026, 3, 16), D(2026, 3, 22)) == 4  # Mon-Fri minus Nyepi


@pytest.mark.django_db
def test_admin_holidays_join_the_calendar():
    for day in (20, 23, 24):
        Holiday.objects.create(
            date=D(2026, 3, day), name="Cuti bersama Idul Fitri", kind=Holiday.Kind.CUTI_BERSAMA
        )
    Holiday.objects.create(date=D(2026, 3, 25), name="HUT Kukar", kind=Holiday.Kind.LOCAL)
    cal = deadlines.calendar()
    assert cal.add(D(2026, 3, 18), 1) == D(2026, 3, 26)
    Holiday.objects.filter(date=D(2026, 3, 25)).delete()  # saving/deleting drops the cache
    assert deadlines.calendar().add(D(2026, 3, 18), 1) == D(2026, 3, 25)


@pytest.mark.django_db
def test_seeded_policies():
    assert set(SlaPolicy.objects.values_list("year", flat=True)) >= {2025, 2026}
    policy = SlaPolicy.objects.get(year=2026)
    assert (policy.proposal, policy.proposal_gate, policy.mentoring) == (10, 3, 20)
    assert (policy.reminder_lead_days, policy.escalation_grace_days) == (2, 3)
    # A year without a policy still has a clock (the defaults), not an error.
    assert deadlines.policy_for(2031).days_for(Stage.PROPOSAL) == 10
    assert deadlines.policy_for(2031).days_for(Stage.DONE) is None


# --- stage visits -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_skips_weekends_national_and_local_holidays(org):
    Holiday.objects.create(date=D(2026, 3, 20), name="Cuti bersama", kind="cuti_bersama")
    with at(D(2026, 3, 13)):  # Friday; 10 working days of proposal start on Monday 16th
        innovation = new_innovation(org)
    visit = open_visit(innovation)
    # 16 17 18 (19 Nyepi) (20 cuti) 23 24 25 26 27 30 31
    assert visit.due_date == D(2026, 3, 31)
    assert (visit.stage, visit.holder, visit.sla_days) == (Stage.PROPOSAL, Holder.OPD, 10)
    assert visit.remind_on == D(2026, 3, 27)
    # 31 March + 3: 1, 2, (3 Good Friday), 6
    assert visit.escalate_on == D(2026, 4, 6)


@pytest.mark.django_db
def test_each_visit_has_its_own_clock_and_a_return_restarts_it(org):
    with at(D(2026, 3, 2)):
        innovation = new_innovation(org)
    with at(D(2026, 3, 4)):
        act(org.operator, innovation, "submit")
    gate = open_visit(innovation)
    # Waiting for the head counts against the gate: 3 working days from Wednesday.
    assert (gate.stage, gate.holder, gate.due_date) == (
        Stage.PROPOSAL_GATE,
        Holder.HEAD,
        D(2026, 3, 9),
    )
    with at(D(2026, 3, 5)):
        act(org.head, innovation, "return", comment="Lengkapi tujuan")
    back = open_visit(innovation)
    assert back.stage == Stage.PROPOSAL
    assert back.due_date == D(2026, 3, 20)  # 10 days from Thursday 5th, Nyepi skipped
    history = list(StageVisit.objects.filter(innovation=innovation).order_by("id"))
    assert [v.stage for v in history] == [Stage.PROPOSAL, Stage.PROPOSAL_GATE, Stage.PROPOSAL]
    assert [v.due_date for v in history] == [D(2026, 3, 16), D(2026, 3, 9), D(2026, 3, 20)]
    assert all(v.left_at is not None for v in history[:2]) and history[2].left_at is None
    assert history[0].left_at.astimezone(WITA).date() == D(2026, 3, 4)


@pytest.mark.django_db
def test_ended_cases_have_no_open_clock(org):
    innovation = new_innovation(org)
    act(org.admin, innovation, "reject", comment="Tidak relevan")
    assert not StageVisit.objects.filter(innovation=innovation, left_at__isnull=True).exists()
    assert StageVisit.objects.filter(innovation=innovation).count() == 1


@pytest.mark.django_db
def test_a_policy_change_applies_to_new_visits_only(org):
    with at(D(2026, 3, 2)):
        innovation = new_innovation(org)
        act(org.operator, innovation, "submit")
    first_gate = open_visit(innovation)
    assert first_gate.due_date == D(2026, 3, 5)
    policy = SlaPolicy.objects.get(year=2026)
    policy.proposal_gate = 7
    policy.save()
    first_gate.refresh_from_db()
    assert first_gate.due_date == D(2026, 3, 5)  # history is not rewritten
    with at(D(2026, 3, 3)):
        act(org.head, innovation, "return", comment="Perbaiki")
        act(org.operator, innovation, "submit")
    assert open_visit(innovation).due_date == D(2026, 3, 12)  # 7 days from Tuesday


# --- the scan ---------------------------------------------------------------------------------


def kinds_by_recipient(innovation) -> dict[str, set[int]]:
    rows = {}
    for kind, user_id in Notification.objects.filter(
        innovation=innovation, kind__in=DeadlineAlert.Kind.values
    ).values_list("kind", "recipient_id"):
        rows.setdefault(kind, set()).add(user_id)
    return rows


@pytest.mark.django_db
def test_reminder_overdue_and_escalation_fire_on_their_days_once_each(org):
    with at(D(2026, 3, 2)):  # Monday: proposal due Monday 16th, overdue from Tuesday 17th
        innovation = new_innovation(org)
    visit = open_visit(innovation)
    assert (visit.remind_on, visit.due_date, visit.escalate_on) == (
        D(2026, 3, 12),
        D(2026, 3, 16),
        D(2026, 3, 20),  # 17, 18, (19 Nyepi), 20
    )
    expected = {
        D(2026, 3, 11): (0, 0, 0),
        D(2026, 3, 12): (1, 0, 0),
        D(2026, 3, 13): (0, 0, 0),
        D(2026, 3, 16): (0, 0, 0),  # the due date: the last day to act, not overdue yet
        D(2026, 3, 17): (0, 1, 0),
        D(2026, 3, 19): (0, 0, 0),
        D(2026, 3, 20): (0, 0, 1),
        D(2026, 3, 23): (0, 0, 0),
    }
    for day, counts in expected.items():
        for run in range(2):  # the second run of the day sends nothing
            result = scan_deadlines(today=day)
            got = tuple(result.counts[k] for k in DeadlineAlert.Kind.values)
            assert got == (counts if run == 0 else (0, 0, 0)), (day, run)
    assert kinds_by_recipient(innovation) == {
        "due_soon": {org.head.pk, org.operator.pk},
        "overdue": {org.head.pk, org.operator.pk},
        "escalated": {org.admin.pk},
    }
    assert (
        Notification.objects.filter(innovation=innovation)
        .filter(kind__in=DeadlineAlert.Kind.values)
        .count()
        == 5
    )
    assert DeadlineAlert.objects.filter(visit=visit).count() == 3
    visit.refresh_from_db()
    assert (visit.alerts_sent, visit.next_alert_on) == (3, None)


@pytest.mark.django_db
def test_a_late_scan_sends_the_overdue_alert_without_the_stale_reminder(org):
    with at(D(2026, 3, 2)):
        innovation = new_innovation(org)
    result = scan_deadlines(today=D(2026, 3, 17))
    assert result.counts == {"due_soon": 0, "overdue": 1, "escalated": 0}
    assert set(kinds_by_recipient(innovation)) == {"overdue"}
    # The escalation still comes on its own day.
    assert scan_deadlines(today=D(2026, 3, 20)).counts["escalated"] == 1


@pytest.mark.django_db
def test_a_move_before_the_due_date_stops_the_old_clock(org):
    with at(D(2026, 3, 2)):
        innovation = new_innovation(org)
    with at(D(2026, 3, 13)):
        act(org.operator, innovation, "submit")  # gate due 18th, reminder 16th
    assert scan_deadlines(today=D(2026, 3, 16)).counts == {
        "due_soon": 1,
        "overdue": 0,
        "escalated": 0,
    }
    # Only the gate's holder (the head) hears about the gate.
    assert kinds_by_recipient(innovation) == {"due_soon": {org.head.pk}}


@pytest.mark.django_db
def test_holders_of_the_mentoring_and_verification_stages(org):
    from mentoring.models import MentorAssignment
    from tests.factories import make_user

    co_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    other_verifier = make_user(None, "verifier")
    with at(D(2026, 3, 2)):
        mentoring = advance(org, new_innovation(org), Stage.MENTORING)
        verification = advance(org, new_innovation(org), Stage.VERIFICATION)
    scan_deadlines(today=D(2026, 12, 31))
    assert kinds_by_recipient(mentoring)["overdue"] == {org.mentor.pk, co_mentor.pk, org.head.pk}
    assert kinds_by_recipient(verification)["overdue"] == {
        org.verifier.pk,
        other_verifier.pk,
        org.head.pk,
    }
    assert kinds_by_recipient(verification)["escalated"] == {org.admin.pk}


@pytest.mark.django_db
def test_command_prints_a_summary(org, capsys):
    with at(D(2026, 3, 2)):
        new_innovation(org)
        new_innovation(org)
    with at(D(2026, 3, 17)):
        call_command("scan_deadlines")
    assert capsys.readouterr().out.strip() == "scan_deadlines: 0 due soon, 2 overdue, 0 escalated"
    call_command("scan_deadlines", "--date", "2026-03-20")
    assert capsys.readouterr().out.strip() == "scan_deadlines: 0 due soon, 0 overdue, 2 escalated"
    with pytest.raises(Exception, match="not a date"):
        call_command("scan_deadlines", "--date", "20-03-2026")


@pytest.mark.django_db
def test_scan_reads_in_batches_with_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    with at(D(2026, 3, 2)):
        for _ in range(12):
            new_innovation(org)
    with django_assert_max_num_queries(40):
        result = scan_deadlines(today=D(2026, 3, 17), batch_size=5)
    assert result.counts["overdue"] == 12


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
# serialized_rollback: the flush after a transactional test would drop the seeded policies.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_scans_at_once_send_nothing_twice():
    org = Org()
    with at(D(2026, 3, 2)):
        innovations = [new_innovation(org) for _ in range(30)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(scan_deadlines(today=D(2026, 3, 17), batch_size=4))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.counts["overdue"] for r in results) == 30
    assert DeadlineAlert.objects.filter(kind="overdue").count() == 30
    # head + operator per case, each once
    assert Notification.objects.filter(kind="overdue").count() == 60
    assert (
        Notification.objects.filter(kind="overdue", innovation__in=innovations)
        .values("recipient", "innovation")
        .distinct()
        .count()
        == 60
    )


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_filters_and_shows_deadlines(org):
    with at(D(2026, 3, 2)):
        late = new_innovation(org)
    with at(D(2026, 3, 12)):
        on_time = new_innovation(org)
    client = APIClient()
    client.force_authenticate(org.mentor)
    with at(D(2026, 3, 18)):
        rows = client.get("/api/v1/innovations/", {"overdue": "true"}).data["results"]
        assert [r["id"] for r in rows] == [late.pk]
        assert rows[0]["due_date"] == "2026-03-16"
        assert rows[0]["days_overdue"] == 2  # 17, 18: the 16th was the last day to act
        assert rows[0]["holder"] == "opd"
        rows = client.get("/api/v1/innovations/", {"overdue": "false"}).data["results"]
        assert [r["id"] for r in rows] == [on_time.pk]
        assert rows[0]["days_overdue"] == 0
        rows = client.get("/api/v1/innovations/", {"due_before": "2026-03-27"}).data["results"]
        assert [r["id"] for r in rows] == [late.pk]
        rows = client.get("/api/v1/innovations/", {"due_before": "2026-03-28"}).data["results"]
        assert {r["id"] for r in rows} == {late.pk, on_time.pk}
        bad = client.get("/api/v1/innovations/", {"due_before": "27/03/2026"})
        assert bad.status_code == 400 and "due_before" in bad.data["errors"]
        bad = client.get("/api/v1/innovations/", {"overdue": "mungkin"})
        assert bad.status_code == 400 and "overdue" in bad.data["errors"]
        detail = client.get(f"/api/v1/innovations/{late.pk}/").data
        assert (detail["due_date"], detail["days_overdue"]) == ("2026-03-16", 2)


@pytest.mark.django_db
def test_list_page_filters_and_names_bad_input(org, client):
    with at(D(2026, 3, 2)):
        late = new_innovation(org, name="Inovasi Terlambat")
    with at(D(2026, 3, 12)):
        new_innovation(org, name="Inovasi Tepat Waktu")
    client.force_login(org.head)
    with at(D(2026, 3, 18)):
        page = client.get("/innovations/", {"overdue": "true"}).content.decode()
        assert late.name in page and "Inovasi Tepat Waktu" not in page
        assert "lewat 2 hari kerja" in page
        page = client.get("/innovations/", {"due_before": "kemarin"})
        assert page.status_code == 200
        assert "TTTT-BB-HH" in page.content.decode()


def test_working_day_counts_equal_counting_day_by_day():
    cal = deadlines.WorkingCalendar([D(2026, 3, 23)])
    rng = random.Random(5)
    for _ in range(400):
        start = D(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        end = start + dt.timedelta(days=rng.randint(0, 120))
        by_day = sum(
            cal.is_working(start + dt.timedelta(days=n)) for n in range((end - start).days + 1)
        )
        assert cal.count(start, end) == by_day
        # Overdue days are the working days after the due date: never the due date itself.
        assert cal.days_overdue(start, end) == by_day - cal.is_working(start)
        assert cal.days_overdue(end, end) == 0
        assert cal.days_overdue(end + dt.timedelta(days=1), end) == 0


@pytest.mark.django_db
def test_stage_clocks_follow_the_national_close_while_the_window_is_open():
    from mentoring.models import Milestone
    from workflow.models import StageCutoff

    close = D(2026, 8, 21)  # a Friday
    Milestone.objects.create(
        year=2026, kind=Milestone.Kind.REPORTING, starts=D(2026, 6, 19), ends=close
    )
    deadlines.clear_cache()
    cal = deadlines.calendar()
    wita = ZoneInfo("Asia/Makassar")

    def visit(stage: str, day: dt.date):
        at = dt.datetime(day.year, day.month, day.day, 9, tzinfo=wita)
        return deadlines.new_visit(innovation_id=1, year=2026, stage=stage, at=at)

    # Packaging has 15 working days, but must be left 18 working days before the close.
    entered = D(2026, 7, 20)
    last_day = cal.subtract(close, 18)
    found = visit(Stage.PACKAGING, entered)
    assert found.national and found.due_date == last_day
    assert found.due_date < cal.add(entered, 15)
    # Early in the year the stage's own days come first.
    early = visit(Stage.PACKAGING, D(2026, 3, 2))
    assert not early.national and early.due_date == cal.add(D(2026, 3, 2), 15)
    # Entered after the internal deadline, before the close: overdue at once.
    late = visit(Stage.PACKAGING, D(2026, 8, 10))
    assert late.national and late.due_date <= D(2026, 8, 11)
    # After the close the national deadline no longer applies.
    after = visit(Stage.PACKAGING, D(2026, 9, 1))
    assert not after.national and after.due_date == cal.add(D(2026, 9, 1), 15)
    # A stage without a cutoff (the proposal) keeps its own days.
    assert not visit(Stage.PROPOSAL, entered).national
    # The admins' rows change the defaults: 25 days instead of 18, or no cutoff at all.
    StageCutoff.objects.create(year=2026, stage=Stage.PACKAGING, days_before_close=25)
    assert visit(Stage.PACKAGING, entered).due_date == cal.subtract(close, 25)
    StageCutoff.objects.filter(year=2026, stage=Stage.PACKAGING).update(days_before_close=None)
    deadlines.clear_cache()
    assert not visit(Stage.PACKAGING, entered).national
