"""Who a person is in the organisation: their roles, the units they head or operate, the units
they mentor per year. The process's policy (workflow.policy) decides from this what they may do.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db.models import Q, Value

from .models import Innovation, Membership, MentorAssignment, Role


@dataclass
class Actor:
    """What the policy needs to know about a user, loaded once per request."""

    user: User | AnonymousUser
    roles: frozenset[str] = frozenset()
    head_of: frozenset[int] = frozenset()
    operator_of: frozenset[int] = frozenset()
    mentor_of: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def sees_everything(self) -> bool:
        return bool(self.roles & {Role.ADMIN, Role.VERIFIER, Role.OBSERVER})

    def mentors(self, innovation: Innovation) -> bool:
        return Role.MENTOR in self.roles and (innovation.unit_id, innovation.year) in self.mentor_of

    def is_head_of(self, unit_id: int) -> bool:
        return Role.OPD_HEAD in self.roles and unit_id in self.head_of

    def works_in(self, unit_id: int) -> bool:
        return self.is_head_of(unit_id) or (
            Role.OPD_OPERATOR in self.roles and unit_id in self.operator_of
        )

    @property
    def own_units(self) -> frozenset[int]:
        """The units the person heads or operates, with the role group that makes it count."""
        return frozenset(unit for unit in self.head_of | self.operator_of if self.works_in(unit))


def _actor_rows(user: User):
    """(kind, role name, unit id, year) for the user's groups, memberships and mentor
    assignments: one query."""
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
    return groups.union(members, mentors, all=True)


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
    for kind, name, unit_id, year in _actor_rows(user):
        if kind == "role":
            roles.add(name)
        elif kind == Membership.Position.HEAD:
            heads.add(unit_id)
        elif kind == Membership.Position.OPERATOR:
            operators.add(unit_id)
        else:
            mentor_of.add((unit_id, year))
    actor = Actor(
        user=user,
        roles=frozenset(roles),
        head_of=frozenset(heads),
        operator_of=frozenset(operators),
        mentor_of=frozenset(mentor_of),
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
