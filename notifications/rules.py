"""Who is told what when a case moves: the lifecycle table's `notify` for the move, resolved
to people. At most three small reads (the unit's people with its mentors for the year, and the
verifier or admin group when the case goes to them)."""

from dataclasses import dataclass, field

from mentoring.models import Holder, Innovation
from workflow import lifecycle
from workflow.lifecycle import Action, Audience, Notice, Transition
from workflow.models import CaseEvent
from workflow.selectors import people_of

from .models import Kind


@dataclass
class Plan:
    """Recipients per kind; a person appears under one kind only, the first that claims them."""

    actor_id: int
    by_kind: dict[str, set[int]] = field(default_factory=dict)
    # Absent heads and mentors whose substitute is told too: in the inbox, without e-mail.
    inbox_only: set[int] = field(default_factory=set)
    _taken: set[int] = field(default_factory=set)

    def add(self, kind: str, user_ids: set[int]) -> None:
        # Nobody is told about their own action, nor twice about the same event.
        fresh = user_ids - self._taken - {self.actor_id}
        if fresh:
            self.by_kind.setdefault(kind, set()).update(fresh)
            self._taken |= fresh


def audience(innovation: Innovation, move: Transition, who: Audience) -> set[int]:
    people = people_of(innovation)
    unit, year = innovation.unit_id, innovation.year
    if who == Audience.HEADS:
        return people.heads(unit)
    if who == Audience.OPERATORS:
        return people.operators(unit)
    if who == Audience.MENTORS:
        return people.mentors(unit, year)
    if who == Audience.LEAD_MENTORS:
        return people.lead_mentors(unit, year)
    return people.holders(lifecycle.holder_of(move.target), unit, year)


def plan_for(event: CaseEvent, innovation: Innovation, move: Transition | None) -> Plan:
    """Decide who gets which kind of notification for one case event (a new case, which has no
    move, waits for its own unit: nobody else needs to know yet)."""
    plan = Plan(actor_id=event.actor_id)
    if move is None:
        return plan
    for notify in move.notify:
        recipients: set[int] = set()
        for who in notify.audiences:
            recipients |= audience(innovation, move, who)
        plan.add(Kind(notify.notice.value), recipients)
    _tell_the_proposer(plan, innovation, move)
    if plan.by_kind:
        # people_of's heads and mentors include today's substitutes (so they are told); the
        # absent people they stand in for still see it in their inbox.
        absent = people_of(innovation).absent(innovation.unit_id, innovation.year)
        plan.inbox_only = absent & plan._taken
    return plan


def _tell_the_proposer(plan: Plan, innovation: Innovation, move: Transition) -> None:
    """A head's decision at a gate reaches the people who asked for it: whoever created the
    case and the unit's operators (the table tells a return to the stage's holders, an
    approval only to the next holders and the mentors)."""
    if lifecycle.holder_of(move.stage) != Holder.HEAD:
        return
    if move.action not in (Action.APPROVE, Action.RETURN):
        return
    proposers = people_of(innovation).operators(innovation.unit_id)
    if innovation.created_by_id:
        proposers.add(innovation.created_by_id)
    notice = Notice.STAGE_ADVANCED if move.action == Action.APPROVE else Notice.RETURNED
    plan.add(Kind(notice.value), proposers)
