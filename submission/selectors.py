"""Reads of the national submission: the year's reporting window, the board of cases by unit
(not ready / ready / entered, with what is missing), and the counts the home pages show.

A case is READY when BRIDA's verification passed (it stands in reporting or later) and the
desk check finds nothing missing; ENTERED once its entry in the national portal is recorded;
NOT READY otherwise. Rejected and withdrawn cases are left out.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import (
    CANCELLED_STAGES,
    OFFICE_KINDS,
    VERIFIED_STAGES,
    Innovation,
    Milestone,
    Stage,
    Unit,
)
from workflow import deadlines, eligibility
from workflow.selectors import visible_innovations

from .models import NationalEntry

NOT_READY, READY, ENTERED = "not_ready", "ready", "entered"
STATUS_LABELS = {
    NOT_READY: _("Belum siap"),
    READY: _("Siap dientri"),
    ENTERED: _("Sudah dientri"),
}


@dataclass(frozen=True)
class Window:
    """The year's national reporting window, as far as its dates are known."""

    year: int
    opens: dt.date | None
    closes: dt.date
    source: str
    today: dt.date
    working_days_left: int  # from today to the close, both counted (0 once closed)

    @property
    def is_open(self) -> bool:
        return (self.opens is None or self.opens <= self.today) and self.today <= self.closes

    @property
    def upcoming(self) -> bool:
        return self.opens is not None and self.today < self.opens

    @property
    def closed(self) -> bool:
        return self.today > self.closes


def window(*, year: int, today: dt.date | None = None) -> Window | None:
    today = today or timezone.localdate()
    milestone = (
        Milestone.objects.filter(year=year, kind=Milestone.Kind.REPORTING)
        .select_related("source")
        .first()
    )
    if milestone is None:
        return None
    left = deadlines.calendar().count(today, milestone.ends) if today <= milestone.ends else 0
    return Window(
        year=year,
        opens=milestone.starts,
        closes=milestone.ends,
        source=milestone.source.citation if milestone.source else "",
        today=today,
        working_days_left=left,
    )


def _cases(*, user: User | AnonymousUser, year: int) -> QuerySet[Innovation]:
    return (
        visible_innovations(user=user)
        # The national IID takes the offices' innovations only (not the Pekan Inovasi's).
        .filter(year=year, unit__kind__in=OFFICE_KINDS)
        .exclude(stage__in=CANCELLED_STAGES)
        .annotate(entered=Exists(NationalEntry.objects.filter(innovation=OuterRef("pk"))))
    )


# --- the home pages' counts (SQL only: flat at any number of cases) -----------------------------


@dataclass(frozen=True)
class UnitCount:
    unit_id: int
    name: str
    not_ready: int
    ready: int
    entered: int


@dataclass(frozen=True)
class WindowSummary:
    window: Window
    not_ready: int
    ready: int
    entered: int
    units: tuple[UnitCount, ...]  # units with cases not ready, most first


def window_summary(
    *, user: User | AnonymousUser, year: int, today: dt.date | None = None, limit: int = 10
) -> WindowSummary | None:
    """During the year's window (and before it): working days to the close and the cases not
    ready by unit. Here "ready" counts every verified case, the desk check aside (the board
    has the details)."""
    found = window(year=year, today=today)
    if found is None or found.closed:
        return None
    verified = Q(stage__in=VERIFIED_STAGES)
    rows = (
        _cases(user=user, year=year)
        .values("unit_id", "unit__name")
        .annotate(
            not_ready=Count("pk", filter=~verified),
            ready=Count("pk", filter=verified & Q(entered=False)),
            entered=Count("pk", filter=Q(entered=True)),
        )
        .order_by()
    )
    units = [
        UnitCount(r["unit_id"], r["unit__name"], r["not_ready"], r["ready"], r["entered"])
        for r in rows
    ]
    waiting = sorted((u for u in units if u.not_ready), key=lambda u: (-u.not_ready, u.name))
    return WindowSummary(
        window=found,
        not_ready=sum(u.not_ready for u in units),
        ready=sum(u.ready for u in units),
        entered=sum(u.entered for u in units),
        units=tuple(waiting[:limit]),
    )


