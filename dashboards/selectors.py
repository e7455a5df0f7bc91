"""Reads for the role home pages (issue 5): mentor, OPD head, BRIDA admin and observer.

Every function is keyword-only and costs a fixed number of SQL queries whatever the number of
units, innovations or stage visits: figures are aggregated in SQL (grouped, conditional Count),
names of the few rows shown come from correlated subqueries, each unit's next follow-up from a
window function, and the only per-row Python work is on rows already fetched (working days,
percentiles).

"Overdue" and "due soon" follow workflow.deadlines: the open stage visit's `due_date` is the last
working day to act; a case is overdue once a working day after it has come (`due_date` before
the calendar's overdue cutoff), and due soon when the visit's reminder date has come but the case
is not overdue (its due date, "due today", included).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import (
    CharField,
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from core import generations, params
from core.params import MAX_YEAR, MIN_YEAR
from dashboards.freshness import CACHE_SECONDS, DASHBOARDS
from mentoring.models import (
    CANCELLED_STAGES,
    COMMUNITY_KINDS,
    OPEN_STAGES,
    FollowUp,
    Holder,
    Innovation,
    Membership,
    MentorAssignment,
    Role,
    Stage,
    Unit,
    UnitKind,
)
from mentoring.names import full_name_expression
from mentoring.people import actor_for
from scoring import selectors as scoring
from submission import selectors as submission
from workflow import deadlines
from workflow.lifecycle import DEFAULT_SLA_DAYS
from workflow.models import StageVisit

# Stages with a clock, in lifecycle order (the cycle-time chart's rows).
TIMED_STAGES = tuple(DEFAULT_SLA_DAYS)
# Lists on the home page are capped; the full lists are the innovation list's filters.
ATTENTION_LIMIT = 25
OVERDUE_LIMIT = 15
UNITS_WITHOUT_LIMIT = 100


# --- data shapes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One case with its open visit's clock and who holds it."""

    pk: int
    name: str
    year: int
    unit_id: int
    unit_name: str
    stage: str
    stage_label: str
    holder: str
    holder_label: str
    holder_name: str
    waiting_since: dt.datetime | None
    due_date: dt.date | None
    days_overdue: int
    due_soon: bool


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class UnitLine:
    """One unit on a mentor's home: its innovations of the year and what needs attention."""

    unit_id: int
    code: str
    name: str
    is_lead: bool
    by_stage: tuple[StageCount, ...]
    total: int
    active: int  # new (not continued), not rejected or withdrawn: the regent's target
    overdue: int
    due_soon: int
    last_session: dt.date | None
    next_follow_up: str
    next_follow_up_due: dt.date | None
    next_follow_up_case: int | None
    next_follow_up_late: bool
    continued: int = 0  # continuations of earlier years' innovations, not rejected/withdrawn

    @property
    def without_innovation(self) -> bool:
        return self.active == 0


@dataclass(frozen=True)
class FollowUpRow:
    """An open follow-up item whose date has passed, with its case."""

    pk: int
    description: str
    due_date: dt.date
    case_id: int
    case_name: str
    unit_name: str


@dataclass(frozen=True)
class MentorDashboard:
    year: int
    units: tuple[UnitLine, ...]
    attention: tuple[CaseRow, ...]  # overdue first, then due soon (capped)
    overdue: int
    due_soon: int
    units_without: int
    late_follow_ups: tuple[FollowUpRow, ...] = ()  # not done and past their date (capped)


@dataclass(frozen=True)
class HeadUnit:
    unit_id: int
    name: str
    approvals: tuple[CaseRow, ...]  # oldest wait first
    innovations: tuple[CaseRow, ...]
    active: int  # new innovations (not continued), not rejected or withdrawn
    continued: int = 0

    @property
    def target_met(self) -> bool:
        return self.active >= 1


@dataclass(frozen=True)
class HeadDashboard:
    year: int
    units: tuple[HeadUnit, ...]


@dataclass(frozen=True)
class KindCompliance:
    kind: str
    label: str
    met: int
    total: int


@dataclass(frozen=True)
class MentorLoad:
    mentor_id: int
    name: str
    units: int
    lead_units: int
    open_cases: int
    overdue: int


