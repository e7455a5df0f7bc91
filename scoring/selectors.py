"""The regency's estimated IID for a year and the next best steps to raise it.

Formula implemented (all numbers come from the year's `Ruleset` and `mentoring.Indicator` rows):

    verified innovation  = a case of the year in stage reporting, report gate, close or done
                           (it passed verification); only these count for SID. New and
                           continued innovations alike (a continuation is the year's own case
                           of an innovation reported before); never the cases of proposers
                           beyond the offices (schools, BUMDes, community groups: Pekan
                           Inovasi only, mentoring.COMMUNITY_KINDS)
    p(i, x)              = the highest VERIFIED parameter (`verified_parameter`, else the chosen
                           `parameter` for rows reviewed before that field existed) among the VALID
                           evidence items of innovation i for indicator x; 0 when there is none
    score(i)             = sum over indicators x of the year: weight(x) * p(i, x)
    n                    = number of verified innovations
    divisor              = MAX(k, n)                                   k = divisor_minimum
    SID_indicators       = sum over i of score(i) / divisor
    covered              = distinct basic-service (yandas) affairs among the verified
                           innovations' MAIN urusan (related urusan too only when the ruleset's
                           `coverage_counts_related` is set; off by default, see below)
    jumlah               = MIN(c * MIN(n, cap), jumlah_max)  if covered >= yandas_min_covered
                           else 0                              c = jumlah_coefficient
    SID                  = SID_indicators + jumlah
    IID                  = (SPD + SID) / total_max * 100       SPD = the admin's spd_score or 0
    predicate            = the highest band whose lower bound the UNROUNDED IID reaches (65.004
                           is "Inovatif" and 65.01 "Sangat Inovatif" with the 2026 rows); within
                           0.01 of the edge between two bands it is shown "at the boundary",
                           since the ministry's rounding rule is unpublished
    gap to next          = lower bound of the next higher predicate - IID (unrounded)

Normalisation and ambiguities (noted, not resolved by the brief):
- No rescaling is applied to SID_indicators. With the 2026 catalogue the weights of 16-35 add up
  to 37, so one innovation scores at most 3 * 37 = 111, which is exactly the brief's "SID
  indicators" maximum: the per-innovation average (sum / MAX(k, n)) is already on the 0-111 scale,
  and SPD 63 + SID 111 + jumlah 76 = total 250, so IID = (SPD + SID) / 250 * 100 as the brief says.
  The estimate warns when 3 * sum(weights) differs from the ruleset's sid_indicator_max (a year
  whose catalogue changed but whose maxima were not updated). The national system may normalise
  indicators individually; that is unconfirmed.
- SPD is entered as the raw region score on its own 0..spd_max scale, not as a percentage.
- Coverage counts main urusan only by default: the national form has one main affair per
  innovation and counting related affairs would let one innovation cover several affairs; the
  ruleset flag switches related affairs on if the ministry's rule turns out to include them.
- With a unit filter the same formula runs over that unit's innovations only (n, divisor and
  coverage of the unit); SPD stays the region's. It is a contribution view, not a national figure.
- Innovations not yet verified score nothing here, and n in the jumlah formula counts verified
  innovations only (nationally it is the number reported; locally only verified ones will be);
  next_best_steps shows what verifying the others adds.

Next best steps (`next_best_steps`) are exact IID deltas, each computed by re-running the
formula with one change: (a) raising one verified innovation's indicator from p to p + 1 (adds
weight / MAX(k, n) to SID; p = 0 when the indicator has no valid evidence yet); (b) one more
verified innovation, assumed to score the current average (or only its mandatory indicators at
parameter 1 when none is verified yet), in a missing yandas affair when that satisfies the
coverage rule, else in any affair; (c) getting a case that is still before verification
verified with the parameters chosen now (valid evidence at its verified parameter, pending
evidence at the chosen one).

Replications recorded in `recognition` (indicator 31, "Replikasi") feed (a): where they reach a
higher parameter than the innovation's valid evidence shows (the indicator's yearly bounds say
how many replications make which parameter), the step is to upload that evidence, from p to
that parameter at once, ranked before an ordinary raise of the same delta. Only the first
`limit` steps of each (weight, mandatory) group can rank, so (a) stops there.

Query count is constant in the number of innovations: ruleset, thresholds, indicators, yandas
affairs, one innovation query, one grouped evidence query, the related-urusan query only when
the ruleset counts related affairs, and for the steps one grouped replication query.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from operator import itemgetter

from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core import generations
from mentoring.models import (
    OFFICE_KINDS,
    VERIFIED_STAGES,
    EvidenceItem,
    Indicator,
    Innovation,
    Measure,
    Stage,
    Unit,
    Urusan,
)
from recognition.models import Replication

from .freshness import SCORING
from .models import PredicateThreshold, Ruleset

PRE_VERIFICATION_STAGES = (
    Stage.PROPOSAL,
    Stage.PROPOSAL_GATE,
    Stage.MENTORING,
    Stage.PACKAGING,
    Stage.PACKAGING_GATE,
    Stage.VERIFICATION,
)
MAX_PARAMETER = 3
CENT = Decimal("0.01")
DELTA_PLACES = Decimal("0.0001")
# A change that no save announces (an edit in SQL) reaches the cached panel within this time.
PANEL_SECONDS = 600
# The home pages' IID panel shows this many next best steps (the panel the timers keep warm).
PANEL_STEPS = 5


class RulesetMissing(LookupError):
    """No ruleset for the year: the admin must create or copy one first."""

    def __init__(self, year: int) -> None:
        super().__init__(
            _("Aturan penilaian IID tahun %d belum ada; salin dari tahun sebelumnya.") % year
        )
        self.year = year


@dataclass(frozen=True)
class Affair:
    """A government affair (urusan), by code and display name."""

    code: str
    name: str


@dataclass(frozen=True)
class InnovationScore:
    """One innovation's per-indicator parameters (by indicator number) and its score."""

    innovation_id: int
    name: str
    unit_id: int
    unit_name: str
    stage: str
    main_urusan: Affair
    yandas: frozenset[str]  # yandas affair codes this innovation covers under the ruleset
    parameters: dict[int, int]
    score: Decimal
    continued: bool = False  # the continuation of an innovation reported in an earlier year
    replications: int = 0  # recorded in `recognition` (they suggest the replication parameter)