# --- the package's cases --------------------------------------------------------------------------

# A case has a package from packaging on (the desk check then says what is still missing).
PACKAGE_STAGES = (Stage.PACKAGING, Stage.PACKAGING_GATE, Stage.VERIFICATION, *VERIFIED_STAGES)


def package_cases(
    *, user: User | AnonymousUser, year: int, unit: Unit | None = None
) -> list[Innovation]:
    """The cases a unit's or the regency's package holds, as the person may see them."""
    cases = _cases(user=user, year=year).filter(stage__in=PACKAGE_STAGES)
    if unit is not None:
        cases = cases.filter(unit=unit)
    return list(cases.select_related("unit", "main_urusan").order_by("unit__name", "name", "pk"))


# --- the board -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLine:
    pk: int
    name: str
    stage_label: str
    status: str
    missing: tuple[str, ...]
    reference: str = ""
    entered_at: dt.datetime | None = None
    entered_by: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class UnitBoard:
    unit_id: int
    code: str
    name: str
    cases: tuple[CaseLine, ...]

    def count(self, status: str) -> int:
        return sum(case.status == status for case in self.cases)

    @property
    def not_ready(self) -> int:
        return self.count(NOT_READY)

    @property
    def ready(self) -> int:
        return self.count(READY)

    @property
    def entered(self) -> int:
        return self.count(ENTERED)


@dataclass(frozen=True)
class Board:
    year: int
    window: Window | None
    units: tuple[UnitBoard, ...]

    def total(self, status: str) -> int:
        return sum(unit.count(status) for unit in self.units)

    @property
    def total_not_ready(self) -> int:
        return self.total(NOT_READY)

    @property
    def total_ready(self) -> int:
        return self.total(READY)

    @property
    def total_entered(self) -> int:
        return self.total(ENTERED)


def case_line(innovation: Innovation, desk: eligibility.DeskCheck) -> CaseLine:
    """One case's status on the board and what keeps it from the national portal."""
    entry = getattr(innovation, "national_entry", None)
    stage_label = str(innovation.get_stage_display())
    if entry is not None:
        return CaseLine(
            pk=innovation.pk,
            name=innovation.name,
            stage_label=stage_label,
            status=ENTERED,
            missing=(),
            reference=entry.reference,
            entered_at=entry.entered_at,
            entered_by=entry.entered_by.get_full_name() or entry.entered_by.get_username(),
        )
    missing = [f"{check.label}: {check.detail}" for check in desk.missing]
    if innovation.stage not in VERIFIED_STAGES:
        missing.insert(
            0, _("Belum lolos verifikasi BRIDA (tahap %(stage)s)") % {"stage": stage_label}
        )
    return CaseLine(
        pk=innovation.pk,
        name=innovation.name,
        stage_label=stage_label,
        status=NOT_READY if missing else READY,
        missing=tuple(missing),
    )


def board(*, user: User | AnonymousUser, year: int, today: dt.date | None = None) -> Board:
    """Every case of the year the person may see, by unit, with its status (a fixed number of
    queries: the cases, their evidence, urusan and priorities, the entries, the year's rules)."""
    cases = list(
        _cases(user=user, year=year)
        .select_related("unit", "national_entry__entered_by")
        .order_by("unit__name", "name", "pk")
    )
    eligibility.with_checked_relations(cases)
    basis = eligibility.year_basis(year)
    by_unit: dict[int, list[CaseLine]] = defaultdict(list)
    units = {}
    for innovation in cases:
        units[innovation.unit_id] = innovation.unit
        by_unit[innovation.unit_id].append(
            case_line(innovation, eligibility.desk_check(innovation, basis))
        )
    return Board(
        year=year,
        window=window(year=year, today=today),
        units=tuple(
            UnitBoard(unit_id=pk, code=units[pk].code, name=units[pk].name, cases=tuple(lines))
            for pk, lines in by_unit.items()
        ),
    )
