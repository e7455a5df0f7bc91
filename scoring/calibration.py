"""Calibration (kalibrasi): BRIDA's estimate of a year against the ministry's result.

Overall: the regency's estimated IID, SPD and predicate (scoring.selectors.estimate) beside the
final ones. Per innovation and indicator: BRIDA's verified parameter (the one the estimate
counts: the highest verified parameter among the valid evidence, 0 when none) beside the
national parameter (0 when the ministry scored the indicator nothing).

Compared innovations are those BRIDA verified (counted by the estimate) that have a national
result; the others are listed apart (a national result for a case BRIDA had not verified, and a
verified case without a national result) and are left out of the per-indicator figures.

Per indicator x over the compared innovations i, with b = BRIDA's and m = the national parameter:
    over_count  = #{i : b > m}          over_points = sum of (b - m) where b > m
    under_count = #{i : b < m}          under_points = sum of (m - b) where b < m
    over_score  = weight(x) * over_points   (score points BRIDA granted that the ministry did not)
    net_score   = weight(x) * (sum b - sum m)
"Too generous" lists the indicators with over_count > 0, by over_points, then over_score
(largest first), then number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from mentoring.models import Indicator

from .models import IndicatorResult, InnovationResult, NationalResult, NationalStatus
from .selectors import Estimate, RulesetMissing, estimate, standing_for

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ParameterPair:
    """One indicator of one innovation: BRIDA's and the national parameter (0: none)."""

    number: int
    brida: int
    national: int

    @property
    def difference(self) -> int:
        return self.brida - self.national


@dataclass(frozen=True)
class InnovationCalibration:
    innovation_id: int
    name: str
    unit_name: str
    status: str
    status_label: str
    national_score: Decimal
    brida_score: Decimal | None  # None: BRIDA had not verified it
    pairs: tuple[ParameterPair, ...]  # every indicator of the year, by number

    @property
    def compared(self) -> bool:
        return self.brida_score is not None

    @property
    def score_difference(self) -> Decimal | None:
        return None if self.brida_score is None else self.brida_score - self.national_score

    @property
    def over_points(self) -> int:
        return sum(p.difference for p in self.pairs if p.difference > 0)

    @property
    def under_points(self) -> int:
        return sum(-p.difference for p in self.pairs if p.difference < 0)


@dataclass(frozen=True)
class IndicatorCalibration:
    number: int
    name: str
    weight: int
    compared: int
    brida_sum: int
    national_sum: int
    over_count: int
    over_points: int
    under_count: int
    under_points: int

    @property
    def brida_mean(self) -> Decimal | None:
        return _mean(self.brida_sum, self.compared)

    @property
    def national_mean(self) -> Decimal | None:
        return _mean(self.national_sum, self.compared)

    @property
    def over_score(self) -> int:
        return self.weight * self.over_points

    @property
    def net_score(self) -> int:
        return self.weight * (self.brida_sum - self.national_sum)

    @property
    def agree_count(self) -> int:
        return self.compared - self.over_count - self.under_count


@dataclass(frozen=True)
class Calibration:
    year: int
    result: NationalResult
    estimate: Estimate | None
    estimate_error: str
    innovations: tuple[InnovationCalibration, ...]
    indicators: tuple[IndicatorCalibration, ...]  # by number
    too_generous: tuple[IndicatorCalibration, ...]  # over_count > 0, largest first
    not_verified_by_brida: int  # national results for cases BRIDA had not verified
    without_national_result: tuple[str, ...]  # verified by BRIDA, no national result (names)
    national_predicate_expected: str  # the band the final IID falls in, by the year's rows
    warnings: tuple[str, ...]

    @property
    def compared(self) -> tuple[InnovationCalibration, ...]:
        return tuple(i for i in self.innovations if i.compared)

    @property
    def iid_difference(self) -> Decimal | None:
        if self.estimate is None or self.result.final_iid is None:
            return None
        return self.estimate.iid_exact - self.result.final_iid

    @property
    def spd_difference(self) -> Decimal | None:
        if self.estimate is None or self.result.spd is None or not self.estimate.spd_entered:
            return None
        return self.estimate.spd - self.result.spd

    @property
    def predicate_matches(self) -> bool | None:
        if self.estimate is None or not self.result.predicate:
            return None
        return self.estimate.predicate == self.result.predicate

    @property
    def brida_score_sum(self) -> Decimal:
        return sum((i.brida_score or Decimal(0) for i in self.compared), Decimal(0))

    @property
    def national_score_sum(self) -> Decimal:
        return sum((i.national_score for i in self.compared), Decimal(0))

    @property
    def score_difference(self) -> Decimal:
        return self.brida_score_sum - self.national_score_sum

    @property
    def over_points(self) -> int:
        return sum(i.over_points for i in self.indicators)

    @property
    def under_points(self) -> int:
        return sum(i.under_points for i in self.indicators)

    @property
    def over_score(self) -> int:
        return sum(i.over_score for i in self.indicators)


