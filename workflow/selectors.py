"""Reads of the case engine: who holds a case now (bulk, for the deadline scan)."""

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Case, F, Q, Value, When

from mentoring.models import Holder, Innovation, Membership, MentorAssignment, Role

from . import policy
from .prepared import PreparedQuery

# One case's people in one statement (every action and its notifications read them; compiled
# once): (user id, "head" / "operator") for active members, (user id, "lead" / "co") for mentors.
_MENTOR = {"lead", "co"}
_LEAD = Case(When(is_lead=True, then=Value("lead")), default=Value("co"))
_ONE_CASE_PEOPLE = PreparedQuery(
    lambda unit, year: (
        Membership.objects.filter(policy.ACTIVE_MEMBER, unit_id=unit)
        .annotate(person=F("user_id"), role=F("position"))
        .values_list("person", "role")
        .union(
            MentorAssignment.objects.filter(policy.ACTIVE_MENTOR, unit_id=unit, year=year)
            .annotate(person=F("mentor_id"), role=_LEAD)
            .values_list("person", "role"),
            all=True,
        )
    )
)


class CasePeople:
    """The people around many cases at once: a fixed number of queries for any number.

    `cases` are (unit_id, year) pairs. Memberships and mentor assignments are read on first use
    (one query each; one for both when there is a single case); the verifier and admin groups
    only when asked for (one query each).
    """

    def __init__(self, cases: Iterable[tuple[int, int]]) -> None:
        self.cases = set(cases)

    @cached_property
    def _one_case(self) -> list[tuple[int, str]]:
        ((unit, year),) = self.cases
        return _ONE_CASE_PEOPLE.rows(unit=unit, year=year)

    @cached_property
    def _members(self) -> dict[int, list[tuple[int, str]]]:
        rows = defaultdict(list)
        if len(self.cases) == 1:
            ((unit, _year),) = self.cases
            rows[unit] = [(uid, role) for uid, role in self._one_case if role not in _MENTOR]
            return rows
        for unit_id, user_id, position in Membership.objects.filter(
            policy.ACTIVE_MEMBER, unit_id__in={unit for unit, _year in self.cases}
        ).values_list("unit_id", "user_id", "position"):
            rows[unit_id].append((user_id, position))
        return rows

    @cached_property
    def _mentors(self) -> dict[tuple[int, int], dict[int, bool]]:
        """(unit, year) -> {mentor id: is lead}."""
        rows = defaultdict(dict)
        if len(self.cases) == 1:
            ((unit, year),) = self.cases
            rows[(unit, year)] = {
                uid: role == "lead" for uid, role in self._one_case if role in _MENTOR
            }
            return rows
        for unit_id, year, mentor_id, is_lead in MentorAssignment.objects.filter(
            policy.ACTIVE_MENTOR,
            unit_id__in={unit for unit, _year in self.cases},
            year__in={year for _unit, year in self.cases},
        ).values_list("unit_id", "year", "mentor_id", "is_lead"):
            rows[(unit_id, year)][mentor_id] = is_lead
        return rows

    @cached_property
    def _groups(self) -> dict[str, set[int]]:
        return {}

    def heads(self, unit_id: int) -> set[int]:
        return {u for u, pos in self._members[unit_id] if pos == Membership.Position.HEAD}

    def operators(self, unit_id: int) -> set[int]:
        return {u for u, pos in self._members[unit_id] if pos == Membership.Position.OPERATOR}

    def mentors(self, unit_id: int, year: int) -> set[int]:
        """The lead mentor and the co-mentors of the unit for the year."""
        return set(self._mentors[(unit_id, year)])

    def lead_mentors(self, unit_id: int, year: int) -> set[int]:
        return {uid for uid, lead in self._mentors[(unit_id, year)].items() if lead}

    def group(self, role: str) -> set[int]:
        if role not in self._groups:
            scope = Q(groups__name=role)
            if role == Role.ADMIN:
                scope |= Q(is_superuser=True)  # the policy treats superusers as admins
            self._groups[role] = set(
                get_user_model()
                .objects.filter(scope, is_active=True)
                .values_list("pk", flat=True)
                .distinct()
            )
        return self._groups[role]

    def holders(self, holder: str, unit_id: int, year: int) -> set[int]:
        """Everyone who may take the stage's action while the case waits for `holder`."""
        if holder == Holder.OPD:
            return self.heads(unit_id) | self.operators(unit_id)
        if holder == Holder.HEAD:
            return self.heads(unit_id)
        if holder == Holder.MENTOR:
            return self.mentors(unit_id, year)
        if holder == Holder.VERIFIER:
            # A verifier who mentors the case may not verify it (policy.may_hold).
            return self.group(Role.VERIFIER) - self.mentors(unit_id, year)
        if holder == Holder.ADMIN:
            return set(self.group(Role.ADMIN))
        return set()


def people_of(innovation: Innovation) -> CasePeople:
    """The people around one case, read once per loaded innovation: the action that moves it
    (task owners) and the notifications it causes share the same reads."""
    people = innovation.__dict__.get("_case_people")
    if people is None:
        people = innovation.__dict__["_case_people"] = CasePeople(
            [(innovation.unit_id, innovation.year)]
        )
    return people


def case_holders(*, unit_id: int, year: int, holder: str) -> set[int]:
    """User ids holding one case that waits for `holder` (see CasePeople.holders)."""
    return CasePeople([(unit_id, year)]).holders(holder, unit_id, year)
