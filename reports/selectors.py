"""Reads for reports: export tables, per-unit target compliance, pipeline, the yearly report.

Every function returns only what the user may see (workflow.selectors.visible_innovations and
the units behind it) and costs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import CharField, Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core import generations
from dashboards.freshness import CACHE_SECONDS, DASHBOARDS
from mentoring.models import (
    CANCELLED_STAGES,
    COMMUNITY_KINDS,
    OFFICE_KINDS,
    OPEN_STAGES,
    VERIFIED_STAGES,
    Bentuk,
    Holder,
    Inisiator,
    Jenis,
    Maturity,
    MentorAssignment,
    PekanCategory,
    Stage,
    Unit,
    UnitKind,
)
from mentoring.names import full_name_expression
from mentoring.people import actor_for
from scoring import selectors as scoring
from workflow import selectors as case_selectors

# Compliance columns (stage the case stands in now).
PAST_PROPOSAL_STAGES = (*OPEN_STAGES[OPEN_STAGES.index(Stage.MENTORING) :], Stage.DONE)

PIPELINE_STAGES = [value for value, _label in Stage.choices]
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Table:
    """A report table: translated headers and rows produced lazily (for streaming)."""

    title: str
    headers: list[str]
    rows: Iterable[Sequence[Any]]


def _lead_mentor(*, unit_ref, year_ref) -> Subquery:
    """The name of the unit's lead mentor in the year (full name, else the username), as a
    correlated subquery."""
    return Subquery(
        MentorAssignment.objects.filter(unit=unit_ref, year=year_ref, is_lead=True)
        .order_by("pk")
        .annotate(person=full_name_expression("mentor__"))
        .values("person")[:1],
        output_field=CharField(),
    )


# --- innovation list export -------------------------------------------------------------------

_INNOVATION_FIELDS = (
    "pk",
    "name",
    "unit__code",
    "unit__name",
    "year",
    "bentuk",
    "jenis",
    "inisiator",
    "inisiator_name",
    "main_urusan__name",
    "maturity",
    "stage",
    "awaiting",
    "due_date",
    "lead_mentor",
    "trial_date",
    "implementation_date",
    "budget",
    "report_beneficiaries",
    "created_at",
)


def innovation_headers() -> list[str]:
    return [
        _("ID"),
        _("Nama inovasi"),
        _("Kode unit"),
        _("Unit"),
        _("Tahun"),
        _("Bentuk inovasi"),
        _("Jenis inovasi"),
        _("Inisiator"),
        _("Nama inisiator"),
        _("Urusan utama"),
        _("Tahapan"),
        _("Tahap"),
        _("Menunggu"),
        _("Tenggat"),
        _("Pendamping utama"),
        _("Waktu uji coba"),
        _("Waktu penerapan"),
        _("Anggaran (Rp)"),
        _("Jumlah penerima manfaat"),
        _("Dibuat"),
    ]


def _labels(choices) -> dict[str, str]:
    # Resolved now, in the request's language: a streamed body is produced after the view returns.
    return {value: str(label) for value, label in choices}


def innovation_export(*, user: User, params, ids: Iterable[int] | None = None) -> Table:
    """The innovation list as the list page filters it (same GET params), optionally only the
    rows `ids`; raises workflow.errors.GuardFailed on a bad filter value."""
    qs = case_selectors.innovation_list(user=user, params=params)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    lead = _lead_mentor(unit_ref=OuterRef("unit_id"), year_ref=OuterRef("year"))
    qs = qs.annotate(lead_mentor=lead)
    labels = {
        "bentuk": _labels(Bentuk.choices),
        "jenis": _labels(Jenis.choices),
        "inisiator": _labels(Inisiator.choices),
        "maturity": _labels(Maturity.choices),
        "stage": _labels(Stage.choices),
        "awaiting": _labels(Holder.choices),
    }
    zone = timezone.get_current_timezone()
    positions = {name: index for index, name in enumerate(_INNOVATION_FIELDS)}

    def rows() -> Iterator[list[Any]]:
        values = qs.values_list(*_INNOVATION_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
        for raw in values:
            row = list(raw)
            for name, names in labels.items():
                row[positions[name]] = names.get(row[positions[name]], row[positions[name]])
            created = row[positions["created_at"]]
            if created is not None:
                row[positions["created_at"]] = created.astimezone(zone).replace(tzinfo=None)
            yield row

    return Table(title=_("Daftar inovasi"), headers=innovation_headers(), rows=rows())


# --- per-unit target compliance ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitCompliance:
    unit_id: int
    code: str
    name: str
    kind: str
    lead_mentor: str
    total: int  # innovations of the year, any stage
    active: int  # new (not continued) and not rejected or withdrawn: the regent's target
    past_proposal: int
    verified: int
    done: int
    continued: int = 0  # continuations of earlier years' innovations, not rejected/withdrawn

    @property
    def target_met(self) -> bool:
        """The regent's target: at least one NEW innovation this year that is not
        rejected/withdrawn (a continuation does not count)."""
        return self.active > 0


@dataclass(frozen=True)
class ComplianceSummary:
    year: int
    units: list[UnitCompliance] = field(default_factory=list)

    @property
    def unit_count(self) -> int:
        return len(self.units)

    @property
    def met_count(self) -> int:
        return sum(1 for unit in self.units if unit.target_met)

    @property
    def missing(self) -> list[UnitCompliance]:
        return [unit for unit in self.units if not unit.target_met]

    @property
    def met_percent(self) -> float:
        return 100.0 * self.met_count / self.unit_count if self.units else 0.0

    def total(self, attribute: str) -> int:
        return sum(getattr(unit, attribute) for unit in self.units)


def visible_units(*, user: User, year: int) -> QuerySet[Unit]:
    """Units whose figures the user may see: all for admin/verifier/observer, else their own
    units and (mentors) the units assigned to them for `year`."""
    actor = actor_for(user)
    if actor.sees_everything:
        return Unit.objects.all()
    # headed_units / mentored: own, or stood in for today (Plt./Plh., a mentor's substitute).
    ids = set(actor.headed_units)
    if actor.has("opd_operator"):
        ids |= actor.operator_of
    ids |= {unit_id for unit_id, assigned_year in actor.mentored if assigned_year == year}
    return Unit.objects.filter(pk__in=ids)


def compliance(*, user: User, year: int) -> ComplianceSummary:
    """Per office for `year`: innovations, how many past proposal / verified / done, target met
    (the proposers beyond the offices, Pekan Inovasi, have no target). One query, or none:
    the figures of every office, the same for all who see everything, are kept in the shared
    cache while nothing they count changes (at 50,000 cases a year counting takes ~70 ms)."""
    if actor_for(user).sees_everything:
        return generations.cached(
            DASHBOARDS,
            f"compliance:{year}",
            lambda: _compliance(units=Unit.objects.all(), year=year),
            timeout=CACHE_SECONDS,
        )
    return _compliance(units=visible_units(user=user, year=year), year=year)


def _compliance(*, units: QuerySet[Unit], year: int) -> ComplianceSummary:
    # The join carries the year in its ON clause (a FilteredRelation): it reads the year's
    # innovations through the (year, unit) index, not every year's (issue 14).
    live = ~Q(of_year__stage__in=CANCELLED_STAGES)
    rows = (
        units.filter(kind__in=OFFICE_KINDS)
        .alias(of_year=FilteredRelation("innovations", condition=Q(innovations__year=year)))
        .annotate(
            total=Count("of_year"),
            active=Count("of_year", filter=live & Q(of_year__continues__isnull=True)),
            continued=Count("of_year", filter=live & Q(of_year__continues__isnull=False)),
            past_proposal=Count("of_year", filter=Q(of_year__stage__in=PAST_PROPOSAL_STAGES)),
            verified=Count("of_year", filter=Q(of_year__stage__in=VERIFIED_STAGES)),
            done=Count("of_year", filter=Q(of_year__stage=Stage.DONE)),
            lead_mentor=_lead_mentor(unit_ref=OuterRef("pk"), year_ref=year),
        )
        .order_by("name", "pk")
        .values_list(
            "pk",
            "code",
            "name",
            "kind",
            "lead_mentor",
            "total",
            "active",
            "past_proposal",
            "verified",
            "done",
            "continued",
        )
    )
    kinds = _labels(UnitKind.choices)
    figures = [
        UnitCompliance(
            unit_id=pk,
            code=code,
            name=name,
            kind=kinds.get(kind, kind),
            lead_mentor=lead or "",
            total=total,
            active=active,
            past_proposal=past,
            verified=verified,
            done=done,
            continued=continued,
        )
        for pk, code, name, kind, lead, total, active, past, verified, done, continued in rows
    ]
    return ComplianceSummary(year=year, units=figures)


def compliance_headers() -> list[str]:
    return [
        _("Kode unit"),
        _("Unit"),
        _("Jenis unit"),
        _("Pendamping utama"),
        _("Jumlah inovasi"),
        _("Lolos tahap usulan"),
        _("Terverifikasi"),
        _("Selesai"),
        _("Inovasi lanjutan"),
        _("Target terpenuhi"),
    ]


def compliance_export(*, user: User, year: int) -> Table:
    summary = compliance(user=user, year=year)
    yes, no = _("Ya"), _("Tidak")
    rows = [
        [
            unit.code,
            unit.name,
            unit.kind,
            unit.lead_mentor,
            unit.total,
            unit.past_proposal,
            unit.verified,
            unit.done,
            unit.continued,
            yes if unit.target_met else no,
        ]
        for unit in summary.units
    ]
    return Table(
        title=_("Kepatuhan target %(year)d") % {"year": year},
        headers=compliance_headers(),
        rows=rows,
    )


# --- Pekan Inovasi: the innovators beyond the offices ------------------------------------------


@dataclass(frozen=True)
class PekanCase:
    pk: int
    name: str
    unit_name: str
    unit_kind: str
    stage: str
    stage_label: str
    continued: bool


@dataclass(frozen=True)
class PekanGroup:
    category: str
    label: str
    cases: list[PekanCase]


def pekan_inovasi(*, user: User, year: int) -> list[PekanGroup]:
    """The year's innovations of schools, BUMDes and community groups the user may see, by
    their Pekan Inovasi category (rejected and withdrawn ones left out). One query."""
    rows = (
        case_selectors.visible_innovations(user=user)
        .filter(year=year, unit__kind__in=COMMUNITY_KINDS)
        .exclude(stage__in=CANCELLED_STAGES)
        .order_by("unit__category", "unit__name", "name", "pk")
        .values_list(
            "pk", "name", "unit__name", "unit__kind", "unit__category", "stage", "continues_id"
        )
    )
    kinds, stages = _labels(UnitKind.choices), _labels(Stage.choices)
    by_category: dict[str, list[PekanCase]] = {}
    for pk, name, unit_name, kind, category, stage, continues in rows:
        by_category.setdefault(category, []).append(
            PekanCase(
                pk, name, unit_name, kinds.get(kind, kind), stage, stages[stage], bool(continues)
            )
        )
    return [
        PekanGroup(value, str(label), by_category[value])
        for value, label in PekanCategory.choices
        if value in by_category
    ]


# --- pipeline and the yearly report -----------------------------------------------------------


@dataclass(frozen=True)
class PipelineRow:
    stage: str
    label: str
    count: int


def pipeline(*, user: User, year: int) -> list[PipelineRow]:
    """Innovations of the year per stage, every stage listed (zero included). One query."""
    counts = dict(
        case_selectors.visible_innovations(user=user)
        .filter(year=year)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    labels = _labels(Stage.choices)
    return [PipelineRow(stage, labels[stage], counts.get(stage, 0)) for stage in PIPELINE_STAGES]


def can_see_yearly_report(user: User) -> bool:
    actor = actor_for(user)
    return actor.is_admin or actor.has("observer")


@dataclass(frozen=True)
class YearlyReport:
    year: int
    generated_at: dt.datetime
    compliance: ComplianceSummary
    pipeline: list[PipelineRow]
    estimate: scoring.Estimate | None
    estimate_error: str
    steps: list[scoring.Step]


def yearly_report(*, user: User, year: int, steps: int = 5) -> YearlyReport:
    """Everything the regent's printable report shows; the IID estimate is absent (with the
    reason) when the year has no ruleset."""
    try:
        estimate, next_steps = scoring.estimate_and_steps(year=year, limit=steps)
        error = ""
    except scoring.RulesetMissing as missing:
        estimate, next_steps, error = None, [], str(missing)
    return YearlyReport(
        year=year,
        generated_at=timezone.localtime(),
        compliance=compliance(user=user, year=year),
        pipeline=pipeline(user=user, year=year),
        estimate=estimate,
        estimate_error=error,
        steps=next_steps,
    )
