"""Who is told what when a case moves: the lifecycle's notification table.

Pure decisions plus at most three small reads (the unit's people, its mentors for the year,
and the verifier/admin groups when the case goes to them).
"""

from dataclasses import dataclass, field
from functools import cached_property

from mentoring.models import Innovation, Stage
from workflow import policy
from workflow.models import CaseEvent
from workflow.selectors import CasePeople, people_of

from .models import Kind

FORWARD_ACTIONS = {"approve", "complete", "accept", "close"}
CANCEL_KINDS = {"reject": Kind.REJECTED, "withdraw": Kind.WITHDRAWN}


@dataclass
class People:
    """The people around one case (workflow's CasePeople for a single case), read once."""

    innovation: Innovation

    @cached_property
    def _case(self) -> CasePeople:
        return people_of(self.innovation)

    @property
    def heads(self) -> set[int]:
        return self._case.heads(self.innovation.unit_id)

    @property
    def operators(self) -> set[int]:
        return self._case.operators(self.innovation.unit_id)

    @property
    def mentors(self) -> set[int]:
        return self._case.mentors(self.innovation.unit_id, self.innovation.year)

    @property
    def lead_mentors(self) -> set[int]:
        return self._case.lead_mentors(self.innovation.unit_id, self.innovation.year)

    def holders(self, holder: str) -> set[int]:
        """Everyone who may take the stage's action once the case waits for `holder`."""
        return self._case.holders(holder, self.innovation.unit_id, self.innovation.year)


@dataclass
class Plan:
    """Recipients per kind; a person appears under one kind only, the first that claims them."""

    actor_id: int
    by_kind: dict[str, set[int]] = field(default_factory=dict)
    _taken: set[int] = field(default_factory=set)

    def add(self, kind: str, user_ids: set[int]) -> None:
        # Nobody is told about their own action, nor twice about the same event.
        fresh = user_ids - self._taken - {self.actor_id}
        if fresh:
            self.by_kind.setdefault(kind, set()).update(fresh)
            self._taken |= fresh


def plan_for(event: CaseEvent, innovation: Innovation) -> Plan:
    """Decide who gets which kind of notification for one case event."""
    plan = Plan(actor_id=event.actor_id)
    people = People(innovation)
    action, to_stage = event.action, event.to_stage
    if action in CANCEL_KINDS:
        plan.add(CANCEL_KINDS[action], people.heads | people.operators | people.mentors)
    elif action == "return":
        plan.add(Kind.RETURNED, people.holders(policy.holder_of(to_stage)))
    elif action == "submit":
        plan.add(Kind.APPROVAL_REQUESTED, people.heads)
    elif action in FORWARD_ACTIONS:
        if to_stage != Stage.DONE:
            plan.add(Kind.TASK_ASSIGNED, people.holders(policy.holder_of(to_stage)))
        plan.add(Kind.STAGE_ADVANCED, people.heads | people.lead_mentors)
    # "create" (a new proposal) waits for its own unit: nobody else needs to know yet.
    return plan
