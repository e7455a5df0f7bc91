"""Due dates as people read them (issue 12): the due date is the last working day to act.

On its due date a case is "due today", 0 working days overdue; it is overdue from the next
working day. Every reader agrees: the API and its filters, the list page, the dashboards, the
scan's alerts and their texts, the weekly digest, and the migration of existing visits.
"""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from dashboards import selectors as dashboards
from mentoring.models import Milestone, Stage
from notifications.models import Notification
from tests.factories import new_innovation
from workflow import deadlines
from workflow.models import DeadlineAlert, StageVisit
from workflow.scans import scan_deadlines

WITA = ZoneInfo("Asia/Makassar")
D = dt.date
# Entered Friday 27 Feb 2026: the proposal's 10 working days are 2-6 and 9-13 March, so its
# due date is Friday 13 March; the next working day is Monday 16 March.
ENTERED, DUE, SATURDAY, NEXT = D(2026, 2, 27), D(2026, 3, 13), D(2026, 3, 14), D(2026, 3, 16)


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA), tick=False
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    deadlines.clear_cache()
    yield
    deadlines.clear_cache()


@pytest.fixture
def case(org):
    with at(ENTERED):
        innovation = new_innovation(org, name="Inovasi Jatuh Tempo")
    visit = StageVisit.objects.get(innovation=innovation, left_at__isnull=True)
    assert (visit.due_date, DUE.weekday()) == (DUE, 4)  # the 10th working day, a Friday
    return innovation


def test_the_calendar_counts_overdue_days_after_the_due_date():
    cal = deadlines.WorkingCalendar()
    assert [cal.days_overdue(DUE, day) for day in (DUE, SATURDAY, NEXT)] == [0, 0, 1]
    assert cal.overdue_from(DUE) == NEXT
    # Due dates before the cutoff are overdue: on the weekend the Friday itself is not.
    assert (cal.overdue_cutoff(SATURDAY), cal.overdue_cutoff(NEXT)) == (DUE, NEXT)


@pytest.mark.django_db
def test_api_on_the_due_date_the_weekend_and_the_next_working_day(org, case):
    client = APIClient()
    client.force_authenticate(org.mentor)

    def seen(day: dt.date) -> tuple:
        with at(day):
            detail = client.get(f"/api/v1/innovations/{case.pk}/").data
            late = client.get("/api/v1/innovations/", {"overdue": "true"}).data["results"]
            on_time = client.get("/api/v1/innovations/", {"overdue": "false"}).data["results"]
        return (
            detail["due_date"],
            detail["days_overdue"],
            [r["id"] for r in late],
            [r["id"] for r in on_time],
        )

    assert seen(DUE) == ("2026-03-13", 0, [], [case.pk])  # due today
    assert seen(SATURDAY) == ("2026-03-13", 0, [], [case.pk])  # no working day after it yet
    assert seen(NEXT) == ("2026-03-13", 1, [case.pk], [])


@pytest.mark.django_db
def test_due_before_compares_with_the_last_day(org, case):
    client = APIClient()
    client.force_authenticate(org.mentor)
    with at(DUE):
        ids = {
            day: [
                r["id"]
                for r in client.get("/api/v1/innovations/", {"due_before": day}).data["results"]
            ]
            for day in ("2026-03-13", "2026-03-14")
        }
    assert ids == {"2026-03-13": [], "2026-03-14": [case.pk]}


@pytest.mark.django_db
def test_list_page_shows_lateness_from_the_next_working_day(org, case, client):
    client.force_login(org.head)
    with at(DUE):
        page = client.get("/innovations/").content.decode()
        assert case.name in page and "lewat 1 hari kerja" not in page
        assert case.name not in client.get("/innovations/", {"overdue": "true"}).content.decode()
    with at(NEXT):
        assert "lewat 1 hari kerja" in client.get("/innovations/").content.decode()


@pytest.mark.django_db
def test_dashboards_call_it_due_soon_on_the_due_date_and_overdue_after(org, case):
    on_due = dashboards.summary(year=org.year, today=DUE)
    assert on_due.overdue_count == 0 and on_due.overdue == ()
    (row,) = dashboards.mentor_dashboard(user=org.mentor, year=org.year, today=DUE).attention
    assert (row.pk, row.days_overdue, row.due_soon) == (case.pk, 0, True)
    figures = dashboards.unit_figures(year=org.year, today=DUE)[org.unit.pk]
    assert (figures["overdue"], figures["due_soon"]) == (0, 1)

    after = dashboards.summary(year=org.year, today=NEXT)
    assert after.overdue_count == 1 and after.overdue[0].days_overdue == 1
    assert {m.mentor_id: m.overdue for m in after.mentors}[org.mentor.pk] == 1
    figures = dashboards.unit_figures(year=org.year, today=NEXT)[org.unit.pk]
    assert (figures["overdue"], figures["due_soon"]) == (1, 0)