def _mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(CENT, rounding=ROUND_HALF_UP)


def calibration(*, year: int) -> Calibration | None:
    """The year's calibration; None when no national result of the year is recorded."""
    result = NationalResult.objects.filter(year=year).first()
    if result is None:
        return None
    try:
        found: Estimate | None = estimate(year=year)
        error = ""
    except RulesetMissing as missing:
        found, error = None, str(missing)
    indicators = list(Indicator.objects.filter(year=year).order_by("number"))
    brida = {i.innovation_id: i for i in (found.innovations if found else ())}
    national: dict[int, dict[int, int]] = {}
    for innovation_id, number, parameter in IndicatorResult.objects.filter(
        innovation_result__national_result=result
    ).values_list("innovation_result__innovation_id", "indicator__number", "parameter"):
        national.setdefault(innovation_id, {})[number] = parameter
    labels = dict(NationalStatus.choices)
    rows: list[InnovationCalibration] = []
    for row in (
        InnovationResult.objects.filter(national_result=result)
        .select_related("innovation__unit")
        .order_by("innovation__unit__name", "innovation__name", "innovation_id")
    ):
        mine = brida.get(row.innovation_id)
        theirs = national.get(row.innovation_id, {})
        pairs = tuple(
            ParameterPair(
                number=i.number,
                brida=mine.parameters.get(i.number, 0) if mine else 0,
                national=theirs.get(i.number, 0),
            )
            for i in indicators
        )
        rows.append(
            InnovationCalibration(
                innovation_id=row.innovation_id,
                name=row.innovation.name,
                unit_name=row.innovation.unit.name,
                status=row.status,
                status_label=str(labels.get(row.status, row.status)),
                national_score=row.score,
                brida_score=mine.score if mine else None,
                pairs=pairs,
            )
        )
    per_indicator = []
    for position, indicator in enumerate(indicators):
        compared = [r.pairs[position] for r in rows if r.compared]
        per_indicator.append(
            IndicatorCalibration(
                number=indicator.number,
                name=indicator.name,
                weight=indicator.weight,
                compared=len(compared),
                brida_sum=sum(p.brida for p in compared),
                national_sum=sum(p.national for p in compared),
                over_count=sum(1 for p in compared if p.difference > 0),
                over_points=sum(p.difference for p in compared if p.difference > 0),
                under_count=sum(1 for p in compared if p.difference < 0),
                under_points=sum(-p.difference for p in compared if p.difference < 0),
            )
        )
    generous = sorted(
        (i for i in per_indicator if i.over_count),
        key=lambda i: (-i.over_points, -i.over_score, i.number),
    )
    with_result = {r.innovation_id for r in rows}
    expected = ""
    warnings: list[str] = []
    if found is not None and result.final_iid is not None and found.bands:
        expected = standing_for(result.final_iid, list(found.bands)).predicate
        if result.predicate and expected and expected != result.predicate:
            warnings.append(
                _(
                    "Predikat nasional “%(given)s” berbeda dari pita IID final %(iid)s "
                    "menurut ambang tahun %(year)d (“%(expected)s”)."
                )
                % {
                    "given": result.predicate,
                    "iid": result.final_iid.quantize(CENT),
                    "year": year,
                    "expected": expected,
                }
            )
    return Calibration(
        year=year,
        result=result,
        estimate=found,
        estimate_error=error,
        innovations=tuple(rows),
        indicators=tuple(per_indicator),
        too_generous=tuple(generous),
        not_verified_by_brida=sum(1 for r in rows if not r.compared),
        without_national_result=tuple(
            i.name
            for i in (found.innovations if found else ())
            if i.innovation_id not in with_result
        ),
        national_predicate_expected=expected,
        warnings=tuple(warnings),
    )
