"""Every role x every action x every stage, for own/other unit and assigned/not-assigned mentors,
and for substitutes (a Plt. of the unit's head, a mentor standing in for the mentor on leave)
in force today, in force for another unit, already over and not begun yet.

The expected table is written out here independently of workflow.policy, so a policy change that
lets the wrong person act makes this test fail.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from core.errors import ActionConflict, ActionForbidden
from mentoring.models import (
    EvidenceItem,
    Indicator,
    Membership,
    MentorAssignment,
    Stage,
    Substitution,
)
from mentoring.people import actor_for
from tests.factories import (
    Org,
    advance,
    fill_packaging,
    fill_report,
    log_session,
    make_unit,
    make_user,
    new_innovation,
    pdf,
)
from workflow import policy
from workflow import services as workflow_services
from workflow.models import CaseEvent
from workflow.services import perform_action

# A Plt. of the unit's head holds the head's rights (and so the office's) while in force.
OPD = {"op_own", "head_own", "head_plt"}
HEAD = {"head_own", "head_plt"}
CANCEL = {"withdraw": HEAD, "reject": {"admin"}}
# stage -> action -> personas allowed; any action not listed for a stage is a 409 there.
EXPECTED = {
    Stage.PROPOSAL: {"submit": OPD, **CANCEL},
    Stage.PROPOSAL_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    # verifier_mentor is also an assigned co-mentor: co-mentors may complete mentoring.
    # mentor_stand_in is named for the lead mentor's leave, in force today.
    Stage.MENTORING: {
        "complete": {"mentor_assigned", "verifier_mentor", "mentor_stand_in"},
        **CANCEL,
    },
    Stage.PACKAGING: {"submit": OPD, **CANCEL},
    Stage.PACKAGING_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    Stage.VERIFICATION: {"accept": {"verifier"}, "return": {"verifier"}, **CANCEL},
    Stage.REPORTING: {"submit": OPD, **CANCEL},
    Stage.REPORT_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    Stage.CLOSE: {"close": {"admin"}, **CANCEL},
}
# Personas who may not even see another unit's case get 403 rather than 409.
CANNOT_VIEW = {
    "mentor_other",
    "head_other",
    "op_other",
    # Substitutes for another unit, or outside their dates, are nobody here.
    "head_plt_other",
    "head_plt_expired",
    "head_plt_upcoming",
    "mentor_stand_in_expired",
}
ACTIONS = ["submit", "approve", "return", "complete", "accept", "close", "reject", "withdraw"]


class Rollback(Exception):
    pass


@pytest.fixture
def world(db):
    org = Org()
    other = make_unit()
    head_other = make_user(None, "opd_head")
    op_other = make_user(None, "opd_operator")
    Membership.objects.create(unit=other, user=head_other, position="head")
    Membership.objects.create(unit=other, user=op_other, position="operator")
    mentor_other = make_user(None, "mentor")
    MentorAssignment.objects.create(unit=other, mentor=mentor_other, year=org.year)
    verifier_mentor = make_user(None, "verifier", "mentor")
    MentorAssignment.objects.create(
        unit=org.unit, mentor=verifier_mentor, year=org.year, is_lead=False
    )
    personas = {
        **_substitutes(org, other),
        "admin": org.admin,
        "observer": org.observer,
        "mentor_assigned": org.mentor,
        "mentor_other": mentor_other,
        "verifier": org.verifier,
        "verifier_mentor": verifier_mentor,
        "head_own": org.head,
        "head_other": head_other,
        "op_own": org.operator,
        "op_other": op_other,
    }
    cases = {}
    for stage in EXPECTED:
        innovation = advance(org, new_innovation(org), stage)
        if stage == Stage.VERIFICATION:
            _prepare_verification(org, innovation)
        if stage == Stage.MENTORING:
            log_session(org, innovation)
        if stage == Stage.PACKAGING:
            fill_packaging(org, innovation)
        if stage == Stage.REPORTING:
            fill_report(org, innovation)
        cases[stage] = innovation
    return personas, cases


def _substitutes(org, other) -> dict:
    """Substitutes with no role of their own for a head (a Plt. may come from any office),
    mentors for a mentor; written directly, since the service names no range in the past."""
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    made = {}
    for name, unit, starts, ends in (
        ("head_plt", org.unit, today - day, today + day),
        ("head_plt_other", other, today, today),
        ("head_plt_expired", org.unit, today - 5 * day, today - day),
        ("head_plt_upcoming", org.unit, today + day, today + 5 * day),
    ):
        made[name] = make_user(None)
        absent = Membership.objects.get(unit=unit, position="head").user
        Substitution.objects.create(
            kind="plt", unit=unit, absent=absent, substitute=made[name], starts=starts, ends=ends
        )
    for name, starts, ends in (
        ("mentor_stand_in", today, today),
        ("mentor_stand_in_expired", today - 5 * day, today - day),
    ):
        made[name] = make_user(None, "mentor")
        Substitution.objects.create(
            kind="mentor_leave",
            unit=org.unit,
            year=org.year,
            absent=org.mentor,
            substitute=made[name],
            starts=starts,
            ends=ends,
        )
    return made


def _prepare_verification(org, innovation):
    """All mandatory evidence valid (accept may go) plus one invalid extra item (return may go)."""
    for item in EvidenceItem.objects.filter(innovation=innovation):
        workflow_services.review_evidence(user=org.verifier, evidence_id=item.pk, valid=True)
    extra = Indicator.objects.get(year=innovation.year, number=19)
    item = EvidenceItem.objects.create(
        innovation=innovation,
        indicator=extra,
        parameter=1,
        file=pdf(),
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=org.operator,
        review=EvidenceItem.Review.INVALID,
        review_note="Buram",
    )
    assert item.pk


def _attempt(user, innovation, action):
    """Run the action for real, then roll it back so the same case serves the next persona."""
    try:
        with transaction.atomic():
            result = perform_action(
                user=user, innovation_id=innovation.pk, action=action, comment="Catatan uji"
            )
            assert CaseEvent.objects.filter(innovation=innovation, action=action).exists()
            assert result.innovation.stage != innovation.stage
            raise Rollback
    except Rollback:
        return "ok"
    except ActionForbidden:
        return 403
    except ActionConflict:
        return 409


@pytest.mark.django_db
def test_permission_matrix(world):
    personas, cases = world
    mismatches = []
    for stage, allowed in EXPECTED.items():
        innovation = cases[stage]
        for name, user in personas.items():
            for action in ACTIONS:
                if action not in allowed:
                    expected = 403 if name in CANNOT_VIEW else 409
                elif name in allowed[action]:
                    expected = "ok"
                else:
                    expected = 403
                got = _attempt(user, innovation, action)
                if got != expected:
                    mismatches.append((stage, name, action, expected, got))
                listed = action in policy.allowed_actions(actor_for(user), innovation)
                if listed != (expected == "ok"):
                    mismatches.append(
                        (stage, name, action, "listed" if expected == "ok" else "hidden", listed)
                    )
    assert mismatches == []


@pytest.mark.django_db
def test_viewflow_task_rights_follow_the_policy(world):
    personas, cases = world
    innovation = cases[Stage.PROPOSAL_GATE]
    task = innovation.process.task_set.get(flow_task__isnull=False, status="ASSIGNED")
    node = task.flow_task
    assert node.can_execute(personas["head_own"], task)
    assert node.can_execute(personas["head_plt"], task)
    for name in (
        "head_other",
        "op_own",
        "admin",
        "mentor_assigned",
        "head_plt_other",
        "head_plt_expired",
        "head_plt_upcoming",
    ):
        assert not node.can_execute(personas[name], task), name