@dataclass(frozen=True)
class Estimate:
    """The estimated IID of a year (optionally of one unit) with every intermediate figure."""

    year: int
    unit_id: int | None
    ruleset_confirmed: bool
    ruleset_note: str
    spd: Decimal
    spd_entered: bool
    spd_max: Decimal
    innovation_count: int  # n: verified innovations
    divisor: int
    score_sum: Decimal
    sid_indicators: Decimal
    sid_indicator_max: Decimal
    yandas_covered: tuple[Affair, ...]
    yandas_missing: tuple[Affair, ...]
    yandas_required: int
    coverage_met: bool
    jumlah_score: Decimal
    jumlah_max: Decimal
    sid: Decimal
    total_max: Decimal
    iid_exact: Decimal
    iid: Decimal  # rounded half-up to two decimals, for display only
    predicate: str  # of the unrounded IID
    next_predicate: str | None
    gap_to_next: Decimal | None
    boundary: str | None  # the neighbouring predicate when the IID is within 0.01 of it
    bands: tuple[Band, ...]
    source: str  # the ruleset's source citation
    innovations: tuple[InnovationScore, ...]
    pending_count: int  # cases before verification
    warnings: tuple[str, ...] = field(default=())
    continued_count: int = 0  # of n: continuations of innovations reported in earlier years


class StepKind:
    RAISE_PARAMETER = "raise_parameter"
    RECORDED_REPLICATIONS = "recorded_replications"
    NEW_INNOVATION_YANDAS = "new_innovation_yandas"
    NEW_INNOVATION = "new_innovation"
    VERIFY_CASE = "verify_case"


# Ties (same delta) list the most concrete work first.
_KIND_ORDER = {
    StepKind.NEW_INNOVATION_YANDAS: 0,
    StepKind.VERIFY_CASE: 1,
    StepKind.RECORDED_REPLICATIONS: 2,
    StepKind.RAISE_PARAMETER: 3,
    StepKind.NEW_INNOVATION: 4,
}


