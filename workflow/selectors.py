"""Reads of the case engine: the people around cases, which cases a person may see, the list
with its filters, what waits for a person, and one case's page."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext as _

from core import params as core_params
from core.errors import GuardFailed
from mentoring.models import (
    ENDED_STAGES,
    SUBSTITUTE_HEAD_KINDS,
    EvidenceItem,
    Holder,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Role,
    Substitution,
)
from mentoring.people import ACTIVE_MEMBER, ACTIVE_MENTOR, actor_for
from mentoring.selectors import search_innovations

from . import deadlines, policy
from .models import CaseEvent, StageVisit

# --- the people around cases ------------------------------------------------------------------


class CasePeople:
    """The people around many cases at once: a fixed number of queries for any number.

    `cases` are (unit_id, year) pairs. Memberships, mentor assignments and the substitutions in
    force on `today` (default: today, WITA) are read on first use (one query each); the
    verifier and admin groups only when asked for (one query each).

    A substitute counts as what they stand in for: a Plt./Plh. among the unit's heads, a
    mentor's substitute among the unit's mentors (and leads, when the absent one leads), so
    that task owners, notifications and deadline alerts reach them. The absent people stay
    in too (they may still act); `absent` names them, so that they are told in the inbox only.
    """

    def __init__(self, cases: Iterable[tuple[int, int]], today: dt.date | None = None) -> None:
        self.cases = set(cases)
        self.today = today
        self._groups: dict[str, set[int]] = {}

    @cached_property
    def _members(self) -> dict[int, list[tuple[int, str]]]:
        """unit -> [(user id, position)] of its active members."""
        rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for unit_id, user_id, position in Membership.objects.filter(
            ACTIVE_MEMBER, unit_id__in={unit for unit, _year in self.cases}
        ).values_list("unit_id", "user_id", "position"):
            rows[unit_id].append((user_id, position))
        return rows

    @cached_property
    def _mentors(self) -> dict[tuple[int, int], dict[int, bool]]:
        """(unit, year) -> {mentor id: is lead}."""
        rows: dict[tuple[int, int], dict[int, bool]] = defaultdict(dict)
        for unit_id, year, mentor_id, is_lead in MentorAssignment.objects.filter(
            ACTIVE_MENTOR,
            unit_id__in={unit for unit, _year in self.cases},
            year__in={year for _unit, year in self.cases},
        ).values_list("unit_id", "year", "mentor_id", "is_lead"):
            rows[(unit_id, year)][mentor_id] = is_lead
        return rows

    @cached_property
    def _acting(self) -> dict[tuple[int, int], dict[int, int]]:
        """(unit, 0) -> {substitute: absent head}; (unit, year) -> {substitute: absent mentor},
        for the substitutions in force."""
        rows: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for unit_id, year, kind, substitute_id, absent_id in Substitution.objects.filter(
            Substitution.in_force(self.today or timezone.localdate()),
            substitute__is_active=True,
            unit_id__in={unit for unit, _year in self.cases},
        ).values_list("unit_id", "year", "kind", "substitute_id", "absent_id"):
            key = (unit_id, 0) if kind in SUBSTITUTE_HEAD_KINDS else (unit_id, year or 0)
            rows[key][substitute_id] = absent_id
        return rows

    def heads(self, unit_id: int) -> set[int]:
        """The unit's head and whoever stands in for them today (Plt./Plh.)."""
        own = {u for u, pos in self._members[unit_id] if pos == Membership.Position.HEAD}
        return own | set(self._acting[(unit_id, 0)])

    def absent(self, unit_id: int, year: int) -> set[int]:
        """The unit's head and the mentors of the year who have a substitute in force today."""
        return set(self._acting[(unit_id, 0)].values()) | set(
            self._acting[(unit_id, year)].values()
        )

    def operators(self, unit_id: int) -> set[int]:
        return {u for u, pos in self._members[unit_id] if pos == Membership.Position.OPERATOR}

    def mentors(self, unit_id: int, year: int) -> set[int]:
        """The lead mentor and the co-mentors of the unit for the year, and whoever stands in
        for one of them today."""
        return set(self._mentors[(unit_id, year)]) | set(self._acting[(unit_id, year)])

    def lead_mentors(self, unit_id: int, year: int) -> set[int]:
        leads = {uid for uid, lead in self._mentors[(unit_id, year)].items() if lead}
        acting = self._acting[(unit_id, year)]
        return leads | {sub for sub, absent in acting.items() if absent in leads}

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
        """Everyone who may take the stage's action while the case waits for `holder`
        (policy.may_hold, for many people at once)."""
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


