"""Who is told what when a case moves: the lifecycle's notification table.

Pure decisions plus at most three small reads (the unit's people, its mentors for the year,
and the verifier/admin groups when the case goes to them).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Q

from mentoring.models import Holder, Innovation, Membership, MentorAssignment, Role, Stage
from workflow import policy
from workflow.models import CaseEvent

from .models import Kind

FORWARD_ACTIONS = {"approve", "complete", "accept", "close"}
CANCEL_KINDS = {"reject": Kind.REJECTED, "withdraw": Kind.WITHDRAWN}


@dataclass
class People:
    """The people around one case, read lazily and once."""

    innovation: Innovation

    @cached_property
    def _members(self) -> list[tuple[int, str]]:
        return list(
            Membership.objects.filter(
                policy.ACTIVE_MEMBER, unit_id=self.innovation.unit_id
            ).values_list("user_id", "position")
        )

    @cached_property
    def _mentors(self) -> list[tuple[int, bool]]:
        return list(
            MentorAssignment.objects.filter(
                policy.ACTIVE_MENTOR, unit_id=self.innovation.unit_id, year=self.innovation.year
            ).values_list("mentor_id", "is_lead")
        )

    @property
    def heads(self) -> set[int]:
        return {uid for uid, pos in self._members if pos == Membership.Position.HEAD}

    @property
    def operators(self) -> set[int]:
        return {uid for uid, pos in self._members if pos == Membership.Position.OPERATOR}

    @property
    def mentors(self) -> set[int]:
        return {uid for uid, _lead in self._mentors}

    @property
    def lead_mentors(self) -> set[int]:
        return {uid for uid, lead in self._mentors if lead}

    def group(self, role: str) -> set[int]:
        scope = Q(groups__name=role)
        if role == Role.ADMIN:
            scope |= Q(is_superuser=True)  # the policy treats superusers as admins
        return set(
            get_user_model().objects.filter(scope, is_active=True).values_list("pk", flat=True)
        )

    def holders(self, holder: str) -> set[int]:
        """Everyone who may take the stage's action once the case waits for `holder`."""
        if holder == Holder.OPD:
            return self.heads | self.operators
        if holder == Holder.HEAD:
            return self.heads
        if holder == Holder.MENTOR:
            return self.mentors
        if holder == Holder.VERIFIER:
            # A verifier who mentors the case may not verify it (policy.may_hold).
            return self.group(Role.VERIFIER) - self.mentors
        if holder == Holder.ADMIN:
            return self.group(Role.ADMIN)
        return set()


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
