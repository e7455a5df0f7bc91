"""Issue 13 points 3 and 6, computed by hand for 2026 (seed ruleset: k = 12, 0.38 x min(n, 200),
total 250, at least 5 of 6 yandas affairs; weights 16:3 17:2 33:3 35:4). "cont" continues a
2025 case of the same unit:

office A   new  N1 kesehatan        {16: 3, 17: 2} = 13   reporting
           new  N2 pendidikan       {35: 3}        = 12   done
           cont C1 perumahan        {16: 1}        =  3   reporting
office B   cont C2 ketenteraman     {17: 1}        =  2   done
           new  N3 pekerjaan umum   {33: 1}        =  3   proposal (pending: not in n)
           new  R  kesehatan        rejected: counts nowhere
office O   cont X  sosial           proposal (its only case of the year)
school S   new  S1 sosial           ALL_THREE      = 111  reporting (Pekan Inovasi)
group K    cont K1 kesehatan        {16: 3}        =  9   reporting (Pekan Inovasi, farmers)

n = N1, N2, C1, C2 = 4 (2 continued); divisor = MAX(12, 4) = 12; sum = 13 + 12 + 3 + 2 = 30;
covered = kesehatan, pendidikan, perumahan, ketenteraman = 4 of 6 -> jumlah 0.
SPD 50: IID = (50 + 30 / 12) / 250 x 100 = 21.0000.
N3 verified: n = 5, sum = 33, covered 5 (two only through continued innovations) ->
jumlah = 0.38 x 5 = 1.90; IID = (50 + 33 / 12 + 1.90) / 250 x 100 = 21.8600.
Counting new ones only would give n = 3, sum 28, covered 3: 20.9333; counting the Pekan
Inovasi cases, the school's 111 alone would add 44.4 points.

Target (one NEW innovation per office a year): A met (N1, N2), B met (N3; R rejected), O not
(a continuation only). The school and the group have no target and are not in the table.
"""

import datetime as dt
from decimal import Decimal

import pytest

from dashboards import selectors as dashboards
from mentoring.models import (
    Bentuk,
    Inisiator,
    Innovation,
    Jenis,
    PekanCategory,
    Stage,
    UnitKind,
    Urusan,
)
from reports import selectors as reports
from scoring.selectors import estimate
from scoring.services import set_spd_score
from submission import selectors as submission
from tests.factories import Org

from .builders import ALL_THREE, YANDAS, case

pytestmark = pytest.mark.django_db
KESEHATAN, PENDIDIKAN, PU, PERUMAHAN, KETENTERAMAN, SOSIAL = YANDAS[1], YANDAS[0], *YANDAS[2:]


def _earlier(org, unit, urusan: str) -> Innovation:
    return Innovation.objects.create(
        unit=unit,
        year=org.year - 1,
        name="Tahun lalu",
        bentuk=Bentuk.PELAYANAN_PUBLIK,
        jenis=Jenis.DIGITAL,
        inisiator=Inisiator.ASN,
        main_urusan=Urusan.objects.get(code=urusan),
        stage=Stage.DONE,
        created_by=org.operator,
    )


def _continued(org, unit, **kwargs) -> Innovation:
    innovation = case(org, unit=unit, **kwargs)
    innovation.continues = _earlier(org, unit, kwargs["urusan"])
    innovation.reported_before = 1
    innovation.save()
    return innovation


def _community(kind: str, category: str) -> Org:
    org = Org()
    org.unit.kind, org.unit.category = kind, category
    org.unit.full_clean()
    org.unit.save()
    return org


@pytest.fixture
def year(org):
    a, b = org, Org()
    school = _community(UnitKind.SEKOLAH, PekanCategory.SEKOLAH)
    group = _community(UnitKind.KELOMPOK, PekanCategory.PETANI_NELAYAN)
    only_continued = Org()
    cases = {
        "N1": case(a, params={16: 3, 17: 2}, urusan=KESEHATAN),
        "N2": case(a, params={35: 3}, urusan=PENDIDIKAN, stage=Stage.DONE),
        "C1": _continued(a, a.unit, params={16: 1}, urusan=PERUMAHAN),
        "C2": _continued(b, b.unit, params={17: 1}, urusan=KETENTERAMAN, stage=Stage.DONE),
        "N3": case(b, params={33: 1}, urusan=PU, stage=Stage.PROPOSAL),
        "R": case(b, params={16: 3}, urusan=KESEHATAN, stage=Stage.REJECTED),
        "S1": case(school, params=ALL_THREE, urusan=SOSIAL),
        "K1": _continued(group, group.unit, params={16: 3}, urusan=KESEHATAN),
        "X": _continued(only_continued, only_continued.unit, params={16: 1}, urusan=SOSIAL),
    }
    Innovation.objects.filter(pk=cases["X"].pk).update(stage=Stage.PROPOSAL)
    set_spd_score(year=2026, spd_score="50")
    return a, b, school, group, only_continued, cases


