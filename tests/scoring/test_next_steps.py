"""Next best steps against hand-computed deltas (2026 seed ruleset, SPD 50)."""

import datetime as dt
from decimal import Decimal

import pytest

from mentoring.models import EvidenceItem, Stage
from recognition.models import Replication
from scoring.selectors import StepKind, estimate, estimate_and_steps, next_best_steps
from scoring.services import set_spd_score

from .builders import ALL_THREE, YANDAS, case, evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org):
    """Four verified innovations in four yandas affairs (coverage 4 of the 5 needed):
    A scores 111 - 4 - 2 = 105 (indicator 35 at 2, indicator 20 at 1), B, C, D score 111.
    Two cases before verification:
      P (packaging, tenaga kerja, not yandas): 16 at 2 and 17 at 2 chosen -> 6 + 4 = 10;
      Q (verification, sosial): 16 chosen 3 but verified 1 -> 3, 35 pending at 2 -> 8,
        33 marked invalid (ignored) -> 11.
    Base: SID = 438 / 12 = 36.5, jumlah 0; IID = (50 + 36.5) / 2.5 = 34.60."""
    a = case(org, params={**ALL_THREE, 35: 2, 20: 1}, urusan=YANDAS[0])
    for code in YANDAS[1:4]:
        case(org, params=ALL_THREE, urusan=code)
    p = case(org, params={16: 2, 17: 2}, urusan="tenaga-kerja", stage=Stage.PACKAGING)
    q = case(org, params={16: 3}, verified={16: 1}, urusan="sosial", stage=Stage.VERIFICATION)
    evidence(org, q, {35: 2}, review=EvidenceItem.Review.PENDING)
    evidence(org, q, {33: 3}, review=EvidenceItem.Review.INVALID)
    set_spd_score(year=2026, spd_score="50")
    return {"a": a, "p": p, "q": q}


def test_base_estimate_of_the_scene(scene):
    result = estimate(year=2026)
    assert (result.score_sum, result.innovation_count, result.iid) == (438, 4, Decimal("34.60"))
    assert [a.code for a in result.yandas_missing] == [YANDAS[4], YANDAS[5]]


def test_steps_are_ranked_by_the_points_they_add(scene):
    steps = next_best_steps(year=2026)
    summary = [
        (s.kind, s.iid_delta, s.innovation_id, s.indicator_number, s.urusan and s.urusan.code)
        for s in steps
    ]
    assert summary == [
        # one more innovation (average 438 / 4 = 109.5) in a missing yandas affair:
        # (50 + 547.5 / 12 + 0.38 x 5) / 2.5 = 39.01 -> +4.41
        (StepKind.NEW_INNOVATION_YANDAS, Decimal("4.4100"), None, None, YANDAS[4]),
        (StepKind.NEW_INNOVATION_YANDAS, Decimal("4.4100"), None, None, YANDAS[5]),
        # Q verified covers sosial too: (50 + 449 / 12 + 1.90) / 2.5 = 35.72667 -> +1.12667
        (StepKind.VERIFY_CASE, Decimal("1.1267"), scene["q"].pk, None, "sosial"),
        # P verified: (50 + 448 / 12) / 2.5 = 34.93333 -> +0.33333
        (StepKind.VERIFY_CASE, Decimal("0.3333"), scene["p"].pk, None, "tenaga-kerja"),
        # A, indicator 35 (weight 4) from 2 to 3: 4 / 12 / 2.5 -> +0.13333
        (StepKind.RAISE_PARAMETER, Decimal("0.1333"), scene["a"].pk, 35, None),
        # A, indicator 20 (weight 1) from 1 to 2: 1 / 12 / 2.5 -> +0.03333
        (StepKind.RAISE_PARAMETER, Decimal("0.0333"), scene["a"].pk, 20, None),
    ]
    raise_35 = steps[4]
    assert (raise_35.from_parameter, raise_35.to_parameter, raise_35.weight) == (2, 3, 4)
    assert raise_35.mandatory and "35" in raise_35.title
    assert steps[0].assumed_score == Decimal("109.5")
    assert [s.kind for s in next_best_steps(year=2026, limit=3)] == [
        StepKind.NEW_INNOVATION_YANDAS,
        StepKind.NEW_INNOVATION_YANDAS,
        StepKind.VERIFY_CASE,
    ]
    assert next_best_steps(year=2026, limit=0) == []
    both, first_three = estimate_and_steps(year=2026, limit=3)
    assert both == estimate(year=2026) and first_three == steps[:3]