@dataclass(frozen=True)
class Step:
    """One concrete improvement and the IID points it would add (delta, 4 decimals)."""

    kind: str
    iid_delta: Decimal
    title: str
    innovation_id: int | None = None
    innovation_name: str = ""
    unit_name: str = ""
    indicator_number: int | None = None
    indicator_name: str = ""
    weight: int | None = None
    mandatory: bool = False
    from_parameter: int | None = None
    to_parameter: int | None = None
    urusan: Affair | None = None
    assumed_score: Decimal | None = None


@dataclass(frozen=True)
class _Figures:
    divisor: int
    sid_indicators: Decimal
    jumlah: Decimal
    sid: Decimal
    iid_exact: Decimal


@dataclass(frozen=True)
class _Basis:
    ruleset: Ruleset
    thresholds: list[PredicateThreshold]
    indicators: list[Indicator]
    yandas: list[Affair]
    verified: list[InnovationScore]
    pending: list[InnovationScore]
    replication_indicator: Indicator | None = None

    @property
    def spd(self) -> Decimal:
        return self.ruleset.spd_score if self.ruleset.spd_score is not None else Decimal(0)

    @property
    def score_sum(self) -> Decimal:
        return sum((i.score for i in self.verified), Decimal(0))

    @property
    def covered_codes(self) -> set[str]:
        return set().union(*(i.yandas for i in self.verified)) if self.verified else set()


def _figures(
    ruleset: Ruleset, *, spd: Decimal, score_sum: Decimal, n: int, covered: int
) -> _Figures:
    """The formula itself (see the module docstring): pure arithmetic on Decimals."""
    divisor = max(ruleset.divisor_minimum, n)
    sid_indicators = Decimal(score_sum) / Decimal(divisor)
    if covered >= ruleset.yandas_min_covered:
        jumlah = min(ruleset.jumlah_coefficient * min(n, ruleset.jumlah_cap), ruleset.jumlah_max)
    else:
        jumlah = Decimal(0)
    sid = sid_indicators + jumlah
    iid_exact = (spd + sid) / ruleset.total_max * 100
    return _Figures(divisor, sid_indicators, jumlah, sid, iid_exact)


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Band:
    """One predicate band of the year, with where it comes from."""

    name: str
    lower: Decimal
    upper: Decimal
    source: str


@dataclass(frozen=True)
class Standing:
    """Where an IID stands among the year's bands."""

    predicate: str
    next_predicate: str | None
    gap: Decimal | None  # points (unrounded) to the next band's lower bound
    boundary: str | None  # the neighbouring band when the IID is within BOUNDARY of their edge


# The ministry's rounding rule is unpublished: an IID this close to the edge between two bands
# could be placed in either, so it is shown as "at the boundary".
BOUNDARY = Decimal("0.01")


def standing_for(iid: Decimal, bands: list[Band]) -> Standing:
    """The band of an unrounded IID: the highest band whose lower bound it has reached (an
    IID in the gap between two bands' two-decimal bounds, 65.004 say, is still below the
    upper one)."""
    ordered = sorted(bands, key=lambda band: band.lower)
    reached = [band for band in ordered if band.lower <= iid]
    current = reached[-1] if reached else None
    higher = [band for band in ordered if band.lower > iid]
    boundary = None
    for below, above in zip(ordered, ordered[1:], strict=False):
        distance = max(below.upper - iid, iid - above.lower, Decimal(0))
        if distance < BOUNDARY:
            boundary = above.name if current is below else below.name
    return Standing(
        predicate=current.name if current else "",
        next_predicate=higher[0].name if higher else None,
        gap=higher[0].lower - iid if higher else None,
        boundary=boundary,
    )


def _ruleset(year: int) -> Ruleset:
    ruleset = Ruleset.objects.select_related("source").filter(year=year).first()
    if ruleset is None:
        raise RulesetMissing(year)
    return ruleset


