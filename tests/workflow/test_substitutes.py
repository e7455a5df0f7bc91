"""Substitutes at work: a Plt./Plh. acts as the unit's head, and a named mentor as the mentor on
leave, only within their dates (WITA, both inclusive) and only for that unit; notifications and
overdue alerts reach them (the absent person: inbox only, no e-mail); history shows "a.n."."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from core.errors import ActionForbidden
from mentoring import substitutions
from mentoring.models import Holder, MentorAssignment, Stage, Substitution
from mentoring.people import actor_for
from notifications.delivery import schedule_digests
from notifications.models import Channel, Delivery, Kind, Notification
from tests.api.conftest import bearer
from tests.factories import Org, act, advance, make_user, new_innovation
from workflow import policy, selectors
from workflow import services as workflow_services
from workflow.models import CaseEvent, StageVisit
from workflow.scans import scan_deadlines

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
D = dt.date
STARTS, ENDS = D(2026, 3, 10), D(2026, 3, 12)  # Tuesday to Thursday


def on(day: dt.date, hour: int = 9):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA), tick=False
    )


def fresh(user: User) -> User:
    """The user as a new request loads it (the actor snapshot is kept per user object)."""
    return User.objects.get(pk=user.pk)


def named_plt(org: Org, substitute: User) -> Substitution:
    with on(STARTS - dt.timedelta(days=3)):
        return substitutions.name_substitute(
            named_by=org.admin,
            kind=Substitution.Kind.PLT,
            unit=org.unit,
            substitute=substitute,
            starts=STARTS,
            ends=ENDS,
        )


def at_gate(org: Org):
    with on(STARTS - dt.timedelta(days=5)):
        return advance(org, new_innovation(org), Stage.PROPOSAL_GATE)


def test_plt_acts_as_head_only_within_the_range_and_only_for_that_unit():
    org, other = Org(), Org()
    plt = make_user(None)  # an official from elsewhere: no role group of their own
    plt.first_name, plt.last_name = "Budi", "Santoso"
    plt.save()
    org.head.first_name, org.head.last_name = "Siti", "Aminah"
    org.head.save()
    named_plt(org, plt)
    cases = [at_gate(org) for _ in range(3)]
    elsewhere = at_gate(other)

    for day in (STARTS - dt.timedelta(days=1), ENDS + dt.timedelta(days=1)):
        with on(day, hour=23 if day < STARTS else 0):
            actor = actor_for(fresh(plt))
            assert not policy.can_view(actor, cases[0]), day
            assert policy.allowed_actions(actor, cases[0]) == []
            assert selectors.waiting_for(user=fresh(plt)).cases == []
            assert not selectors.visible_innovations(user=fresh(plt)).exists()
            with pytest.raises(ActionForbidden):
                act(fresh(plt), cases[0], "approve")

    for n, day in enumerate((STARTS, ENDS)):
        with on(day, hour=0 if day == STARTS else 23):
            actor = actor_for(fresh(plt))
            assert policy.can_view(actor, cases[n])
            assert set(policy.allowed_actions(actor, cases[n])) == {"approve", "return", "withdraw"}
            assert policy.editable_fields(actor, cases[n]) == frozenset()  # a gate: none
            assert {c.pk for c in selectors.waiting_for(user=fresh(plt)).cases} >= {cases[n].pk}
            assert set(selectors.visible_innovations(user=fresh(plt))) == set(cases)
            assert not policy.can_view(actor, elsewhere)
            with pytest.raises(ActionForbidden):
                act(fresh(plt), elsewhere, "approve")
            moved = act(fresh(plt), cases[n], "approve")
            assert moved.stage == Stage.MENTORING
            event = CaseEvent.objects.filter(innovation=moved).latest("id")
            assert (event.actor, event.on_behalf_of) == (plt, org.head)
            assert event.actor_label == "Budi Santoso a.n. Siti Aminah"

    with on(STARTS + dt.timedelta(days=1)):
        # The absent head keeps their own rights: acting in their own right, no "a.n.".
        act(fresh(org.head), cases[2], "return", comment="Lengkapi latar belakang")
        event = CaseEvent.objects.filter(innovation=cases[2]).latest("id")
        assert (event.actor, event.on_behalf_of) == (org.head, None)


def test_ending_early_takes_the_powers_away_at_once():
    org = Org()
    plt = make_user(None)
    made = named_plt(org, plt)
    case = at_gate(org)
    with on(STARTS):
        assert policy.can_view(actor_for(fresh(plt)), case)
        substitutions.end_substitution(user=org.head, substitution_id=made.pk)
        assert not policy.can_view(actor_for(fresh(plt)), case)
        with pytest.raises(ActionForbidden):
            act(fresh(plt), case, "approve")


def test_a_plt_submits_and_withdraws_for_the_office_on_behalf_of_the_head():
    org = Org()
    plt = make_user(None)
    named_plt(org, plt)
    with on(STARTS):
        case = new_innovation(org)
        assert set(policy.editable_fields(actor_for(fresh(plt)), case))  # the proposal's fields
        act(fresh(plt), case, "submit")
        act(fresh(plt), case, "withdraw", comment="Diganti usulan lain")
    events = CaseEvent.objects.filter(innovation=case).order_by("id")
    assert [(e.action, e.on_behalf_of_id) for e in events] == [
        ("create", None),
        ("submit", org.head.pk),
        ("withdraw", org.head.pk),
    ]


def test_notifications_for_the_head_go_to_the_plt_and_the_head_keeps_them_in_the_inbox(settings):
    settings.NOTIFICATIONS_WEBHOOK_URL = "https://chat.example.org/hook"
    settings.NOTIFICATIONS_WEBHOOK_SECRET = "rahasia"
    org = Org()
    plt = make_user(None)
    plt.email, org.head.email = "plt@example.org", "kepala@example.org"
    plt.save()
    org.head.save()
    named_plt(org, plt)
    with on(STARTS - dt.timedelta(days=1)):
        before = new_innovation(org)
        act(org.operator, before, "submit")
    with on(STARTS):
        during = new_innovation(org)
        act(org.operator, during, "submit")
    asked = Notification.objects.filter(kind=Kind.APPROVAL_REQUESTED)
    assert set(asked.filter(innovation=before).values_list("recipient_id", "inbox_only")) == {
        (org.head.pk, False)
    }
    assert set(asked.filter(innovation=during).values_list("recipient_id", "inbox_only")) == {
        (org.head.pk, True),
        (plt.pk, False),
    }
    emailed = set(
        Delivery.objects.filter(channel=Channel.EMAIL, notification__innovation=during).values_list(
            "recipient_id", flat=True
        )
    )
    assert emailed == {plt.pk}
    hooked = Delivery.objects.filter(channel=Channel.WEBHOOK, notification__innovation=during)
    assert set(hooked.values_list("recipient_id", flat=True)) == {plt.pk}
    # What the Plt. does in the head's name reaches the head's inbox, never their daily digest.
    with on(STARTS, hour=10):
        act(fresh(plt), during, "approve")
    advanced = Notification.objects.get(
        innovation=during, kind=Kind.STAGE_ADVANCED, recipient=org.head
    )
    assert advanced.inbox_only
    schedule_digests(day=STARTS)
    assert not Delivery.objects.filter(channel=Channel.DIGEST, recipient=org.head).exists()


def test_overdue_alerts_reach_the_plt_while_in_force():
    org = Org()
    plt = make_user(None)
    named_plt(org, plt)
    case = at_gate(org)
    visit = StageVisit.objects.get(innovation=case, left_at__isnull=True)
    assert visit.holder == Holder.HEAD
    StageVisit.objects.filter(pk=visit.pk).update(
        due_date=STARTS - dt.timedelta(days=7),
        remind_on=STARTS - dt.timedelta(days=9),
        escalate_on=STARTS + dt.timedelta(days=20),
        next_alert_on=STARTS - dt.timedelta(days=9),
        alerts_sent=0,
    )
    with on(STARTS):
        scan_deadlines(today=STARTS)
    overdue = Notification.objects.filter(innovation=case, kind=Kind.OVERDUE)
    assert set(overdue.values_list("recipient_id", "inbox_only")) == {
        (org.head.pk, True),
        (plt.pk, False),
    }


def test_a_named_mentor_takes_over_a_mentor_on_leave():
    org = Org()
    stand_in = make_user(None, "mentor")  # assigned elsewhere or nowhere: named for the leave
    with on(STARTS - dt.timedelta(days=3)):
        substitutions.name_substitute(
            named_by=org.admin,
            kind=Substitution.Kind.MENTOR_LEAVE,
            unit=org.unit,
            year=org.year,
            absent=org.mentor,
            substitute=stand_in,
            starts=STARTS,
            ends=ENDS,
        )
        early = advance(org, new_innovation(org), Stage.MENTORING)
        with pytest.raises(ActionForbidden):
            workflow_services.log_session(
                user=fresh(stand_in),
                innovation_id=early.pk,
                date=STARTS,
                mode="daring",
                topic="Terlalu awal",
            )
    with on(STARTS):
        case = new_innovation(org)
        act(org.operator, case, "submit")
        act(org.head, case, "approve")
        # The approval's task reaches the named mentor (and the absent one, inbox only).
        told = Notification.objects.filter(innovation=case, kind=Kind.TASK_ASSIGNED)
        assert set(told.values_list("recipient_id", "inbox_only")) == {
            (org.mentor.pk, True),
            (stand_in.pk, False),
        }
        tasks = selectors.waiting_for(user=fresh(stand_in))
        assert [c.pk for c in tasks.cases] == [early.pk, case.pk]
        session = workflow_services.log_session(
            user=fresh(stand_in),
            innovation_id=case.pk,
            date=STARTS,
            mode="daring",
            topic="Menyusun rancang bangun",
        )
        assert session.mentor == stand_in
        act(fresh(stand_in), case, "complete")
    event = CaseEvent.objects.filter(innovation=case).latest("id")
    assert (event.action, event.actor, event.on_behalf_of) == ("complete", stand_in, org.mentor)
    with on(ENDS + dt.timedelta(days=1)):
        assert not policy.can_view(actor_for(fresh(stand_in)), case)


def test_a_co_mentor_standing_in_acts_in_their_own_right():
    org = Org()
    co = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co, year=org.year, is_lead=False)
    with on(STARTS - dt.timedelta(days=3)):
        substitutions.name_substitute(
            named_by=org.admin,
            kind=Substitution.Kind.MENTOR_LEAVE,
            unit=org.unit,
            year=org.year,
            absent=org.mentor,
            substitute=co,
            starts=STARTS,
            ends=ENDS,
        )
    with on(STARTS):
        case = advance(org, new_innovation(org), Stage.MENTORING)
        workflow_services.log_session(
            user=fresh(co), innovation_id=case.pk, date=STARTS, mode="daring", topic="Rancang"
        )
        act(fresh(co), case, "complete")
        # The lead's notifications reach the co-mentor as lead while the lead is away.
        assert co.pk in selectors.people_of(case).lead_mentors(org.unit.pk, org.year)
    event = CaseEvent.objects.filter(innovation=case).latest("id")
    assert (event.actor, event.on_behalf_of) == (co, None)


def test_history_shows_a_n_on_the_page_and_in_the_api(client):
    org = Org()
    plt = make_user(None)
    plt.first_name = "Budi"
    plt.save()
    org.head.first_name = "Siti"
    org.head.save()
    named_plt(org, plt)
    case = at_gate(org)
    with on(STARTS):
        act(fresh(plt), case, "approve")
        client.force_login(plt)
        page = client.get(reverse("portal:innovation-detail", args=[case.pk]))
        assert page.status_code == 200
        assert "Budi a.n. Siti" in page.content.decode()
        answer = bearer(plt).get(f"/api/v1/innovations/{case.pk}/history/")
    assert answer.status_code == 200
    last = answer.json()[-1]
    assert last["actor"]["username"] == plt.username
    assert last["on_behalf_of"]["username"] == org.head.username
    assert last["actor_label"] == "Budi a.n. Siti"
    assert answer.json()[0]["on_behalf_of"] is None
