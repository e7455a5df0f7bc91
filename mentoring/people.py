"""Who a person is in the organisation: their roles, the units they head or operate, the units
they mentor per year, and whom they stand in for today (a Plt./Plh. for a head, a mentor on
leave). The process's policy (workflow.policy) decides from this what they may do.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db.models import CharField, IntegerField, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from .models import (
    SUBSTITUTE_HEAD_KINDS,
    Holder,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Role,
    Substitution,
)


@dataclass
class Actor:
    """What the policy needs to know about a user, loaded once per request."""

    user: User | AnonymousUser
    roles: frozenset[str] = frozenset()
    head_of: frozenset[int] = frozenset()
    operator_of: frozenset[int] = frozenset()
    mentor_of: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # Substitutions in force today: unit -> the absent head this person stands in for, and
    # (unit, year) -> the mentor on leave. A substitute needs no role group of their own.
    acting_head: Mapping[int, int] = field(default_factory=dict)
    acting_mentor: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def has(self, role: str) -> bool:
        return role in self.roles

    @cached_property
    def cases_with_own_sessions(self) -> frozenset[int]:
        """The cases this person logged a mentoring session on (read when first asked)."""
        if not self.user.is_authenticated:
            return frozenset()
        sessions = MentoringSession.objects.filter(mentor_id=self.user.pk)
        return frozenset(sessions.values_list("innovation_id", flat=True).distinct())

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def sees_everything(self) -> bool:
        return bool(self.roles & {Role.ADMIN, Role.VERIFIER, Role.OBSERVER})

    def mentors_in_own_right(self, unit_id: int, year: int) -> bool:
        return Role.MENTOR in self.roles and (unit_id, year) in self.mentor_of

    def mentors(self, innovation: Innovation) -> bool:
        """Assigned to the case's unit and year, or standing in for its mentor on leave."""
        pair = (innovation.unit_id, innovation.year)
        return self.mentors_in_own_right(*pair) or pair in self.acting_mentor

    def heads_in_own_right(self, unit_id: int) -> bool:
        return Role.OPD_HEAD in self.roles and unit_id in self.head_of

    def is_head_of(self, unit_id: int) -> bool:
        """Heads the unit, or stands in for its head today (Plt./Plh.)."""
        return self.heads_in_own_right(unit_id) or unit_id in self.acting_head

    def operates(self, unit_id: int) -> bool:
        return Role.OPD_OPERATOR in self.roles and unit_id in self.operator_of

    def works_in(self, unit_id: int) -> bool:
        return self.is_head_of(unit_id) or self.operates(unit_id)

    @property
    def own_units(self) -> frozenset[int]:
        """The units the person heads (or stands in for the head of) or operates, with the role
        group that makes it count."""
        return self.headed_units | self.operated_units

    @property
    def operated_units(self) -> frozenset[int]:
        """The units the person operates with the operator's role group."""
        return self.operator_of if Role.OPD_OPERATOR in self.roles else frozenset()

    @property
    def units_headed_in_own_right(self) -> frozenset[int]:
        """The units the person heads with the head's role group (not as a substitute)."""
        return self.head_of if Role.OPD_HEAD in self.roles else frozenset()

    @property
    def headed_units(self) -> frozenset[int]:
        """The units whose head's powers the person holds today, own or as a substitute."""
        return self.units_headed_in_own_right | frozenset(self.acting_head)

    @property
    def stands_in(self) -> bool:
        """Stands in for someone today (a Plt./Plh. or a mentor's substitute)."""
        return bool(self.acting_head or self.acting_mentor)

    @property
    def mentored(self) -> frozenset[tuple[int, int]]:
        """(unit, year) pairs the person mentors today, assigned or as a substitute."""
        own = self.mentor_of if Role.MENTOR in self.roles else frozenset()
        return own | frozenset(self.acting_mentor)

    def acting_for(self, innovation: Innovation, holder: str) -> int | None:
        """The absent person on whose behalf (a.n.) this person takes a move held by `holder`
        on the case; None when they may take it in their own right (the absent head or mentor
        themselves, an operator submitting, a co-mentor completing)."""
        unit, year = innovation.unit_id, innovation.year
        if holder == Holder.HEAD and not self.heads_in_own_right(unit):
            return self.acting_head.get(unit)
        if holder == Holder.OPD and not (self.heads_in_own_right(unit) or self.operates(unit)):
            return self.acting_head.get(unit)
        if holder == Holder.MENTOR and not self.mentors_in_own_right(unit, year):
            return self.acting_mentor.get((unit, year))
        return None


def _actor_rows(user: User):
    """(kind, role name, unit id, year) for the user's groups, memberships and mentor
    assignments, and (substitution kind, absent person's id, unit id, year) for the
    substitutions in force today (WITA): one query."""
    groups = (
        Group.objects.filter(user=user)
        .annotate(kind=Value("role"), unit=Value(0), year=Value(0))
        .values_list("kind", "name", "unit", "year")
    )
    members = (
        Membership.objects.filter(user=user)
        .annotate(name=Value(""), year=Value(0))
        .values_list("position", "name", "unit_id", "year")
    )
    mentors = (
        MentorAssignment.objects.filter(mentor=user)
        .annotate(kind=Value("mentor"), name=Value(""))
        .values_list("kind", "name", "unit_id", "year")
    )
    acting = (
        Substitution.objects.filter(Substitution.in_force(timezone.localdate()), substitute=user)
        .annotate(
            name=Cast("absent_id", output_field=CharField()),
            assigned=Coalesce("year", Value(0), output_field=IntegerField()),
        )
        .values_list("kind", "name", "unit_id", "assigned")
        .order_by()
    )
    return groups.union(members, mentors, acting, all=True)


def actor_for(user: User | AnonymousUser) -> Actor:
    """The person's snapshot, read once per user object (one query) and kept on it."""
    cached = getattr(user, "_pandu_actor", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return Actor(user=user)
    roles: set[str] = {Role.ADMIN} if getattr(user, "is_superuser", False) else set()
    heads: set[int] = set()
    operators: set[int] = set()
    mentor_of: set[tuple[int, int]] = set()
    acting_head: dict[int, int] = {}
    acting_mentor: dict[tuple[int, int], int] = {}
    for kind, name, unit_id, year in _actor_rows(user):
        if kind == "role":
            roles.add(name)
        elif kind == Membership.Position.HEAD:
            heads.add(unit_id)
        elif kind == Membership.Position.OPERATOR:
            operators.add(unit_id)
        elif kind in SUBSTITUTE_HEAD_KINDS:
            acting_head[unit_id] = int(name)
        elif kind == Substitution.Kind.MENTOR_LEAVE:
            acting_mentor[(unit_id, year)] = int(name)
        else:
            mentor_of.add((unit_id, year))
    actor = Actor(
        user=user,
        roles=frozenset(roles),
        head_of=frozenset(heads),
        operator_of=frozenset(operators),
        mentor_of=frozenset(mentor_of),
        acting_head=acting_head,
        acting_mentor=acting_mentor,
    )
    setattr(user, "_pandu_actor", actor)  # noqa: B010  (kept on the user object of the request)
    return actor


# A membership or mentor assignment counts only with its role group (as Actor.works_in and
# Actor.mentors require): filters for the queries that pick people around a case.
ACTIVE_MEMBER = Q(user__is_active=True) & (
    Q(position=Membership.Position.HEAD, user__groups__name=Role.OPD_HEAD)
    | Q(position=Membership.Position.OPERATOR, user__groups__name=Role.OPD_OPERATOR)
)
ACTIVE_MENTOR = Q(mentor__is_active=True, mentor__groups__name=Role.MENTOR)