def _load(*, year: int, unit: Unit | int | None, for_steps: bool = True) -> _Basis:
    ruleset = _ruleset(year)
    thresholds = list(ruleset.thresholds.select_related("source"))
    indicators = list(Indicator.objects.filter(year=year).order_by("number"))
    by_id = {indicator.pk: indicator for indicator in indicators}
    yandas_rows = list(
        Urusan.objects.filter(group=Urusan.Group.YANDAS).order_by("id").values("code", "name")
    )
    yandas = [Affair(row["code"], row["name"]) for row in yandas_rows]
    yandas_codes = {affair.code for affair in yandas}

    innovations = Innovation.objects.filter(
        year=year, stage__in=VERIFIED_STAGES + PRE_VERIFICATION_STAGES, unit__kind__in=OFFICE_KINDS
    )
    if unit is not None:
        innovations = innovations.filter(unit=unit)
    rows = list(
        innovations.order_by("id").values(
            "id",
            "name",
            "unit_id",
            "unit__name",
            "stage",
            "main_urusan__code",
            "main_urusan__name",
            "continues_id",
        )
    )
    related: dict[int, set[str]] = defaultdict(set)
    if ruleset.coverage_counts_related:
        through = Innovation.related_urusan.through.objects.filter(
            innovation__in=innovations, urusan__group=Urusan.Group.YANDAS
        )
        for innovation_id, code in through.values_list("innovation_id", "urusan__code"):
            related[innovation_id].add(code)

    # Best parameter per (innovation, indicator, review state), grouped in SQL.
    best: dict[int, dict[int, int]] = defaultdict(dict)  # counted for verified innovations
    chosen: dict[int, dict[int, int]] = defaultdict(dict)  # as currently chosen, for pending
    evidence = (
        EvidenceItem.objects.filter(innovation__in=innovations, indicator__year=year)
        .exclude(review=EvidenceItem.Review.INVALID)
        .values("innovation_id", "indicator_id", "review")
        .annotate(best=Max(Coalesce("verified_parameter", "parameter")))
        .order_by()
    )
    for found in evidence:
        indicator = by_id.get(found["indicator_id"])
        if indicator is None:
            continue
        number, value = indicator.number, int(found["best"])
        target = chosen[found["innovation_id"]]
        target[number] = max(target.get(number, 0), value)
        if found["review"] == EvidenceItem.Review.VALID:
            counted = best[found["innovation_id"]]
            counted[number] = max(counted.get(number, 0), value)

    replication_indicator = next(
        (indicator for indicator in indicators if indicator.measure == Measure.REPLICATIONS), None
    )
    # Recorded replications only feed the steps (one query more).
    replications: dict[int, int] = {}
    if for_steps and replication_indicator is not None:
        replications = dict(
            Replication.objects.filter(innovation__in=innovations.filter(stage__in=VERIFIED_STAGES))
            .values("innovation_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("innovation_id", "n")
        )
    weights = {indicator.number: indicator.weight for indicator in indicators}
    verified: list[InnovationScore] = []
    pending: list[InnovationScore] = []
    for row in rows:
        is_verified = row["stage"] in VERIFIED_STAGES
        parameters = dict((best if is_verified else chosen).get(row["id"], {}))
        covers = {row["main_urusan__code"]} | related.get(row["id"], set())
        item = InnovationScore(
            innovation_id=row["id"],
            name=row["name"],
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            stage=row["stage"],
            main_urusan=Affair(row["main_urusan__code"], row["main_urusan__name"]),
            yandas=frozenset(covers & yandas_codes),
            parameters=parameters,
            score=Decimal(sum(weights[number] * p for number, p in parameters.items())),
            continued=row["continues_id"] is not None,
            replications=replications.get(row["id"], 0),
        )
        (verified if is_verified else pending).append(item)
    return _Basis(ruleset, thresholds, indicators, yandas, verified, pending, replication_indicator)


def _estimate_from(basis: _Basis, *, year: int, unit_id: int | None) -> Estimate:
    ruleset = basis.ruleset
    covered_codes = basis.covered_codes
    n = len(basis.verified)
    figures = _figures(
        ruleset, spd=basis.spd, score_sum=basis.score_sum, n=n, covered=len(covered_codes)
    )
    bands = [
        Band(t.name, t.lower, t.upper, t.source.citation if t.source else "")
        for t in basis.thresholds
    ]
    standing = standing_for(figures.iid_exact, bands)
    warnings: list[str] = []
    if not ruleset.confirmed:
        warnings.append(_("Aturan penilaian tahun %d belum terkonfirmasi.") % year)
    if ruleset.spd_score is None:
        warnings.append(_("Skor SPD tahun %d belum diisi admin; dihitung 0.") % year)
    catalogue_max = MAX_PARAMETER * sum(indicator.weight for indicator in basis.indicators)
    if catalogue_max != ruleset.sid_indicator_max:
        warnings.append(
            _(
                "3 x jumlah bobot indikator (%(catalogue)s) berbeda dari "
                "maksimum indikator SID (%(max)s)."
            )
            % {"catalogue": catalogue_max, "max": ruleset.sid_indicator_max}
        )
    if not basis.thresholds:
        warnings.append(_("Ambang predikat tahun %d belum diisi.") % year)
    return Estimate(
        year=year,
        unit_id=unit_id,
        ruleset_confirmed=ruleset.confirmed,
        ruleset_note=ruleset.note,
        spd=basis.spd,
        spd_entered=ruleset.spd_score is not None,
        spd_max=ruleset.spd_max,
        innovation_count=n,
        divisor=figures.divisor,
        score_sum=basis.score_sum,
        sid_indicators=figures.sid_indicators,
        sid_indicator_max=ruleset.sid_indicator_max,
        yandas_covered=tuple(a for a in basis.yandas if a.code in covered_codes),
        yandas_missing=tuple(a for a in basis.yandas if a.code not in covered_codes),
        yandas_required=ruleset.yandas_min_covered,
        coverage_met=len(covered_codes) >= ruleset.yandas_min_covered,
        jumlah_score=figures.jumlah,
        jumlah_max=ruleset.jumlah_max,
        sid=figures.sid,
        total_max=ruleset.total_max,
        iid_exact=figures.iid_exact,
        iid=_rounded(figures.iid_exact),
        predicate=standing.predicate,
        next_predicate=standing.next_predicate,
        gap_to_next=standing.gap,
        boundary=standing.boundary,
        bands=tuple(sorted(bands, key=lambda band: band.lower, reverse=True)),
        source=ruleset.source.citation if ruleset.source else "",
        innovations=tuple(basis.verified),
        pending_count=len(basis.pending),
        warnings=tuple(warnings),
        continued_count=sum(item.continued for item in basis.verified),
    )


def _unit_id(unit: Unit | int | None) -> int | None:
    return unit.pk if isinstance(unit, Unit) else unit


def estimate(*, year: int, unit: Unit | int | None = None) -> Estimate:
    """The estimated IID of `year` over all units (or one unit); raises RulesetMissing."""
    basis = _load(year=year, unit=unit, for_steps=False)
    return _estimate_from(basis, year=year, unit_id=_unit_id(unit))


def _parameter_step(
    *,
    kind: str,
    title: str,
    innovation: InnovationScore,
    indicator: Indicator,
    p: int,
    q: int,
    delta: Decimal,
) -> Step:
    """A step on one verified innovation's indicator from parameter p to q."""
    return Step(
        kind=kind,
        iid_delta=delta,
        title=title,
        innovation_id=innovation.innovation_id,
        innovation_name=innovation.name,
        unit_name=innovation.unit_name,
        indicator_number=indicator.number,
        indicator_name=indicator.name,
        weight=indicator.weight,
        mandatory=indicator.mandatory,
        from_parameter=p,
        to_parameter=q,
    )


def _raise_step(innovation: InnovationScore, indicator: Indicator, p: int, delta: Decimal) -> Step:
    title = _(
        "%(innovation)s: naikkan indikator %(number)d (%(indicator)s) dari %(p)d ke %(q)d"
    ) % {
        "innovation": innovation.name,
        "number": indicator.number,
        "indicator": indicator.name,
        "p": p,
        "q": p + 1,
    }
    return _parameter_step(
        kind=StepKind.RAISE_PARAMETER,
        title=title,
        innovation=innovation,
        indicator=indicator,
        p=p,
        q=p + 1,
        delta=delta,
    )


def _suggested(innovation: InnovationScore, indicator: Indicator) -> int:
    """The replication parameter the recorded replications reach (0 for none)."""
    if not innovation.replications:
        return 0
    return min(indicator.parameter_for(innovation.replications) or 0, MAX_PARAMETER)


def _replication_step(
    innovation: InnovationScore, indicator: Indicator, p: int, q: int, delta: Decimal
) -> Step:
    title = _(
        "%(innovation)s: %(count)d replikasi sudah tercatat; unggah buktinya untuk indikator "
        "%(number)d (%(indicator)s), dari %(p)d ke %(q)d"
    ) % {
        "innovation": innovation.name,
        "count": innovation.replications,
        "number": indicator.number,
        "indicator": indicator.name,
        "p": p,
        "q": q,
    }
    return _parameter_step(
        kind=StepKind.RECORDED_REPLICATIONS,
        title=title,
        innovation=innovation,
        indicator=indicator,
        p=p,
        q=q,
        delta=delta,
    )


def _rank_key(step: Step) -> tuple:
    return (
        -step.iid_delta,
        _KIND_ORDER[step.kind],
        not step.mandatory,
        step.innovation_id or 0,
        step.indicator_number or 0,
        step.urusan.code if step.urusan else "",
    )


# A candidate is (rank key, builder): the ~20 x n parameter steps are only built (titles
# translated and formatted) when they make the top of the list.
_Candidate = tuple[tuple, Callable[[], Step]]


def _ready(step: Step) -> _Candidate:
    return _rank_key(step), partial(lambda built: built, step)


def _candidates(basis: _Basis, *, limit: int) -> Iterator[_Candidate]:
    ruleset = basis.ruleset
    n = len(basis.verified)
    score_sum = basis.score_sum
    covered_codes = basis.covered_codes
    covered = len(covered_codes)

    def iid_after(*, extra_score: Decimal, extra_n: int, covered_after: int) -> Decimal:
        return _figures(
            ruleset,
            spd=basis.spd,
            score_sum=score_sum + extra_score,
            n=n + extra_n,
            covered=covered_after,
        ).iid_exact

    base = iid_after(extra_score=Decimal(0), extra_n=0, covered_after=covered)

    # (a) One parameter step on a verified innovation: the delta depends only on the weight,
    # so within one (weight, mandatory) group the steps rank by innovation and indicator
    # number, and no more than `limit` of a group can make the list: stop there (at national
    # scale that is a few dozen candidates instead of n x 20).
    delta_for_weight = {
        w: iid_after(extra_score=Decimal(w), extra_n=0, covered_after=covered) - base
        for w in {indicator.weight for indicator in basis.indicators}
    }
    kind_order = _KIND_ORDER[StepKind.RAISE_PARAMETER]
    groups: dict[tuple[int, bool], list[Indicator]] = defaultdict(list)
    for indicator in basis.indicators:
        groups[(indicator.weight, indicator.mandatory)].append(indicator)
    replicated = basis.replication_indicator
    for (weight, mandatory), group in groups.items():
        delta = delta_for_weight[weight]
        left = limit
        for innovation in basis.verified:
            for indicator in group:
                p = innovation.parameters.get(indicator.number, 0)
                if p >= MAX_PARAMETER or left == 0:
                    continue
                if indicator == replicated and _suggested(innovation, indicator) > p:
                    continue  # the recorded replications take it further: (a') below
                left -= 1
                key = (
                    -delta,
                    kind_order,
                    not mandatory,
                    innovation.innovation_id,
                    indicator.number,
                    "",
                )
                yield key, partial(_raise_step, innovation, indicator, p, delta)
            if left == 0:
                break

    # (a') Replications recorded for a verified innovation suggest a higher parameter of the
    # replication indicator than its evidence shows: uploading that evidence is ready work.
    if replicated is not None:
        for innovation in basis.verified:
            p = innovation.parameters.get(replicated.number, 0)
            q = _suggested(innovation, replicated)
            if q > p:
                extra = Decimal(replicated.weight * (q - p))
                delta = iid_after(extra_score=extra, extra_n=0, covered_after=covered) - base
                yield _ready(_replication_step(innovation, replicated, p, q, delta))

    # (b) One more verified innovation, assumed to score like the current average.
    if n:
        assumed = score_sum / n
    else:  # nothing verified yet: only the mandatory indicators, at parameter 1
        assumed = Decimal(sum(i.weight for i in basis.indicators if i.mandatory))
    missing = [affair for affair in basis.yandas if affair.code not in covered_codes]
    if covered < ruleset.yandas_min_covered and covered + 1 >= ruleset.yandas_min_covered:
        delta = iid_after(extra_score=assumed, extra_n=1, covered_after=covered + 1) - base
        for affair in missing:
            yield _ready(
                Step(
                    kind=StepKind.NEW_INNOVATION_YANDAS,
                    iid_delta=delta,
                    title=_(
                        "Tambah satu inovasi terverifikasi pada urusan %(urusan)s "
                        "(memenuhi cakupan %(need)d dari 6 urusan pelayanan dasar)"
                    )
                    % {"urusan": affair.name, "need": ruleset.yandas_min_covered},
                    urusan=affair,
                    assumed_score=assumed,
                )
            )
    else:
        delta = iid_after(extra_score=assumed, extra_n=1, covered_after=covered) - base
        if covered >= ruleset.yandas_min_covered:
            title = _("Tambah satu inovasi terverifikasi (urusan apa saja)")
        else:
            title = _(
                "Tambah satu inovasi terverifikasi (cakupan pelayanan dasar %(covered)d dari "
                "%(need)d: skor jumlah inovasi masih 0)"
            ) % {"covered": covered, "need": ruleset.yandas_min_covered}
        yield _ready(
            Step(kind=StepKind.NEW_INNOVATION, iid_delta=delta, title=title, assumed_score=assumed)
        )

    # (c) A case still before verification, verified with its parameters as chosen now. The
    # delta depends only on its score and the coverage it would reach (few distinct pairs).
    deltas: dict[tuple[Decimal, int], Decimal] = {}
    verify_order = _KIND_ORDER[StepKind.VERIFY_CASE]
    for innovation in basis.pending:
        after = len(covered_codes | innovation.yandas) if innovation.yandas else covered
        pair = (innovation.score, after)
        if pair not in deltas:
            deltas[pair] = (
                iid_after(extra_score=innovation.score, extra_n=1, covered_after=after) - base
            )
        key = (
            -deltas[pair],
            verify_order,
            True,
            innovation.innovation_id,
            0,
            innovation.main_urusan.code,
        )
        yield key, partial(_verify_step, innovation, deltas[pair])


def _verify_step(innovation: InnovationScore, delta: Decimal) -> Step:
    return Step(
        kind=StepKind.VERIFY_CASE,
        iid_delta=delta,
        title=_("Selesaikan verifikasi %(innovation)s (tahap %(stage)s, skor %(score)s)")
        % {
            "innovation": innovation.name,
            "stage": Stage(innovation.stage).label,
            "score": innovation.score,
        },
        innovation_id=innovation.innovation_id,
        innovation_name=innovation.name,
        unit_name=innovation.unit_name,
        urusan=innovation.main_urusan,
        assumed_score=innovation.score,
    )


def rank_steps(candidates: Iterable[_Candidate], *, limit: int) -> list[Step]:
    """The `limit` candidates that add the most (positive deltas only), built into Steps with
    the delta rounded to four decimals for display."""
    positive = (c for c in candidates if c[0][0] < 0)  # key[0] is -delta
    top = heapq.nsmallest(limit, positive, key=itemgetter(0))
    steps = (build() for _key, build in top)
    return [
        replace(step, iid_delta=step.iid_delta.quantize(DELTA_PLACES, ROUND_HALF_UP))
        for step in steps
    ]


def next_best_steps(*, year: int, limit: int = 20, unit: Unit | int | None = None) -> list[Step]:
    """Ranked concrete improvements with the IID points each adds (largest first)."""
    if limit <= 0:
        return []
    return rank_steps(_candidates(_load(year=year, unit=unit), limit=limit), limit=limit)


def estimate_and_steps(
    *, year: int, limit: int = 20, unit: Unit | int | None = None
) -> tuple[Estimate, list[Step]]:
    """Both at once from one load, for a page that shows the estimate beside its steps."""
    basis = _load(year=year, unit=unit)
    steps = rank_steps(_candidates(basis, limit=limit), limit=limit) if limit > 0 else []
    return _estimate_from(basis, year=year, unit_id=_unit_id(unit)), steps


def cached_estimate_and_steps(*, year: int, limit: int) -> tuple[Estimate, list[Step]]:
    """estimate_and_steps of the region, kept in the shared cache until one of its inputs
    changes (freshness.py): the home pages show it on every visit, and at national scale it
    reads every case of the year. The cached estimate leaves out the per-innovation list,
    which those pages do not show. Raises RulesetMissing."""

    def compute() -> tuple[Estimate, list[Step]]:
        estimate, steps = estimate_and_steps(year=year, limit=limit)
        return replace(estimate, innovations=()), steps

    return generations.cached(SCORING, f"panel:{year}:{limit}", compute, timeout=PANEL_SECONDS)