def test_each_delta_is_what_the_estimate_would_really_gain(org, scene):
    """Apply the top raise step for real and compare the estimate before and after."""
    before = estimate(year=2026).iid_exact
    step = next(s for s in next_best_steps(year=2026) if s.kind == StepKind.RAISE_PARAMETER)
    EvidenceItem.objects.filter(innovation_id=step.innovation_id, indicator__number=35).update(
        parameter=3, verified_parameter=3
    )
    gained = estimate(year=2026).iid_exact - before
    assert gained.quantize(Decimal("0.0001")) == step.iid_delta


def test_above_k_a_new_innovation_adds_only_its_jumlah_score(org):
    """n = 13 > k, coverage met: an average innovation keeps SID indicators as they are, so it
    adds 0.38 / 2.5 = 0.152; raising weight 4 adds 4 / 13 / 2.5 = 0.12308; missing
    indicators count from 0 (no valid evidence yet)."""
    for index in range(13):
        case(org, params={16: 1}, urusan=YANDAS[index % 5])
    steps = next_best_steps(year=2026, limit=500)
    new = [s for s in steps if s.kind == StepKind.NEW_INNOVATION]
    assert [s.iid_delta for s in new] == [Decimal("0.1520")]
    assert not [s for s in steps if s.kind == StepKind.NEW_INNOVATION_YANDAS]
    assert steps[0].iid_delta == Decimal("0.1520")
    top_raise = steps[1]
    assert (top_raise.kind, top_raise.indicator_number, top_raise.iid_delta) == (
        StepKind.RAISE_PARAMETER,
        35,
        Decimal("0.1231"),
    )
    assert (top_raise.from_parameter, top_raise.to_parameter) == (0, 1)
    # 13 innovations x 20 indicators, none at 3, + one new-innovation step
    assert len(steps) == 13 * 20 + 1


def test_a_new_innovation_far_from_coverage_adds_only_the_divisor_effect(org):
    case(org, params={16: 3})  # 9, one yandas affair of the five needed
    steps = next_best_steps(year=2026)
    new = next(s for s in steps if s.kind == StepKind.NEW_INNOVATION)
    assert new.iid_delta == Decimal("0.3000")  # 9 / 12 / 2.5, jumlah still 0
    assert "1 dari 5" in new.title


def test_nothing_verified_assumes_mandatory_indicators_at_one(org):
    steps = next_best_steps(year=2026)
    assert len(steps) == 1 and steps[0].kind == StepKind.NEW_INNOVATION
    assert steps[0].assumed_score == 14  # 16, 17, 32, 33, 35: 3 + 2 + 2 + 3 + 4
    assert steps[0].iid_delta == Decimal("0.4667")  # 14 / 12 / 2.5


def test_a_short_list_is_the_head_of_a_long_one(org):
    """(a) stops after `limit` candidates per (weight, mandatory) group: the steps of any
    limit are the first steps of a longer list."""
    for number in range(9):
        params = {n: p for n, p in ALL_THREE.items() if n % 3 != number % 3}
        case(org, params=params, urusan=YANDAS[number % 6])
    full = next_best_steps(year=2026, limit=500)
    assert len(full) > 40
    for limit in (1, 3, 7, 20):
        assert next_best_steps(year=2026, limit=limit) == full[:limit]


def test_recorded_replications_become_the_step_to_upload_their_evidence(org):
    """Three replications recorded on A (evidence of indicator 31 at 1): the step raises 31
    from 1 to 3 at once, with the points that two parameter steps of its weight add; B,
    without replications, keeps the ordinary one-step raise."""
    a = case(org, params={**ALL_THREE, 31: 1}, urusan=YANDAS[0])
    b = case(org, params={**ALL_THREE, 31: 1}, urusan=YANDAS[1])
    for n in range(3):
        Replication.objects.create(
            innovation=a,
            region_name=f"Kabupaten {n}",
            date=dt.date(2026, 5, 1 + n),
            uploaded_by=org.operator,
        )
    steps = {(s.kind, s.innovation_id): s for s in next_best_steps(year=2026, limit=100)}
    upload = steps[(StepKind.RECORDED_REPLICATIONS, a.pk)]
    assert (upload.indicator_number, upload.from_parameter, upload.to_parameter) == (31, 1, 3)
    assert "3 replikasi" in upload.title
    raise_b = next(
        s
        for (kind, pk), s in steps.items()
        if kind == StepKind.RAISE_PARAMETER and pk == b.pk and s.indicator_number == 31
    )
    before = estimate(year=2026).iid_exact
    EvidenceItem.objects.filter(innovation=a, indicator__number=31).update(verified_parameter=3)
    assert upload.iid_delta == (estimate(year=2026).iid_exact - before).quantize(Decimal("0.0001"))
    assert upload.iid_delta == 2 * raise_b.iid_delta
    assert not any(
        s.innovation_id == a.pk and s.indicator_number == 31 and s.kind == StepKind.RAISE_PARAMETER
        for s in steps.values()
    )