@dataclass(frozen=True)
class CycleTime:
    """Working days spent in one stage by the visits of the year that ended."""

    stage: str
    label: str
    visits: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class UnitBrief:
    code: str
    name: str
    kind_label: str


@dataclass(frozen=True)
class Summary:
    """The BRIDA admin's and the observer's summary of one programme year."""

    year: int
    pipeline: tuple[StageCount, ...]
    innovations: int
    units_total: int
    units_met: int
    by_kind: tuple[KindCompliance, ...]
    units_without: tuple[UnitBrief, ...]  # capped at UNITS_WITHOUT_LIMIT
    units_without_count: int
    mentors: tuple[MentorLoad, ...]
    overdue: tuple[CaseRow, ...]  # capped at OVERDUE_LIMIT
    overdue_count: int
    cycle: tuple[CycleTime, ...]
    # Not rejected or withdrawn: the offices' new and continued innovations, and those of the
    # proposers beyond the offices (Pekan Inovasi), which the target and units_* leave out.
    new_innovations: int = 0
    continued_innovations: int = 0
    community_innovations: int = 0

    @property
    def compliance_percent(self) -> int:
        return round(100 * self.units_met / self.units_total) if self.units_total else 0


@dataclass(frozen=True)
class IidPanel:
    estimate: scoring.Estimate | None
    steps: tuple[scoring.Step, ...]
    missing: str = ""  # why there is no estimate (no ruleset for the year)

    @property
    def top_band(self) -> scoring.Band | None:
        """The year's highest predicate band ("Sangat Inovatif" in the rulesets so far)."""
        if self.estimate is None or not self.estimate.bands:
            return None
        return max(self.estimate.bands, key=lambda band: band.lower)

    @property
    def gap_to_top(self) -> Decimal | None:
        """Points (on the unrounded IID) still missing to the highest band; None once in it."""
        top = self.top_band
        if self.estimate is None or top is None or self.estimate.iid_exact >= top.lower:
            return None
        return top.lower - self.estimate.iid_exact


@dataclass(frozen=True)
class HomeDashboard:
    year: int
    mentor: MentorDashboard | None = None
    head: HeadDashboard | None = None
    summary: Summary | None = None
    iid: IidPanel | None = None
    national: submission.WindowSummary | None = None  # the reporting window, while it runs
    read_only: bool = True
    sections: tuple[str, ...] = field(default=())


# --- helpers ----------------------------------------------------------------------------------


def programme_year(*, raw: str | None, today: dt.date | None = None) -> tuple[int, str]:
    """The year asked for in `?year=` (default: this year in WITA) and an error text when the
    value is not a year (the page then shows the current year)."""
    current = (today or timezone.localdate()).year
    raw = (raw or "").strip()
    if not raw:
        return current, ""
    if (year := params.year(raw)) is not None:
        return year, ""
    return current, _("Tahun program harus berupa tahun antara %(min)d dan %(max)d.") % {
        "min": MIN_YEAR,
        "max": MAX_YEAR,
    }


