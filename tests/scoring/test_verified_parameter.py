"""Verification confirms or lowers the chosen parameter, through the real lifecycle."""

from decimal import Decimal

import pytest

from core.errors import GuardFailed
from mentoring.models import EvidenceItem, Stage
from scoring.selectors import StepKind, estimate, next_best_steps
from tests.factories import act, advance, fill_report, new_innovation
from workflow import services as workflow_services

pytestmark = pytest.mark.django_db


def _review(org, item, **kwargs):
    return workflow_services.review_evidence(user=org.verifier, evidence_id=item.pk, **kwargs)


def test_verified_parameter_confirms_lowers_and_never_raises(org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    items = {i.indicator.number: i for i in EvidenceItem.objects.filter(innovation=innovation)}
    assert sorted(items) == [16, 17, 32, 33, 35] and {i.parameter for i in items.values()} == {2}

    # Before verification: the case is a "verify it" step worth its chosen score 2 x 14 = 28.
    step = next(s for s in next_best_steps(year=2026) if s.kind == StepKind.VERIFY_CASE)
    assert step.assumed_score == 28 and step.iid_delta == Decimal("0.9333")  # 28 / 12 / 2.5

    with pytest.raises(GuardFailed) as exc:
        _review(org, items[35], valid=True, verified_parameter=3)
    assert "verified_parameter" in exc.value.fields
    items[35].refresh_from_db()
    assert (items[35].review, items[35].verified_parameter) == ("pending", None)

    assert _review(org, items[35], valid=True, verified_parameter=1).verified_parameter == 1
    assert _review(org, items[16], valid=True).verified_parameter == 2  # defaults to chosen
    invalid = _review(org, items[17], valid=False, note="Tanpa tanda tangan", verified_parameter=1)
    assert (invalid.review, invalid.verified_parameter) == ("invalid", None)
    for number in (17, 32, 33):
        _review(org, items[number], valid=True)

    innovation = act(org.verifier, innovation, "accept")
    assert innovation.stage == Stage.REPORTING
    result = estimate(year=2026)
    # 2 x (3 + 2 + 2 + 3) + 1 x 4 = 24; SID = 24 / 12 = 2; IID = 2 / 250 x 100 = 0.80
    assert (result.innovation_count, result.score_sum, result.iid) == (1, 24, Decimal("0.80"))
    assert result.innovations[0].parameters[35] == 1
    assert result.predicate == "Kurang Inovatif"

    fill_report(org, innovation)
    innovation = act(org.operator, innovation, "submit")
    innovation = act(org.head, innovation, "approve")
    assert act(org.admin, innovation, "close").stage == Stage.DONE
    assert estimate(year=2026).score_sum == 24  # done still counts