def test_estimate_counts_continued_innovations_and_leaves_pekan_inovasi_out(year):
    a, b, school, group, _only, cases = year
    result = estimate(year=2026)
    counted = {i.innovation_id for i in result.innovations}
    assert counted == {cases[k].pk for k in ("N1", "N2", "C1", "C2")}
    assert (result.innovation_count, result.continued_count) == (4, 2)
    assert (result.divisor, result.score_sum) == (12, 30)
    assert result.pending_count == 2  # N3 and X (proposal); S1, K1 nowhere
    assert {a.code for a in result.yandas_covered} == {
        KESEHATAN,
        PENDIDIKAN,
        PERUMAHAN,
        KETENTERAMAN,
    }
    assert not result.coverage_met and result.jumlah_score == 0
    assert result.iid_exact == Decimal("21")  # (50 + 30/12) / 250 x 100
    # N3 verified: five yandas affairs, two of them only through continued innovations.
    Innovation.objects.filter(pk=cases["N3"].pk).update(stage=Stage.REPORTING)
    result = estimate(year=2026)
    assert (result.innovation_count, result.score_sum) == (5, 33)
    assert result.coverage_met and result.jumlah_score == Decimal("1.90")
    assert result.iid_exact.quantize(Decimal("0.0001")) == Decimal("21.8600")
    assert result.iid == Decimal("21.86")


def test_target_counts_new_innovations_of_offices_only(year):
    a, b, school, group, only, cases = year
    summary = dashboards.summary(year=2026)
    ours = {a.unit.code, b.unit.code, only.unit.code}
    without = {u.code for u in summary.units_without}
    assert only.unit.code in without and not ({a.unit.code, b.unit.code} & without)
    assert school.unit.code not in without and group.unit.code not in without
    assert school.unit.kind not in {k.kind for k in summary.by_kind}
    # Totals: every office unit in the database (ours, and any seeded by migrations).
    from mentoring.models import OFFICE_KINDS, Unit

    offices = Unit.objects.filter(kind__in=OFFICE_KINDS)
    assert summary.units_total == offices.count() == Unit.objects.count() - 2
    assert summary.units_met == 2
    assert (summary.new_innovations, summary.continued_innovations) == (3, 3)  # N1 N2 N3; C1 C2 X
    assert summary.community_innovations == 2  # S1, K1
    # The head's view of B: N3 is new (R rejected), C2 continued.
    head = dashboards.head_dashboard(unit_ids=[b.unit.pk, only.unit.pk], year=2026)
    by_unit = {unit.unit_id: unit for unit in head.units}
    assert (by_unit[b.unit.pk].active, by_unit[b.unit.pk].continued) == (1, 1)
    assert by_unit[b.unit.pk].target_met
    assert (by_unit[only.unit.pk].active, by_unit[only.unit.pk].continued) == (0, 1)
    assert not by_unit[only.unit.pk].target_met
    figures = dashboards.unit_figures(year=2026, today=dt.date(2026, 5, 1))
    assert (figures[a.unit.pk]["active"], figures[a.unit.pk]["continued"]) == (2, 1)
    # The reports' compliance table: offices only, new ones for the target.
    compliance = {u.code: u for u in reports.compliance(user=a.admin, year=2026).units}
    assert ours <= set(compliance) and not {school.unit.code, group.unit.code} & set(compliance)
    assert (compliance[a.unit.code].active, compliance[a.unit.code].continued) == (2, 1)
    assert not compliance[only.unit.code].target_met and compliance[only.unit.code].continued == 1


def test_pekan_inovasi_lists_the_innovators_beyond_offices_by_category(year):
    a, _b, school, group, _only, cases = year
    groups = reports.pekan_inovasi(user=a.admin, year=2026)
    assert [(g.category, [c.pk for c in g.cases]) for g in groups] == [
        (PekanCategory.SEKOLAH, [cases["S1"].pk]),
        (PekanCategory.PETANI_NELAYAN, [cases["K1"].pk]),
    ]
    assert groups[1].cases[0].continued and groups[1].cases[0].unit_kind == "Kelompok masyarakat"
    # An office operator sees none of them.
    assert reports.pekan_inovasi(user=a.operator, year=2026) == []


def test_national_board_and_package_leave_pekan_inovasi_out(year):
    a, _b, school, group, _only, cases = year
    board = submission.board(user=a.admin, year=2026)
    on_board = {line.pk for unit in board.units for line in unit.cases}
    assert cases["S1"].pk not in on_board and cases["K1"].pk not in on_board
    assert {cases["N1"].pk, cases["C1"].pk, cases["C2"].pk} <= on_board
    packaged = {c.pk for c in submission.package_cases(user=a.admin, year=2026)}
    assert cases["S1"].pk not in packaged and cases["C1"].pk in packaged


def test_estimate_query_count_is_unchanged_by_continuations(year, django_assert_max_num_queries):
    a, *_ = year
    estimate(year=2026)
    with django_assert_max_num_queries(6):
        estimate(year=2026)
    for _ in range(5):
        _continued(a, a.unit, params={16: 1}, urusan=KESEHATAN)
    with django_assert_max_num_queries(6):
        assert estimate(year=2026).continued_count == 7