# --- which cases, listed how ------------------------------------------------------------------

LIST_FILTERS = ("stage", "unit", "year", "mentor", "q", "awaiting", "overdue", "due_before")
TRUE_VALUES, FALSE_VALUES = ("true", "1", "ya"), ("false", "0", "tidak")


def visible_innovations(*, user: User | AnonymousUser) -> QuerySet[Innovation]:
    return Innovation.objects.filter(policy.visible_scope(actor_for(user)))


def _open_visit_due_before(day: dt.date) -> LessThan:
    """The open visit's due date is before `day`, read per open case along their index in list
    order (innovation_open_list_order): a page of overdue cases reads about its own rows, at
    any depth.

    An Exists over the visits (kept for `due_before`, whose near dates few cases reach) is
    planned from PostgreSQL's estimate of the matching visits, the odds of `left_at IS NULL`
    times those of the due date, blind to how the two go together: at 500,000 cases it joined
    and sorted every overdue case for one page (issue 14)."""
    due = StageVisit.objects.filter(innovation=OuterRef("pk"), left_at__isnull=True).order_by()
    return LessThan(Subquery(due.values("due_date")[:1]), day)


def _filter_deadlines(qs: QuerySet[Innovation], *, params: Mapping) -> QuerySet[Innovation]:
    """`overdue=true|false` and `due_before=YYYY-MM-DD` on the open stage visit (indexed).

    The due date is the last working day to act: overdue means past it on a working day (see
    workflow.deadlines), `due_before=D` keeps the cases whose due date is before D (D excluded).
    """
    overdue = str(params.get("overdue") or "").strip().lower()
    if overdue:
        if overdue not in TRUE_VALUES + FALSE_VALUES:
            raise GuardFailed(
                _("Filter tidak valid."),
                fields={"overdue": [_("Isi dengan true atau false.")]},
            )
        cutoff = deadlines.overdue_cutoff()
        if overdue in TRUE_VALUES:
            # Only an open case has an open visit; the ended ones are most of a large list.
            qs = qs.filter(~Q(stage__in=ENDED_STAGES), _open_visit_due_before(cutoff))
        else:
            qs = qs.filter(~deadlines.open_visit_due(before=cutoff))
    if raw := str(params.get("due_before") or "").strip():
        try:
            before = dt.date.fromisoformat(raw)
        except ValueError:
            raise GuardFailed(
                _("Filter tidak valid."),
                fields={"due_before": [_("Tanggal harus berformat TTTT-BB-HH.")]},
            ) from None
        qs = qs.filter(deadlines.open_visit_due(before=before))
    return qs


def filter_innovations(qs: QuerySet[Innovation], *, params: Mapping) -> QuerySet[Innovation]:
    """Apply the list filters (stage, unit code, year, mentor username, free text, deadlines)."""
    if stage := params.get("stage"):
        qs = qs.filter(stage__in=stage.split(","))
    if awaiting := params.get("awaiting"):
        qs = qs.filter(awaiting=awaiting)
    if unit := params.get("unit"):
        qs = qs.filter(unit__code=unit)
    if raw_year := str(params.get("year") or "").strip():
        if (year := core_params.year(raw_year)) is None:
            raise GuardFailed(
                _("Filter tidak valid."), fields={"year": [str(core_params.YEAR_ERROR)]}
            )
        qs = qs.filter(year=year)
    if mentor := params.get("mentor"):
        pairs = MentorAssignment.objects.filter(mentor__username=mentor).values_list(
            "unit_id", "year"
        )
        scope = Q(pk__in=[])
        for unit_id, year in pairs:
            scope |= Q(unit_id=unit_id, year=year)
        qs = qs.filter(scope)
    if q := (params.get("q") or "").strip():
        qs = search_innovations(qs, q=q)
    return _filter_deadlines(qs, params=params)


def innovation_list(*, user: User | AnonymousUser, params: Mapping) -> QuerySet[Innovation]:
    qs = filter_innovations(visible_innovations(user=user), params=params)
    # due_date / holder of the open stage visit, by one LEFT JOIN (no query per row).
    qs = deadlines.with_deadline(qs)
    ordering = ["-year", "-id"]
    if "search_rank" in qs.query.annotations:  # a text search lists the best matches first
        ordering.insert(0, "-search_rank")
    return qs.select_related("unit", "main_urusan").order_by(*ordering)