def percentile(values: Iterable[float] | Mapping[float, int], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL percentile_cont); None if empty.

    `values` may come counted (value -> how many times), as many visits share a duration: the
    work then follows the number of distinct values."""
    counts = values if isinstance(values, Mapping) else Counter(values)
    ordered = sorted(value for value, count in counts.items() if count > 0)
    # ends[i]: how many values are <= ordered[i]; the value of rank r is the first whose end > r.
    ends = list(accumulate(counts[value] for value in ordered))
    if not ends:
        return None
    position = fraction * (ends[-1] - 1)
    low = ordered[bisect.bisect_right(ends, math.floor(position))]
    high = ordered[bisect.bisect_right(ends, math.ceil(position))]
    return low + (high - low) * (position - math.floor(position))


# Annotated querysets are typed QuerySet[Any, Any]: their lookups name annotations (the open
# visit, the holders' names) that the model alone does not have.
Annotated = QuerySet[Any, Any]


def _with_clock(qs: QuerySet[Innovation]) -> Annotated:
    """The open visit's dates and the names of the people holding the case, in the same query
    (head of the unit, lead mentor of the unit and year)."""
    person = full_name_expression("user__")
    mentor = full_name_expression("mentor__")
    head = Membership.objects.filter(
        unit_id=OuterRef("unit_id"), position=Membership.Position.HEAD
    ).annotate(person=person)
    lead = MentorAssignment.objects.filter(
        unit_id=OuterRef("unit_id"), year=OuterRef("year"), is_lead=True
    ).annotate(person=mentor)
    return qs.annotate(
        clock=FilteredRelation("visits", condition=Q(visits__left_at__isnull=True)),
        due_date=F("clock__due_date"),
        remind_on=F("clock__remind_on"),
        holder=F("clock__holder"),
        entered_at=F("clock__entered_at"),
        head_name=Subquery(head.values("person")[:1], output_field=CharField()),
        mentor_name=Subquery(lead.values("person")[:1], output_field=CharField()),
        # A subquery, not a join: evaluated for the rows kept after ORDER BY ... LIMIT only, so
        # a misestimated join cannot turn a 15-row list into a scan of units x cases.
        unit_name=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]),
    )


def _soonest_due(*, year: int, limit: int, **visit_filters: Any) -> Annotated:
    """The open cases of `year` whose open visit matches `visit_filters`, soonest due first
    (at most `limit`, with their clocks). Read along the open visits' due-date index (a visit
    knows its case's year): sorting all of a year's matching cases for a short list took
    25-45 ms at 50,000 a year."""
    soonest = (
        StageVisit.objects.filter(
            year=year, left_at__isnull=True, innovation__stage__in=OPEN_STAGES, **visit_filters
        )
        .order_by("due_date", "innovation_id")
        .values_list("innovation_id", flat=True)[:limit]
    )
    return _with_clock(Innovation.objects.filter(pk__in=list(soonest))).order_by("due_date", "pk")


def _case_rows(qs: Annotated, *, today: dt.date, days: deadlines.WorkingCalendar) -> list[CaseRow]:
    stages, holders = dict(Stage.choices), dict(Holder.choices)
    rows = []
    for case in qs.values(
        "pk",
        "name",
        "year",
        "unit_id",
        "unit_name",
        "stage",
        "awaiting",
        "holder",
        "entered_at",
        "due_date",
        "remind_on",
        "head_name",
        "mentor_name",
    ):
        holder = case["holder"] or case["awaiting"]
        names = {
            Holder.HEAD: case["head_name"],
            Holder.MENTOR: case["mentor_name"],
            Holder.OPD: case["unit_name"],
        }
        due = case["due_date"]
        late = days.days_overdue(due, today)
        rows.append(
            CaseRow(
                pk=case["pk"],
                name=case["name"],
                year=case["year"],
                unit_id=case["unit_id"],
                unit_name=case["unit_name"],
                stage=case["stage"],
                stage_label=str(stages.get(case["stage"], case["stage"])),
                holder=holder,
                holder_label=str(holders.get(holder, holder)),
                holder_name=names.get(holder) or "",
                waiting_since=case["entered_at"],
                due_date=due,
                days_overdue=late,
                due_soon=bool(
                    due and not late and case["remind_on"] and case["remind_on"] <= today
                ),
            )
        )
    return rows


def _open_visit_alias(qs: QuerySet[Innovation]) -> Annotated:
    return qs.alias(
        open_visit=FilteredRelation("visits", condition=Q(visits__left_at__isnull=True))
    )


def _overdue_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}open_visit__due_date__lt": deadlines.overdue_cutoff(today)})


def _due_soon_q(today: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}open_visit__due_date__gte": deadlines.overdue_cutoff(today),
            f"{prefix}open_visit__remind_on__lte": today,
        }
    )


# A new innovation, as the regent's target counts it: not the continuation of an earlier year's.
_NEW = Q(continues__isnull=True)


def _of_year_active(year: int) -> Q:
    """A unit's innovations of `year` that are not rejected or withdrawn (through `innovations`)."""
    return Q(innovations__year=year) & ~Q(innovations__stage__in=CANCELLED_STAGES)


