"""The weekly deadline digest: one e-mail per head and mentor per ISO week, scoped, preferences
respected, retried through the delivery machinery, and cheap to schedule."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import MentorAssignment
from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, EmailMode, Kind
from notifications.weekly import parse_week, schedule_weekly_digests
from tests.factories import Org, make_user, new_innovation
from workflow import deadlines
from workflow.models import StageVisit

from .test_delivery import FlakyBackend

WITA = ZoneInfo("Asia/Makassar")
D = dt.date
MONDAY = D(2026, 3, 2)  # ISO week 2026-W10
SITE = "https://pandu.example"


def at(day: dt.date, hour: int = 7):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA), tick=False
    )


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = SITE
    settings.NOTIFICATIONS_WEBHOOK_URL = ""


def case(org: Org, due: dt.date, **fields):
    """An open case of `org` whose current visit is due on `due`."""
    innovation = new_innovation(org, **fields)
    StageVisit.objects.filter(innovation=innovation, left_at__isnull=True).update(due_date=due)
    return innovation


def with_email(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])


def run(week: str | None = None) -> str:
    out = io.StringIO()
    args = ["--week", week] if week else []
    call_command("send_deadline_digests", *args, stdout=out)
    return out.getvalue()


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def listed(user) -> set[int]:
    digest = Delivery.objects.get(recipient=user, channel=Channel.WEEKLY)
    return {row["id"] for row in digest.content["cases"]}


@pytest.fixture
def world(db):
    """Two units. Unit A: overdue, due-soon, far-off and last year's overdue case; unit B: one
    overdue case. Mentor A mentors A in 2026 only; an old mentor had A in 2025."""
    a, b = Org(), Org()
    old_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=a.unit, mentor=old_mentor, year=2025, is_lead=True)
    cases = {
        "a_overdue": case(a, D(2026, 2, 25), name="Sistem Antrean Puskesmas"),
        "a_soon": case(a, D(2026, 3, 5), name="Layanan Jemput Bola KTP"),
        "a_far": case(a, D(2026, 4, 20), name="Pojok Baca Desa"),
        "a_2025": case(a, D(2026, 2, 2), name="Aplikasi Lama 2025", year=2025),
        "b_overdue": case(b, D(2026, 2, 27), name="Bank Sampah Digital"),
    }
    with_email(a.head, a.mentor, a.operator, b.head, b.mentor, old_mentor, a.admin, a.verifier)
    mail.outbox.clear()
    return a, b, old_mentor, cases


def test_head_and_mentor_get_one_digest_each_with_the_cases_of_their_scope(world):
    a, b, old_mentor, c = world
    with at(MONDAY):
        out = run()
    assert "2026-W10" in out and "5 queued" in out

    ids = {name: innovation.pk for name, innovation in c.items()}
    assert listed(a.head) == {ids["a_overdue"], ids["a_soon"], ids["a_2025"]}
    assert listed(a.mentor) == {ids["a_overdue"], ids["a_soon"]}  # 2026 only
    assert listed(old_mentor) == {ids["a_2025"]}
    assert listed(b.head) == listed(b.mentor) == {ids["b_overdue"]}
    # Operators, admins and verifiers are not in the digest's audience.
    assert not Delivery.objects.filter(recipient__in=[a.operator, a.admin, a.verifier]).exists()

    for user in (a.head, a.mentor, old_mentor, b.head, b.mentor):
        assert len(mails_to(user)) == 1, user
        digest = Delivery.objects.get(recipient=user, channel=Channel.WEEKLY)
        assert digest.digest_date == MONDAY
        assert digest.status == DeliveryStatus.SENT
        assert list(digest.attempt_log.values_list("number", "ok")) == [(1, True)]
    assert len(mail.outbox) == 5


def test_the_mail_names_the_cases_with_stage_holder_due_date_and_link(world):
    a, _b, _old, c = world
    with at(MONDAY):
        run()
    (message,) = mails_to(a.mentor)
    body = message.body
    assert "2026-W10" in message.subject
    assert "1 lewat tenggat" in message.subject and "1 segera" in message.subject
    overdue, soon = c["a_overdue"], c["a_soon"]
    assert overdue.name in body and soon.name in body
    assert c["a_far"].name not in body  # due in April: neither overdue nor soon
    assert c["b_overdue"].name not in body  # another unit
    assert c["a_2025"].name not in body  # another year's mentor
    # Overdue section first, then due soon; stage, holder, due date, working days overdue.
    assert body.index("Lewat tenggat (1)") < body.index(overdue.name)
    assert body.index(overdue.name) < body.index("Segera jatuh tempo (1)") < body.index(soon.name)
    # Due Wednesday 25th (the last day to act): overdue Thu, Fri, Mon.
    late = deadlines.calendar().count(D(2026, 2, 26), MONDAY)
    assert late == 3
    assert "Tenggat: 25 Februari 2026" in body and "lewat 3 hari kerja" in body
    assert "Tahap: Usulan" in body and "Menunggu: OPD" in body
    assert "Tenggat: 5 Maret 2026" in body
    assert f"{SITE}/innovations/{overdue.pk}/" in body
    assert f"{SITE}/innovations/{soon.pk}/" in body
    assert f"{SITE}/notifications/preferences/" in body


def test_a_second_run_in_the_same_week_sends_nothing_the_next_week_sends_again(world):
    a, *_ = world
    with at(MONDAY):
        run()
    assert len(mail.outbox) == 5
    with at(MONDAY, 15):
        assert "0 queued" in run()
    with at(MONDAY + dt.timedelta(days=2)):  # Wednesday, same ISO week
        assert "0 queued" in run("2026-W10")
        assert schedule_weekly_digests()["digests"] == 0
    assert len(mail.outbox) == 5
    assert Delivery.objects.filter(channel=Channel.WEEKLY).count() == 5

    with at(MONDAY + dt.timedelta(days=7)):
        run()
    assert len(mails_to(a.head)) == 2
    assert set(
        Delivery.objects.filter(recipient=a.head, channel=Channel.WEEKLY).values_list(
            "digest_date", flat=True
        )
    ) == {MONDAY, MONDAY + dt.timedelta(days=7)}


def test_preference_off_stops_the_digest(world):
    a, *_ = world
    services.set_preferences(user=a.head, changes={Kind.WEEKLY_DIGEST: EmailMode.OFF})
    with at(MONDAY):
        out = run()
    assert "1 opted out" in out
    assert mails_to(a.head) == []
    assert not Delivery.objects.filter(recipient=a.head).exists()
    assert len(mails_to(a.mentor)) == 1  # the same cases, someone who did not opt out
    # Turned on again: the next week's digest comes.
    services.set_preferences(user=a.head, changes={Kind.WEEKLY_DIGEST: EmailMode.IMMEDIATE})
    with at(MONDAY + dt.timedelta(days=7)):
        run()
    assert len(mails_to(a.head)) == 1


def test_someone_without_an_address_is_skipped(world):
    a, *_ = world
    a.mentor.email = ""
    a.mentor.save(update_fields=["email"])
    with at(MONDAY):
        out = run()
    assert "1 without e-mail" in out
    digest = Delivery.objects.get(recipient=a.mentor, channel=Channel.WEEKLY)
    assert digest.status == DeliveryStatus.SKIPPED
    assert not digest.attempt_log.exists()
    assert len(mail.outbox) == 4
    with at(MONDAY, 15):
        run()
    assert Delivery.objects.filter(recipient=a.mentor).count() == 1  # not re-tried each run


def test_nobody_gets_an_empty_digest(db):
    org = Org()
    case(org, D(2026, 4, 20))  # far off
    with_email(org.head, org.mentor)
    mail.outbox.clear()
    with at(MONDAY):
        out = run()
    assert "0 queued" in out and "0 cases" in out
    assert mail.outbox == []
    assert not Delivery.objects.filter(channel=Channel.WEEKLY).exists()


def test_a_closed_visit_is_not_listed(world):
    a, _b, _old, c = world
    StageVisit.objects.filter(innovation=c["a_soon"]).update(
        left_at=dt.datetime(2026, 3, 1, tzinfo=WITA)
    )
    with at(MONDAY):
        run()
    assert c["a_soon"].pk not in listed(a.mentor)


def test_smtp_failure_is_retried_and_every_attempt_recorded(world, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 2
    a, *_ = world
    with at(MONDAY):
        run()
    rows = Delivery.objects.filter(channel=Channel.WEEKLY)
    assert all(row.status == DeliveryStatus.SENT for row in rows)
    first = rows.order_by("recipient_id").first()
    attempts = list(first.attempt_log.values_list("number", "ok"))
    assert attempts == [(1, False), (2, False), (3, True)]
    assert len(mail.outbox) == 5


def test_an_explicit_week_and_a_bad_one():
    assert parse_week("2026-W10") == MONDAY
    assert parse_week("2026-W01") == D(2025, 12, 29)
    for bad in ("2026-10", "2026-W54", "W10", "2026-W1"):
        with pytest.raises(CommandError, match="--week"):
            call_command("send_deadline_digests", "--week", bad, stdout=io.StringIO())


def test_a_future_week_is_counted_from_its_monday(world):
    a, _b, _old, c = world
    with at(MONDAY - dt.timedelta(days=7)):  # run the week ahead of time
        run("2026-W10")
    digest = Delivery.objects.get(recipient=a.mentor, channel=Channel.WEEKLY)
    assert digest.digest_date == MONDAY and digest.content["as_of"] == "2026-03-02"


def test_scheduling_costs_the_same_queries_for_one_unit_or_many(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    small = Org()
    case(small, D(2026, 2, 25))
    with_email(small.head, small.mentor)
    deadlines.calendar()  # the calendar is cached for a minute in production too
    with at(MONDAY), CaptureQueriesContext(connection) as one:
        assert schedule_weekly_digests()["digests"] == 2
    for _ in range(4):
        org = Org()
        case(org, D(2026, 2, 25))
        case(org, D(2026, 3, 4))
        with_email(org.head, org.mentor)
    with at(MONDAY + dt.timedelta(days=7)), CaptureQueriesContext(connection) as many:
        assert schedule_weekly_digests()["digests"] == 10
    # Visits, heads, mentors, substitutes in force (Plt./Plh., mentors' substitutes), done,
    # opt-outs, addresses, one INSERT, the new rows' ids (one unit reads its heads and mentors
    # in one statement).
    assert len(one) <= len(many) == 9, [q["sql"][:80] for q in many.captured_queries]
