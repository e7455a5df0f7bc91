"""Who is told what when a case moves; rows are written with the action or not at all."""

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mentoring.models import MentorAssignment, Stage
from notifications.models import Kind, Notification
from tests.factories import (
    act,
    advance,
    fill_packaging,
    fill_report,
    log_session,
    make_user,
    mark_all_evidence,
    new_innovation,
)
from workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def told(innovation) -> dict[int, str]:
    """recipient id -> kind, for the case's latest event."""
    event = CaseEvent.objects.filter(innovation=innovation).latest("id")
    return dict(Notification.objects.filter(event=event).values_list("recipient_id", "kind"))


def test_creating_a_proposal_notifies_nobody(org):
    innovation = new_innovation(org)
    assert CaseEvent.objects.filter(innovation=innovation).count() == 1
    assert Notification.objects.count() == 0


def test_submit_asks_the_head_to_approve_and_links_the_case(org):
    innovation = act(org.operator, new_innovation(org), "submit")
    assert told(innovation) == {org.head.pk: Kind.APPROVAL_REQUESTED}
    note = Notification.objects.get()
    assert note.url == f"/innovations/{innovation.pk}/"
    assert note.innovation_id == innovation.pk
    assert innovation.name in note.title
    assert note.read_at is None


def test_the_head_submitting_is_not_told_about_it(org):
    innovation = act(org.head, new_innovation(org), "submit")
    assert told(innovation) == {}


def test_each_step_of_the_lifecycle_tells_the_next_holder(org):
    co_mentor = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    root = make_user("root")
    root.is_superuser = True
    root.save()
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)

    innovation = act(org.head, innovation, "approve")
    # Both mentors must act; the lead mentor is not told twice (no extra stage_advanced); the
    # operator who proposed it hears the head's decision.
    assert told(innovation) == {
        org.mentor.pk: Kind.TASK_ASSIGNED,
        co_mentor.pk: Kind.TASK_ASSIGNED,
        org.operator.pk: Kind.STAGE_ADVANCED,
    }

    log_session(org, innovation)
    innovation = act(org.mentor, innovation, "complete")
    assert told(innovation) == {
        org.head.pk: Kind.TASK_ASSIGNED,
        org.operator.pk: Kind.TASK_ASSIGNED,
    }

    fill_packaging(org, innovation)
    innovation = act(org.operator, innovation, "submit")
    assert told(innovation) == {org.head.pk: Kind.APPROVAL_REQUESTED}

    innovation = act(org.head, innovation, "approve")
    assert told(innovation) == {
        org.verifier.pk: Kind.TASK_ASSIGNED,
        org.mentor.pk: Kind.STAGE_ADVANCED,
        org.operator.pk: Kind.STAGE_ADVANCED,
    }

    mark_all_evidence(org, innovation)
    innovation = act(org.verifier, innovation, "accept")
    assert told(innovation) == {
        org.head.pk: Kind.TASK_ASSIGNED,
        org.operator.pk: Kind.TASK_ASSIGNED,
        org.mentor.pk: Kind.STAGE_ADVANCED,
    }

    fill_report(org, innovation)
    innovation = act(org.operator, innovation, "submit")
    innovation = act(org.head, innovation, "approve")
    assert told(innovation) == {
        org.admin.pk: Kind.TASK_ASSIGNED,
        root.pk: Kind.TASK_ASSIGNED,  # superusers act as admins
        org.mentor.pk: Kind.STAGE_ADVANCED,
        org.operator.pk: Kind.STAGE_ADVANCED,
    }

    innovation = act(org.admin, innovation, "close")
    assert told(innovation) == {
        org.head.pk: Kind.STAGE_ADVANCED,
        org.mentor.pk: Kind.STAGE_ADVANCED,
    }


def test_a_verifier_who_mentors_the_unit_is_not_asked_to_verify(org):
    mentor_verifier = make_user(None, "verifier", "mentor")
    MentorAssignment.objects.create(
        unit=org.unit, mentor=mentor_verifier, year=org.year, is_lead=False
    )
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    assert told(innovation)[org.verifier.pk] == Kind.TASK_ASSIGNED
    assert mentor_verifier.pk not in told(innovation)


def test_return_tells_who_must_act_next_with_the_comment(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    act(org.head, innovation, "return", comment="Lengkapi tujuan inovasi.")
    assert told(innovation) == {org.operator.pk: Kind.RETURNED}
    assert "Lengkapi tujuan inovasi." in Notification.objects.get(kind=Kind.RETURNED).body


def test_verification_return_names_the_invalid_evidence(org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    mark_all_evidence(org, innovation, valid=False)
    act(org.verifier, innovation, "return")
    assert told(innovation) == {org.head.pk: Kind.RETURNED, org.operator.pk: Kind.RETURNED}
    assert "data dukung perlu diperbaiki" in Notification.objects.filter(kind="returned")[0].body


@pytest.mark.parametrize(
    ("who", "action", "kind"),
    [("admin", "reject", Kind.REJECTED), ("head", "withdraw", Kind.WITHDRAWN)],
)
def test_reject_and_withdraw_tell_the_unit_and_its_mentors(org, who, action, kind):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    act(getattr(org, who), innovation, action, comment="Tidak sesuai program.")
    expected = {org.head.pk: kind, org.operator.pk: kind, org.mentor.pk: kind}
    expected.pop(getattr(org, who).pk, None)
    assert told(innovation) == expected
    assert "Tidak sesuai program." in Notification.objects.filter(kind=kind)[0].body


def test_inactive_people_are_not_notified(org):
    User.objects.filter(pk=org.head.pk).update(is_active=False)
    innovation = act(org.operator, new_innovation(org), "submit")
    assert told(innovation) == {}


def test_a_rolled_back_action_leaves_no_notification(org):
    innovation = new_innovation(org)
    with pytest.raises(RuntimeError), transaction.atomic():
        act(org.operator, innovation, "submit")
        assert Notification.objects.count() == 1  # written inside the action's transaction
        raise RuntimeError("the surrounding request fails after the action")
    assert Notification.objects.count() == 0
    assert CaseEvent.objects.filter(innovation=innovation, action="submit").count() == 0


def test_a_failing_notification_write_rolls_the_action_back(org, monkeypatch):
    innovation = new_innovation(org)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Notification.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        act(org.operator, innovation, "submit")
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PROPOSAL


def test_all_recipients_in_one_insert(org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    with CaptureQueriesContext(connection) as captured:
        act(org.admin, innovation, "reject", comment="Duplikat.")
    inserts = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('INSERT INTO "notifications_notification"')
    ]
    assert len(inserts) == 1
    assert len(told(innovation)) == 3
    # The decision reads the unit's people and its mentors: two small queries.
    reads = [
        q["sql"]
        for q in captured
        if "mentoring_membership" in q["sql"] or "mentoring_mentorassignment" in q["sql"]
    ]
    assert len(reads) <= 4  # policy.actor_for reads these too, for the actor


def test_people_without_their_role_group_are_not_told(org):
    # The head's membership remains but the opd_head group was taken away: like can_view,
    # the notification rules no longer count them.
    org.head.groups.clear()
    innovation = act(org.operator, new_innovation(org), "submit")
    assert told(innovation) == {}
    org.mentor.groups.clear()
    from django.contrib.auth.models import Group

    org.head.groups.add(Group.objects.get(name="opd_head"))
    org.head.__dict__.pop("_pandu_actor", None)
    innovation = act(org.head, innovation, "approve")
    assert org.mentor.pk not in told(innovation)