def unit_figures(
    *, year: int, today: dt.date, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per unit (one grouped query): innovations of the year by stage (`stage:<value>` keys),
    `total`, `active` (new ones not rejected/withdrawn: the regent's target), `continued`
    (continuations not rejected/withdrawn), `open`, `overdue` and `due_soon`."""
    qs = _open_visit_alias(Innovation.objects.filter(year=year))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    per_stage = {f"stage:{value}": Count("pk", filter=Q(stage=value)) for value in Stage.values}
    rows = (
        qs.values("unit_id")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=_NEW & ~Q(stage__in=CANCELLED_STAGES)),
            continued=Count("pk", filter=~_NEW & ~Q(stage__in=CANCELLED_STAGES)),
            open=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
            overdue=Count("pk", filter=_overdue_q(today)),
            due_soon=Count("pk", filter=_due_soon_q(today)),
            **per_stage,
        )
        .order_by()
    )
    return {
        row["unit_id"]: {name: value for name, value in row.items() if name != "unit_id"}
        for row in rows
    }


def _stage_counts(figures: dict[str, int] | None) -> tuple[StageCount, ...]:
    figures = figures or {}
    return tuple(
        StageCount(stage=value, label=str(label), count=figures.get(f"stage:{value}", 0))
        for value, label in Stage.choices
        if figures.get(f"stage:{value}", 0)
    )


# --- mentor -----------------------------------------------------------------------------------


def mentor_dashboard(*, user: User, year: int, today: dt.date | None = None) -> MentorDashboard:
    """The units assigned to `user` in `year`, with their figures and what is overdue or due
    soon (7 queries + the cached holiday calendar)."""
    today = today or timezone.localdate()
    # The user's own assignments, and those of a mentor on leave they stand in for today.
    mine = Q(mentor=user)
    for (unit_id, assigned_year), absent_id in actor_for(user).acting_mentor.items():
        mine |= Q(unit_id=unit_id, year=assigned_year, mentor_id=absent_id)
    # The last session of each unit's cases of the year: one grouped join, not a subquery per
    # unit (which PostgreSQL may answer with a scan of every session each time).
    assignments = list(
        MentorAssignment.objects.filter(mine, year=year)
        .alias(
            of_year=FilteredRelation("unit__innovations", condition=Q(unit__innovations__year=year))
        )
        .annotate(
            unit_code=F("unit__code"),
            unit_name=F("unit__name"),
            last_session=Max("of_year__sessions__date"),
        )
        .order_by("unit__name", "unit_id")
    )
    unit_ids = [a.unit_id for a in assignments]
    figures = unit_figures(year=year, today=today, unit_ids=unit_ids)
    open_follow_ups = FollowUp.objects.filter(
        done=False,
        session__innovation__unit_id__in=unit_ids,
        session__innovation__year=year,
        session__innovation__stage__in=OPEN_STAGES,
    )
    # Each unit's first open follow-up (by date, then id): one windowed query for all units.
    next_follow_ups = {
        unit_id: (description, due, case_id)
        for unit_id, description, due, case_id in open_follow_ups.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("session__innovation__unit_id"),
                order_by=(F("due_date"), F("id")),
            )
        )
        .filter(rank=1)
        .values_list(
            "session__innovation__unit_id", "description", "due_date", "session__innovation_id"
        )
    }
    units = []
    for a in assignments:
        f = figures.get(a.unit_id, {})
        follow_up, follow_up_due, follow_up_case = next_follow_ups.get(a.unit_id, ("", None, None))
        units.append(
            UnitLine(
                unit_id=a.unit_id,
                code=a.unit_code,
                name=a.unit_name,
                is_lead=a.is_lead,
                by_stage=_stage_counts(f),
                total=f.get("total", 0),
                active=f.get("active", 0),
                overdue=f.get("overdue", 0),
                due_soon=f.get("due_soon", 0),
                last_session=a.last_session,
                next_follow_up=follow_up,
                next_follow_up_due=follow_up_due,
                next_follow_up_case=follow_up_case,
                next_follow_up_late=bool(follow_up_due and follow_up_due < today),
                continued=f.get("continued", 0),
            )
        )
    attention = _soonest_due(
        year=year,
        limit=ATTENTION_LIMIT,
        remind_on__lte=today,
        innovation__unit_id__in=unit_ids,
    )
    late = (
        open_follow_ups.filter(due_date__lt=today)
        .order_by("due_date", "id")
        .values_list(
            "pk",
            "description",
            "due_date",
            "session__innovation_id",
            "session__innovation__name",
            "session__innovation__unit__name",
        )[:ATTENTION_LIMIT]
    )
    return MentorDashboard(
        year=year,
        units=tuple(units),
        attention=tuple(_case_rows(attention, today=today, days=deadlines.calendar())),
        overdue=sum(u.overdue for u in units),
        due_soon=sum(u.due_soon for u in units),
        units_without=sum(u.without_innovation for u in units),
        late_follow_ups=tuple(FollowUpRow(*row) for row in late),
    )


# --- OPD head ---------------------------------------------------------------------------------


def head_dashboard(
    *, unit_ids: Iterable[int], year: int, today: dt.date | None = None
) -> HeadDashboard:
    """For each unit the person heads: approvals waiting (oldest first, any year), the unit's
    innovations of the year and whether it met the year's target (3 queries)."""
    today = today or timezone.localdate()
    unit_ids = sorted(unit_ids)
    units = list(
        Unit.objects.filter(pk__in=unit_ids)
        .annotate(
            active=Count(
                "innovations",
                filter=_of_year_active(year) & Q(innovations__continues__isnull=True),
            ),
            continued=Count(
                "innovations",
                filter=_of_year_active(year) & Q(innovations__continues__isnull=False),
            ),
        )
        .order_by("name", "pk")
    )
    days = deadlines.calendar()
    waiting = _with_clock(
        Innovation.objects.filter(unit_id__in=unit_ids, awaiting=Holder.HEAD)
    ).order_by("entered_at", "pk")
    of_year = _with_clock(Innovation.objects.filter(unit_id__in=unit_ids, year=year)).order_by(
        "-pk"
    )
    approvals: defaultdict[int, list[CaseRow]] = defaultdict(list)
    innovations: defaultdict[int, list[CaseRow]] = defaultdict(list)
    for qs, into in ((waiting, approvals), (of_year, innovations)):
        for row in _case_rows(qs, today=today, days=days):
            into[row.unit_id].append(row)
    return HeadDashboard(
        year=year,
        units=tuple(
            HeadUnit(
                unit_id=unit.pk,
                name=unit.name,
                approvals=tuple(approvals[unit.pk]),
                innovations=tuple(innovations[unit.pk]),
                active=unit.active,
                continued=unit.continued,
            )
            for unit in units
        ),
    )


# --- BRIDA admin / observer summary -----------------------------------------------------------


def pipeline(*, year: int) -> tuple[StageCount, ...]:
    """Innovations of the year per stage, every stage listed (one grouped query)."""
    counts = dict(
        Innovation.objects.filter(year=year)
        .values("stage")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("stage", "n")
    )
    return tuple(
        StageCount(stage=value, label=str(label), count=counts.get(value, 0))
        for value, label in Stage.choices
    )


def _open_per_unit(*, year: int, today: dt.date) -> dict[int, tuple[int, int]]:
    """Unit -> (open cases of `year`, how many of them are overdue), one grouped query."""
    rows = (
        _open_visit_alias(Innovation.objects.filter(year=year, stage__in=OPEN_STAGES))
        .values("unit_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=_overdue_q(today)))
        .order_by()
    )
    return {row["unit_id"]: (row["open"], row["overdue"]) for row in rows}


def mentor_workload(
    *, year: int, today: dt.date, per_unit: Mapping[int, tuple[int, int]] | None = None
) -> tuple[MentorLoad, ...]:
    """Per mentor assigned in `year`: units (and as lead), open cases of those units in the
    year and how many of them are overdue (two queries; one when the caller has `per_unit`,
    _open_per_unit's answer, already).

    The year's open cases are counted per unit first and then added up per mentor: joining
    every assignment to every open case and counting distinct cases took 90 ms at 50,000 cases
    a year (issue 14); a unit's cases are its mentors' whichever way round."""
    cases = per_unit if per_unit is not None else _open_per_unit(year=year, today=today)
    assignments = (
        MentorAssignment.objects.filter(year=year)
        .values("mentor_id", "mentor__username", "unit_id", "is_lead")
        .annotate(mentor_name=full_name_expression("mentor__"))
        .order_by()
    )
    units: dict[int, set[int]] = defaultdict(set)
    lead: dict[int, set[int]] = defaultdict(set)
    names: dict[int, tuple[str, str]] = {}
    for row in assignments:
        mentor = row["mentor_id"]
        names[mentor] = (row["mentor_name"], row["mentor__username"])
        units[mentor].add(row["unit_id"])
        if row["is_lead"]:
            lead[mentor].add(row["unit_id"])
    loads = []
    for mentor, (name, _username) in names.items():
        counts = [cases.get(unit, (0, 0)) for unit in units[mentor]]
        loads.append(
            MentorLoad(
                mentor_id=mentor,
                name=name,
                units=len(units[mentor]),
                lead_units=len(lead[mentor]),
                open_cases=sum(open_ for open_, _overdue in counts),
                overdue=sum(overdue for _open, overdue in counts),
            )
        )
    return tuple(
        sorted(loads, key=lambda load: (-load.overdue, -load.open_cases, names[load.mentor_id][1]))
    )


def cycle_times(*, year: int) -> tuple[CycleTime, ...]:
    """Median and 90th percentile of the working days each finished visit of the year's cases
    spent in its stage (one query, grouped by stage and the visits' stored local days: the rows
    returned follow the number of distinct dates, not of visits, and come off one index)."""
    days = deadlines.calendar()
    spent: dict[str, Counter[int]] = defaultdict(Counter)  # working days -> visits
    # No stage filter: visits are opened for TIMED_STAGES alone, the only ones reported below,
    # and a filter would cost the index scan a check per row. Both days are set (the cast):
    # left_on by the filter, entered_on with every visit (new_visit, StageVisit.save).
    rows = cast(
        Iterable[tuple[str, dt.date, dt.date, int]],
        StageVisit.objects.filter(year=year, left_on__isnull=False)
        .values("stage", "entered_on", "left_on")
        .annotate(visits=Count("*"))
        .order_by()
        .values_list("stage", "entered_on", "left_on", "visits"),
    )
    memo: dict[tuple[dt.date, dt.date], int] = {}
    for stage, entered, left, count in rows:
        if (entered, left) not in memo:
            memo[(entered, left)] = days.count(entered + dt.timedelta(days=1), left)
        spent[stage][memo[(entered, left)]] += count
    labels = dict(Stage.choices)
    return tuple(
        CycleTime(
            stage=stage,
            label=str(labels[stage]),
            visits=spent[stage].total(),
            median=percentile(spent[stage], 0.5),
            p90=percentile(spent[stage], 0.9),
        )
        for stage in TIMED_STAGES
    )


def summary(*, year: int, today: dt.date | None = None) -> Summary:
    """Pipeline, per-unit target compliance, mentor workload, overdue list and cycle times of
    the year (8 queries + the cached holiday calendar)."""
    today = today or timezone.localdate()
    stages = pipeline(year=year)
    # The join carries the year in its ON clause (a FilteredRelation): it reads the year's
    # innovations through the (year, unit) index, not every year's (issue 14).
    rows = list(
        Unit.objects.alias(
            of_year=FilteredRelation(
                "innovations",
                condition=Q(innovations__year=year) & ~Q(innovations__stage__in=CANCELLED_STAGES),
            )
        )
        .annotate(
            active=Count("of_year", filter=Q(of_year__continues__isnull=True)),
            continued=Count("of_year", filter=Q(of_year__continues__isnull=False)),
        )
        .order_by("name", "pk")
        .values_list("code", "name", "kind", "active", "continued")
    )
    # The regent's target is the offices': one new innovation each a year. The proposers
    # beyond them (Pekan Inovasi) are counted apart.
    units = [row for row in rows if row[2] not in COMMUNITY_KINDS]
    kinds = dict(UnitKind.choices)
    met: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    without = []
    for code, name, kind, active, _continued in units:
        total[kind] += 1
        met[kind] += active > 0
        if not active:
            without.append(UnitBrief(code=code, name=name, kind_label=str(kinds.get(kind, kind))))
    per_unit = _open_per_unit(year=year, today=today)
    overdue_rows = _soonest_due(
        year=year, limit=OVERDUE_LIMIT, due_date__lt=deadlines.overdue_cutoff(today)
    )
    return Summary(
        year=year,
        pipeline=stages,
        innovations=sum(s.count for s in stages),
        units_total=len(units),
        units_met=sum(met.values()),
        by_kind=tuple(
            KindCompliance(kind=value, label=str(label), met=met[value], total=total[value])
            for value, label in UnitKind.choices
            if total[value]
        ),
        units_without=tuple(without[:UNITS_WITHOUT_LIMIT]),
        units_without_count=len(without),
        mentors=mentor_workload(year=year, today=today, per_unit=per_unit),
        overdue=tuple(_case_rows(overdue_rows, today=today, days=deadlines.calendar())),
        overdue_count=sum(overdue for _open, overdue in per_unit.values()),
        cycle=cycle_times(year=year),
        new_innovations=sum(row[3] for row in units),
        continued_innovations=sum(row[4] for row in units),
        community_innovations=sum(row[3] + row[4] for row in rows if row[2] in COMMUNITY_KINDS),
    )


def iid_panel(*, year: int, limit: int = scoring.PANEL_STEPS) -> IidPanel:
    """The regency's estimated IID of the year and the top next best steps (cached until
    their inputs change)."""
    try:
        estimate, steps = scoring.cached_estimate_and_steps(year=year, limit=limit)
    except scoring.RulesetMissing as missing:
        return IidPanel(estimate=None, steps=(), missing=str(missing))
    return IidPanel(estimate=estimate, steps=tuple(steps))


# --- the case page: every stage visit's due and actual dates (issue 4) ------------------------


@dataclass(frozen=True)
class VisitRow:
    stage: str
    stage_label: str
    holder_label: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    sla_days: int | None
    due_date: dt.date | None
    days_late: int  # working days past due: at the exit for a finished visit, today if open

    @property
    def is_open(self) -> bool:
        return self.left_at is None


def visit_rows(*, innovation: Innovation, today: dt.date | None = None) -> list[VisitRow]:
    """The case's stage visits in order, with due date, entry/exit and lateness (one prefetch
    query; the holiday calendar is cached)."""
    today = today or timezone.localdate()
    prefetch_related_objects([innovation], "visits")
    visits = list(innovation.visits.all())
    days = deadlines.calendar() if any(v.due_date for v in visits) else None
    stages, holders = dict(Stage.choices), dict(Holder.choices)
    rows = []
    for visit in visits:
        end = timezone.localdate(visit.left_at) if visit.left_at else today
        rows.append(
            VisitRow(
                stage=visit.stage,
                stage_label=str(stages.get(visit.stage, visit.stage)),
                holder_label=str(holders.get(visit.holder, visit.holder)),
                entered_at=visit.entered_at,
                left_at=visit.left_at,
                sla_days=visit.sla_days,
                due_date=visit.due_date,
                days_late=days.days_overdue(visit.due_date, end) if days else 0,
            )
        )
    return rows


# --- the home page ----------------------------------------------------------------------------


def cached_summary(*, year: int, today: dt.date | None = None) -> Summary:
    """summary(), from the shared cache while nothing it reads has changed (the timers keep
    this year's computed: warm_dashboards)."""
    today = today or timezone.localdate()
    return generations.cached(
        DASHBOARDS,
        f"summary:{year}:{today}",
        lambda: summary(year=year, today=today),
        timeout=CACHE_SECONDS,
    )


def home_dashboard(*, user: User, year: int, today: dt.date | None = None) -> HomeDashboard:
    """The sections of `user`'s home page below "Tugas saya", one per role they hold: mentor
    (units assigned in `year`), OPD head (units they head), admin (summary + IID estimate),
    observer (the same, read-only). The query count depends on the roles, never on the data."""
    today = today or timezone.localdate()
    actor = actor_for(user)
    sections: list[str] = []
    mentor = head = board = iid = None
    # A substitute (Plt./Plh., a mentor's substitute) sees the section of whom they stand in for.
    if actor.has(Role.MENTOR) or actor.acting_mentor:
        mentor = generations.cached(
            DASHBOARDS,
            f"mentor:{user.pk}:{year}:{today}",
            lambda: mentor_dashboard(user=user, year=year, today=today),
            timeout=CACHE_SECONDS,
        )
        sections.append("mentor")
    if headed := actor.headed_units:
        head = head_dashboard(unit_ids=headed, year=year, today=today)
        sections.append("head")
    national = None
    if actor.is_admin or actor.has(Role.OBSERVER):
        board = cached_summary(year=year, today=today)
        iid = iid_panel(year=year)
        national = submission.window_summary(user=user, year=year, today=today)
        sections += ["summary", "iid"]
    return HomeDashboard(
        year=year,
        national=national,
        mentor=mentor,
        head=head,
        summary=board,
        iid=iid,
        read_only=not actor.is_admin,
        sections=tuple(sections),
    )