# A list counts its rows up to this many; beyond, it says "more than" (issue 14: a page view
# never counts 500,000 rows).
LIST_COUNT_CAP = 10_000


def list_count(qs: QuerySet[Innovation], *, cap: int = LIST_COUNT_CAP) -> int:
    """The rows of `qs`, counted up to `cap + 1` (a result above `cap` means "more than cap"):
    it reads at most cap + 1 index entries, whatever the size of the table."""
    return qs.order_by().values("pk")[: cap + 1].count()


def parse_cursor(raw: str | None) -> tuple[int, int] | None:
    """The list position `<year>.<id>` of a "next page" link; None when absent or malformed
    (the list then starts at its first page)."""
    year_text, _dot, pk_text = str(raw or "").partition(".")
    # core.params: ASCII digits only (str.isdigit takes "²", which int() refuses), 18 at most.
    year, pk = core_params.whole_number(year_text), core_params.whole_number(pk_text)
    if year is None or pk is None or len(year_text) > 4:
        return None
    return year, pk


def cursor_of(innovation: Innovation) -> str:
    return f"{innovation.year}.{innovation.pk}"


def keyset_page(
    qs: QuerySet[Innovation], *, after: tuple[int, int], size: int
) -> tuple[list[Innovation], str | None]:
    """The `size` rows of the list (newest year first, then newest case) that come after the
    position `after`, and the position after them (None on the last page).

    Keyset paging: each query is a range of the (year, id) index, so a page deep in the list
    costs what the first does. At most two queries: the rest of the position's year, then the
    years before it."""
    year, pk = after
    rows = list(qs.filter(year=year, pk__lt=pk)[: size + 1])
    if len(rows) <= size:
        rows += list(qs.filter(year__lt=year)[: size + 1 - len(rows)])
    if len(rows) > size:
        return rows[:size], cursor_of(rows[size - 1])
    return rows, None


TASKS_SHOWN = 50


@dataclass(frozen=True)
class Tasks:
    """The cases of "Tugas saya", oldest wait first (at most `TASKS_SHOWN`), and how many wait
    in all."""

    cases: list[Innovation]
    total: int


def waiting_for(*, user: User | AnonymousUser, limit: int = TASKS_SHOWN) -> Tasks:
    """Cases waiting for this person ("Tugas saya"), oldest wait first, each with its
    `unit_name` and `waiting_since`; counted and cut to `limit` in SQL (an admin or a
    verifier has thousands waiting at national size)."""
    actor = actor_for(user)
    if not actor.user.is_authenticated:
        return Tasks(cases=[], total=0)
    # The office's own stages wait for its operators: a head finds them here only where the
    # unit has no active operator (the head's dashboard lists the unit's cases).
    staffed = Membership.objects.filter(
        ACTIVE_MEMBER,
        unit_id__in=actor.headed_units - actor.operated_units,
        position=Membership.Position.OPERATOR,
    )
    waiting = Innovation.objects.filter(policy.held_scope(actor)).exclude(
        awaiting=Holder.OPD, unit_id__in=staffed.values("unit_id")
    )
    rows = (
        waiting.only("id", "name", "stage", "year", "unit_id", "awaiting")
        .annotate(unit_name=F("unit__name"), waiting_since=Max("history__at"))
        .order_by("waiting_since", "id")
    )
    cases: list[Innovation] = list(rows[:limit])
    # Counted only when the page is full: most people have fewer than `limit` waiting.
    return Tasks(cases=cases, total=waiting.count() if len(cases) == limit else len(cases))


def innovation_page(*, pk: int) -> Innovation:
    """One innovation with everything its page shows, in a fixed number of queries."""
    return (
        Innovation.objects.select_related("unit", "main_urusan", "created_by", "process")
        .prefetch_related(
            "related_urusan",
            "priorities",
            "attachments",
            Prefetch(
                "sessions",
                queryset=MentoringSession.objects.select_related("mentor").prefetch_related(
                    "follow_ups", "attendees", "files"
                ),
            ),
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.select_related("indicator", "reviewed_by"),
            ),
            Prefetch("history", queryset=CaseEvent.objects.select_related("actor", "on_behalf_of")),
        )
        .get(pk=pk)
    )
