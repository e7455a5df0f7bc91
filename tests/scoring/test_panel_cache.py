"""The home pages' IID panel is cached (shared cache, Redis in CI) until one of the estimate's
inputs changes: every way the inputs change through the product must show at once."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from mentoring.models import EvidenceItem, Stage
from recognition.models import Replication
from scoring.selectors import PANEL_STEPS, cached_estimate_and_steps, estimate_and_steps
from scoring.services import set_spd_score
from workflow.services import review_evidence

from .builders import ALL_THREE, YANDAS, case

pytestmark = pytest.mark.django_db


def panel():
    return cached_estimate_and_steps(year=2026, limit=5)


def live():
    estimate, steps = estimate_and_steps(year=2026, limit=5)
    return estimate.iid_exact, steps


def test_a_second_read_costs_no_query_and_matches_the_live_figures(org, django_assert_num_queries):
    case(org, params={**ALL_THREE, 35: 1}, urusan=YANDAS[0])
    estimate, steps = panel()
    with django_assert_num_queries(0):
        again, again_steps = panel()
    assert (again.iid_exact, again_steps) == live() == (estimate.iid_exact, steps)
    assert again.innovations == ()  # the per-innovation list is not kept


def test_a_new_verified_case_and_the_spd_show_at_once(org):
    case(org, params=ALL_THREE, urusan=YANDAS[0])
    before = panel()[0]
    case(org, params=ALL_THREE, urusan=YANDAS[1])
    assert panel()[0].innovation_count == before.innovation_count + 1
    set_spd_score(year=2026, spd_score="40")
    assert panel()[0].spd == Decimal("40.00")
    assert panel()[0].iid_exact == live()[0]


def test_evidence_reviews_show_at_once(org):
    pending = case(
        org,
        params={16: 3, 17: 3},
        urusan=YANDAS[0],
        stage=Stage.VERIFICATION,
        review=EvidenceItem.Review.PENDING,
    )
    first = panel()[1]
    item = EvidenceItem.objects.get(innovation=pending, indicator__number=16)
    review_evidence(
        user=org.verifier, evidence_id=item.pk, valid=True, verified_parameter=1, note=""
    )
    assert panel()[1] != first and panel()[1] == live()[1]


def test_a_recorded_replication_shows_at_once(org):
    verified = case(org, params={**ALL_THREE, 31: 1}, urusan=YANDAS[0])
    assert all(s.kind != "recorded_replications" for s in panel()[1])
    for n in range(2):
        Replication.objects.create(
            innovation=verified,
            region_name=f"Kabupaten {n}",
            date=dt.date(2026, 6, 1 + n),
            uploaded_by=org.operator,
        )
    assert panel()[1] == live()[1]
    assert any(s.kind == "recorded_replications" for s in panel()[1])


def test_each_language_keeps_its_own_titles(org):
    case(org, params={**ALL_THREE, 35: 1}, urusan=YANDAS[0])
    with translation.override("id"):
        indonesian = panel()[1]
    with translation.override("en"):
        english = panel()[1]
        assert english == live()[1]
    assert indonesian[0].title != english[0].title


@time_machine.travel(dt.datetime(2026, 9, 16, 9, tzinfo=dt.UTC), tick=False)
def test_the_timers_recompute_the_panel_before_a_visit(org, django_assert_num_queries):
    case(org, params=ALL_THREE, urusan=YANDAS[0])
    call_command("warm_iid_panel")
    for language in ("id", "en"):
        with translation.override(language), django_assert_num_queries(0):
            assert cached_estimate_and_steps(year=2026, limit=PANEL_STEPS)[0].innovation_count == 1
    case(org, params=ALL_THREE, urusan=YANDAS[1])  # a change: the next read would recompute
    call_command("warm_iid_panel")
    with django_assert_num_queries(0):
        assert cached_estimate_and_steps(year=2026, limit=PANEL_STEPS)[0].innovation_count == 2