@pytest.mark.django_db
def test_a_visit_left_on_its_due_date_was_on_time(org, case):
    StageVisit.objects.filter(innovation=case).update(
        left_at=dt.datetime(2026, 3, 13, 16, tzinfo=WITA)
    )
    (row,) = dashboards.visit_rows(innovation=case, today=NEXT)
    assert (row.due_date, row.days_late) == (DUE, 0)


@pytest.mark.django_db
def test_the_overdue_alert_comes_the_next_working_day_and_says_which_date_passed(org, case):
    counts = {
        day: scan_deadlines(today=day).counts[DeadlineAlert.Kind.OVERDUE]
        for day in (DUE, SATURDAY, NEXT)
    }
    assert counts == {DUE: 0, SATURDAY: 0, NEXT: 1}
    bodies = set(
        Notification.objects.filter(innovation=case, kind="overdue").values_list("body", flat=True)
    )
    assert bodies == {"Tenggat tahap Usulan, 13 Maret 2026, sudah lewat."}
    # Escalation: 3 working days after the due date (16, 17, 18 March).
    assert scan_deadlines(today=D(2026, 3, 17)).counts[DeadlineAlert.Kind.ESCALATED] == 0
    assert scan_deadlines(today=D(2026, 3, 18)).counts[DeadlineAlert.Kind.ESCALATED] == 1
    body = Notification.objects.filter(innovation=case, kind="escalated").values_list(
        "body", flat=True
    )[0]
    assert body == "Tenggat tahap Usulan, 13 Maret 2026, sudah lewat dan masa tenggang sudah habis."


@pytest.mark.django_db
def test_the_weekly_digest_on_the_due_date_says_it_is_the_last_day(org, case, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    org.mentor.email = "mentor@example.test"
    org.mentor.save(update_fields=["email"])
    mail.outbox.clear()
    with at(DUE, hour=7):  # a digest sent late in the week counts as of its day
        call_command("send_deadline_digests")
    (message,) = [m for m in mail.outbox if m.to == ["mentor@example.test"]]
    assert "0 lewat tenggat, 1 segera" in message.subject
    assert "hari ini hari terakhir" in message.body


@pytest.mark.django_db
def test_national_cutoff_due_date_is_the_last_day_to_leave_the_stage():
    close = D(2026, 8, 21)  # a Friday
    Milestone.objects.create(
        year=2026, kind=Milestone.Kind.REPORTING, starts=D(2026, 6, 19), ends=close
    )
    deadlines.clear_cache()
    cal = deadlines.calendar()
    visit = deadlines.new_visit(
        innovation_id=1,
        year=2026,
        stage=Stage.PACKAGING,
        at=dt.datetime(2026, 7, 20, 9, tzinfo=WITA),
    )
    # Packaging must be left 18 working days before the close: that day is the due date.
    assert visit.national and visit.due_date == cal.subtract(close, 18)


@pytest.mark.django_db
def test_migration_moves_national_due_dates_and_pending_overdue_alerts_and_back(org):
    migration = importlib.import_module("workflow.migrations.0009_due_date_is_last_day")
    with at(D(2026, 3, 2)):
        sla_case, national_case, reminded_case = (new_innovation(org) for _ in range(3))
    # Old meaning: the due date was the first day overdue (Monday 16 March for all three).
    StageVisit.objects.filter(innovation=national_case).update(national=True)
    StageVisit.objects.filter(innovation=reminded_case).update(
        alerts_sent=1, next_alert_on=D(2026, 3, 16)
    )

    def state():
        return {
            v.innovation_id: (v.due_date, v.next_alert_on)
            for v in StageVisit.objects.filter(left_at__isnull=True)
        }

    before = state()
    assert before[reminded_case.pk] == (D(2026, 3, 16), D(2026, 3, 16))
    migration.forwards(apps, None)
    after = state()
    assert after[sla_case.pk] == before[sla_case.pk]  # already the 10th working day
    # The national cutoff's last day is the working day before; its alerts keep their days.
    assert after[national_case.pk] == (D(2026, 3, 13), before[national_case.pk][1])
    # Reminder sent: the overdue alert now comes the working day after the due date.
    assert after[reminded_case.pk] == (D(2026, 3, 16), D(2026, 3, 17))
    migration.backwards(apps, None)
    assert state() == before
