from decimal import Decimal

import pytest

from core.errors import GuardFailed
from mentoring.models import Indicator
from scoring.models import PredicateThreshold, Ruleset
from scoring.services import copy_ruleset, set_spd_score

pytestmark = pytest.mark.django_db


def test_copy_ruleset_copies_rules_thresholds_and_indicators_unconfirmed():
    Ruleset.objects.filter(year=2026).update(spd_score=Decimal("40"), confirmed=True)
    result = copy_ruleset(from_year=2026, to_year=2027)
    new, old = result.ruleset, Ruleset.objects.get(year=2026)
    for name in ("divisor_minimum", "jumlah_coefficient", "jumlah_cap", "yandas_min_covered"):
        assert getattr(new, name) == getattr(old, name)
    assert (new.total_max, new.spd_score, new.confirmed) == (250, None, False)
    assert "2026" in new.note
    assert (result.thresholds_copied, result.indicators_copied) == (4, 20)
    assert list(new.thresholds.values_list("name", "lower", "upper")) == list(
        old.thresholds.values_list("name", "lower", "upper")
    )
    copied = Indicator.objects.filter(year=2027).order_by("number")
    assert [(i.number, i.weight, i.mandatory) for i in copied] == [
        (i.number, i.weight, i.mandatory)
        for i in Indicator.objects.filter(year=2026).order_by("number")
    ]
    assert not copied.filter(confirmed=True).exists()


def test_copy_ruleset_keeps_indicators_the_new_year_already_has():
    Indicator.objects.create(year=2028, number=16, name="Regulasi", weight=5)
    result = copy_ruleset(from_year=2026, to_year=2028)
    assert result.indicators_copied == 0
    assert list(Indicator.objects.filter(year=2028).values_list("weight", flat=True)) == [5]


@pytest.mark.parametrize(
    ("from_year", "to_year", "field"),
    [(2026, 2025, "to_year"), (2019, 2027, "from_year"), (2026, 2026, "to_year")],
)
def test_copy_ruleset_refuses_bad_years_and_writes_nothing(from_year, to_year, field):
    counts = (
        Ruleset.objects.count(),
        PredicateThreshold.objects.count(),
        Indicator.objects.count(),
    )
    with pytest.raises(GuardFailed) as exc:
        copy_ruleset(from_year=from_year, to_year=to_year)
    assert field in exc.value.fields
    assert counts == (
        Ruleset.objects.count(),
        PredicateThreshold.objects.count(),
        Indicator.objects.count(),
    )


def test_set_spd_score_accepts_a_comma_and_refuses_bad_values():
    assert set_spd_score(year=2026, spd_score="51,5").spd_score == Decimal("51.50")
    for bad in ("abc", "63.01", "-1", "NaN"):
        with pytest.raises(GuardFailed) as exc:
            set_spd_score(year=2026, spd_score=bad)
        assert "spd_score" in exc.value.fields
    assert Ruleset.objects.get(year=2026).spd_score == Decimal("51.50")
    assert set_spd_score(year=2026, spd_score=None).spd_score is None
    with pytest.raises(GuardFailed) as exc:
        set_spd_score(year=2040, spd_score="1")
    assert "year" in exc.value.fields
