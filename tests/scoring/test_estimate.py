"""The IID estimate against hand-computed examples (2026 seed ruleset: k = 12, 0.38 x min(n, 200),
total 250, at least 5 of 6 yandas affairs; weights 16:3 17:2 33:3 35:4 ...)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import EvidenceItem, Indicator, Stage
from scoring import selectors
from scoring.models import PredicateThreshold, Ruleset
from scoring.selectors import Band, RulesetMissing, estimate, standing_for
from scoring.services import set_spd_score
from tests.factories import Org

from .builders import ALL_THREE, YANDAS, case, evidence

pytestmark = pytest.mark.django_db


def test_seeded_rulesets_follow_the_brief_and_are_unconfirmed():
    r26 = Ruleset.objects.get(year=2026)
    assert (r26.divisor_minimum, r26.jumlah_coefficient, r26.jumlah_cap) == (
        12,
        Decimal("0.38"),
        200,
    )
    assert (r26.spd_max, r26.sid_indicator_max, r26.jumlah_max, r26.total_max) == (63, 111, 76, 250)
    assert r26.yandas_min_covered == 5 and not r26.confirmed and r26.spd_score is None
    assert [(t.name, str(t.lower), str(t.upper)) for t in r26.thresholds.all()] == [
        ("Tidak Dapat Dinilai", "0.00", "0.00"),
        ("Kurang Inovatif", "0.01", "40.00"),
        ("Inovatif", "40.01", "65.00"),
        ("Sangat Inovatif", "65.01", "100.00"),
    ]
    r25 = Ruleset.objects.get(year=2025)
    assert r25.divisor_minimum == 10 and not r25.confirmed and "2023" in r25.note
    # 2025: "Sangat Inovatif" from 65.01 (Kepmendagri 400.10.11-6097/2025), the rest as 2026.
    assert [str(t.lower) for t in r25.thresholds.all()] == ["0.00", "0.01", "40.01", "65.01"]
    r26.full_clean()  # the maxima add up: 63 + 111 + 76 = 250
    r25.full_clean()


def test_divisor_is_k_when_fewer_innovations_than_k(org):
    case(org, params={16: 3, 17: 2})  # 9 + 4 = 13
    case(org, params={35: 3})  # 12
    case(org, params={33: 1})  # 3
    set_spd_score(year=2026, spd_score="50")
    result = estimate(year=2026)
    assert (result.innovation_count, result.divisor, result.score_sum) == (3, 12, 28)
    assert result.sid_indicators.quantize(Decimal("0.0001")) == Decimal("2.3333")
    assert result.jumlah_score == 0 and not result.coverage_met  # only kesehatan
    # (50 + 28/12) / 250 x 100 = 20.9333
    assert result.iid == Decimal("20.93")
    assert result.predicate == "Kurang Inovatif"
    assert result.next_predicate == "Inovatif"
    assert result.gap_to_next.quantize(Decimal("0.01")) == Decimal("19.08")  # 40.01 - 20.9333
    assert {i.score for i in result.innovations} == {13, 12, 3}


def test_divisor_is_n_when_more_innovations_than_k(org):
    for index in range(12):
        case(org, params={16: 1}, urusan=YANDAS[index % 5])  # 3 each, five yandas affairs
    case(org, params={35: 3})  # 12
    set_spd_score(year=2026, spd_score="50")
    result = estimate(year=2026)
    assert (result.innovation_count, result.divisor, result.score_sum) == (13, 13, 48)
    assert result.coverage_met and result.jumlah_score == Decimal("4.94")  # 0.38 x 13
    # (50 + 48/13 + 4.94) / 250 x 100 = 23.4529
    assert result.iid == Decimal("23.45")
    assert result.iid_exact.quantize(Decimal("0.0001")) == Decimal("23.4529")


def _coverage_case(org, last_urusan: str, related: tuple[str, ...] = ()) -> None:
    for code in YANDAS[:4]:
        case(org, params={16: 1}, urusan=code)
    case(org, params={16: 1}, urusan=last_urusan, related=related)


def test_coverage_five_of_six_yandas_counts_jumlah_inovasi(org):
    _coverage_case(org, YANDAS[4])
    result = estimate(year=2026)
    # SID = 15/12 + 0.38 x 5 = 1.25 + 1.90; SPD not entered -> 0; IID = 3.15 / 2.5
    assert len(result.yandas_covered) == 5 and result.coverage_met
    assert result.jumlah_score == Decimal("1.90")
    assert result.iid == Decimal("1.26")
    assert [a.code for a in result.yandas_missing] == ["sosial"]
    assert any("SPD" in warning for warning in result.warnings)


def test_coverage_four_of_six_yandas_scores_jumlah_zero(org):
    _coverage_case(org, "tenaga-kerja")
    result = estimate(year=2026)
    assert len(result.yandas_covered) == 4 and not result.coverage_met
    assert result.jumlah_score == 0
    assert result.iid == Decimal("0.50")  # 1.25 / 2.5


def test_related_urusan_count_only_when_the_ruleset_says_so(org):
    _coverage_case(org, "tenaga-kerja", related=("sosial",))
    assert estimate(year=2026).jumlah_score == 0
    Ruleset.objects.filter(year=2026).update(coverage_counts_related=True)
    assert estimate(year=2026).jumlah_score == Decimal("1.90")


def test_only_verified_cases_and_valid_evidence_count_and_the_best_item_wins(org):
    kept = case(org, params={16: 1})
    case(org, params={16: 3}, verified={16: 2})  # the verifier lowered 3 -> 2

    evidence(org, kept, {16: 3}, review=EvidenceItem.Review.INVALID)
    evidence(org, kept, {16: 2})  # best valid item for 16 is 2, not the invalid 3
    evidence(org, kept, {35: 3}, review=EvidenceItem.Review.PENDING)
    case(org, params={16: 3}, stage=Stage.PACKAGING_GATE)  # not verified yet
    case(org, params={16: 3}, stage=Stage.REJECTED)
    case(org, params={16: 3}, stage=Stage.DONE)
    result = estimate(year=2026)
    assert sorted(i.score for i in result.innovations) == [6, 6, 9]
    assert result.pending_count == 1
    other = Org()
    case(other, params={16: 3}, unit=other.unit)
    assert estimate(year=2026).innovation_count == 4
    by_unit = estimate(year=2026, unit=other.unit)
    assert (by_unit.innovation_count, by_unit.score_sum, by_unit.unit_id) == (1, 9, other.unit.pk)


@pytest.mark.parametrize(
    ("spd", "iid", "predicate", "gap", "boundary"),
    [
        # (SPD + 111) / 2.5: the band is read on the unrounded IID (issue 10)
        ("51.50", "65.00", "Inovatif", "0.01", "Sangat Inovatif"),  # 65.000
        ("51.51", "65.00", "Inovatif", "0.006", "Sangat Inovatif"),  # 65.004
        ("51.52", "65.01", "Inovatif", "0.002", "Sangat Inovatif"),  # 65.008: below 65.01
        ("51.53", "65.01", "Sangat Inovatif", None, "Inovatif"),  # 65.012
        ("51.56", "65.02", "Sangat Inovatif", None, None),  # 65.024: clear of the edge
        ("51.46", "64.98", "Inovatif", "0.026", None),  # 64.984
    ],
)
def test_predicate_at_and_around_65_with_2026_thresholds(org, spd, iid, predicate, gap, boundary):
    for _index in range(12):  # twelve perfect innovations: SID indicators = 1332 / 12 = 111
        case(org, params=ALL_THREE)
    set_spd_score(year=2026, spd_score=spd)
    result = estimate(year=2026)
    assert result.sid_indicators == 111 and result.jumlah_score == 0
    assert (result.iid, result.predicate, result.boundary) == (Decimal(iid), predicate, boundary)
    assert result.gap_to_next == (Decimal(gap) if gap else None)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_band_at_and_around_its_bounds(year):
    bands = [
        Band(t.name, t.lower, t.upper, "") for t in Ruleset.objects.get(year=year).thresholds.all()
    ]

    def at(value: str):
        found = standing_for(Decimal(value), bands)
        return found.predicate, found.boundary

    # 2025 takes "Sangat Inovatif" from 65.01 (Kepmendagri 400.10.11-6097/2025) and the
    # other bands from the 2026 rows: the same edges in both years.
    assert at("0") == ("Tidak Dapat Dinilai", "Kurang Inovatif")
    assert at("0.01") == ("Kurang Inovatif", "Tidak Dapat Dinilai")
    assert at("20") == ("Kurang Inovatif", None)
    assert at("39.995") == ("Kurang Inovatif", "Inovatif")
    assert at("40.00") == ("Kurang Inovatif", "Inovatif")
    assert at("40.005") == ("Kurang Inovatif", "Inovatif")
    assert at("40.01") == ("Inovatif", "Kurang Inovatif")
    assert at("40.02") == ("Inovatif", None)
    assert at("64.99") == ("Inovatif", None)
    assert at("64.995") == ("Inovatif", "Sangat Inovatif")
    assert at("65.01") == ("Sangat Inovatif", "Inovatif")
    assert at("65.0199") == ("Sangat Inovatif", "Inovatif")
    assert at("65.02") == ("Sangat Inovatif", None)
    assert at("100") == ("Sangat Inovatif", None)
    assert standing_for(Decimal("40.01"), bands).gap == Decimal("25.00")


def test_rules_bands_and_indicators_name_their_sources():
    ruleset_2025 = Ruleset.objects.get(year=2025)
    assert "400.10.11-6097/2025" in ruleset_2025.source.citation
    top = ruleset_2025.thresholds.get(name="Sangat Inovatif")
    assert (top.lower, top.source.key) == (Decimal("65.01"), "T1")
    assert all(t.source for t in PredicateThreshold.objects.all())
    assert not Indicator.objects.filter(source__isnull=True).exists()
    assert estimate(year=2025).source == ruleset_2025.source.citation


def test_missing_ruleset_is_a_clear_error():
    with pytest.raises(RulesetMissing, match="2031"):
        estimate(year=2031)


def test_query_count_does_not_grow_with_innovations(org):
    Ruleset.objects.filter(year=2026).update(coverage_counts_related=True)
    case(org, params={16: 1}, related=("sosial",))
    case(org, params={16: 1}, stage=Stage.PACKAGING)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            estimate(year=2026)
            selectors.next_best_steps(year=2026)
        return len(ctx.captured_queries)

    few = count()
    for code in YANDAS:
        case(org, params=ALL_THREE, urusan=code, related=("pendidikan",))
        case(org, params={17: 2}, urusan=code, stage=Stage.VERIFICATION)
    assert count() == few
    assert few <= 16
