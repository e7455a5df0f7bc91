"""Every role x every action x every stage, for own/other unit and assigned/not-assigned mentors.

The expected table is written out here independently of workflow.policy, so a policy change that
lets the wrong person act makes this test fail.
"""

import pytest
from django.db import transaction

from core.errors import ActionConflict, ActionForbidden
from mentoring.models import EvidenceItem, Indicator, Membership, MentorAssignment, Stage
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

OPD = {"op_own", "head_own"}
HEAD = {"head_own"}
CANCEL = {"withdraw": HEAD, "reject": {"admin"}}
# stage -> action -> personas allowed; any action not listed for a stage is a 409 there.
EXPECTED = {
    Stage.PROPOSAL: {"submit": OPD, **CANCEL},
    Stage.PROPOSAL_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    # verifier_mentor is also an assigned co-mentor: co-mentors may complete mentoring.
    Stage.MENTORING: {"complete": {"mentor_assigned", "verifier_mentor"}, **CANCEL},
    Stage.PACKAGING: {"submit": OPD, **CANCEL},
    Stage.PACKAGING_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    Stage.VERIFICATION: {"accept": {"verifier"}, "return": {"verifier"}, **CANCEL},
    Stage.REPORTING: {"submit": OPD, **CANCEL},
    Stage.REPORT_GATE: {"approve": HEAD, "return": HEAD, **CANCEL},
    Stage.CLOSE: {"close": {"admin"}, **CANCEL},
}
# Personas who may not even see another unit's case get 403 rather than 409.
CANNOT_VIEW = {"mentor_other", "head_other", "op_other"}
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
    for name in ("head_other", "op_own", "admin", "mentor_assigned"):
        assert not node.can_execute(personas[name], task), name
