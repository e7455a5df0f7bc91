"""National results (scoring.results): entering, importing (CSV/XLSX, all or nothing), the
template read back, and the calibration (scoring.calibration) computed by hand.

2026 seed ruleset: SPD max 63, k = 12, total 250, at least 5 of 6 yandas affairs; bands
Tidak Dapat Dinilai 0, Kurang Inovatif 0.01-40, Inovatif 40.01-65, Sangat Inovatif 65.01-100;
weights 16:3 17:2 33:3 35:4 (sum over 16-35: 37, so a national score is at most 111)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import GuardFailed
from mentoring.models import Stage
from scoring import results
from scoring.calibration import calibration
from scoring.models import IndicatorResult, InnovationResult, NationalResult
from scoring.services import set_spd_score
from tests.factories import Org

from .builders import case

pytestmark = pytest.mark.django_db


def regency(org, **changes):
    values = {
        "user": org.admin,
        "year": 2026,
        "spd": Decimal("48"),
        "final_iid": Decimal("20.5"),
        "predicate": "Kurang Inovatif",
        "rank": 7,
        "decree_number": "400.10.11-1234/2026",
        "decree_date": None,
    }
    return results.save_regency_result(**{**values, **changes})


def parameters(result: InnovationResult) -> dict[int, int]:
    return {r.indicator.number: r.parameter for r in result.indicators.select_related("indicator")}


def nothing_written() -> bool:
    return not (
        NationalResult.objects.exists()
        or InnovationResult.objects.exists()
        or IndicatorResult.objects.exists()
    )


def csv_upload(text: str, name: str = "hasil.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("hasil.xlsx", out.getvalue())


# --- the regency's figures ---------------------------------------------------------------------


def test_regency_result_is_saved_and_corrected(org):
    saved = regency(org)
    saved.refresh_from_db()
    assert (saved.spd, saved.final_iid, saved.predicate, saved.rank) == (
        Decimal("48.00"),
        Decimal("20.5000"),
        "Kurang Inovatif",
        7,
    )
    assert saved.entered_by == org.admin
    regency(org, final_iid=Decimal("41.2"), predicate="Inovatif", rank=None)
    again = NationalResult.objects.get(year=2026)
    assert (again.final_iid, again.predicate, again.rank) == (Decimal("41.2"), "Inovatif", None)
    assert NationalResult.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"predicate": "Cukup Inovatif"}, "predicate", "Predikat tidak dikenal"),
        ({"spd": Decimal("63.01")}, "spd", "antara 0 dan 63"),
        ({"spd": Decimal("-1")}, "spd", "antara 0 dan 63"),
        ({"final_iid": Decimal("100.5")}, "final_iid", "antara 0 dan 100"),
        ({"rank": 0}, "rank", "1 atau lebih"),
        ({"decree_number": "x" * 121}, "decree_number", "120 karakter"),
        ({"year": 2031}, "year", "2031 belum ada"),
    ],
)
def test_bad_regency_input_names_the_field_and_writes_nothing(org, changes, field, words):
    with pytest.raises(GuardFailed) as error:
        regency(org, **changes)
    assert field in error.value.fields
    assert words in " ".join(error.value.fields[field])
    assert nothing_written()


def test_predicates_come_from_the_years_bands(org):
    # A band renamed in the year's ruleset is what the service accepts (nothing hard-coded).
    from scoring.models import PredicateThreshold

    PredicateThreshold.objects.filter(ruleset__year=2026, name="Inovatif").update(name="Baik")
    with pytest.raises(GuardFailed):
        regency(org, predicate="Inovatif")
    assert regency(org, predicate="Baik").predicate == "Baik"


# --- one innovation's result -------------------------------------------------------------------


def test_innovation_result_computes_the_score_and_replaces_parameters(org):
    innovation = case(org, params={16: 3})
    saved = results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=innovation.pk,
        score=None,
        status="dinilai",
        parameters={16: 2, 17: 3, 35: None},
    )
    assert saved.score == Decimal("12.00")  # 3 x 2 + 2 x 3
    assert parameters(saved) == {16: 2, 17: 3}
    again = results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=innovation.pk,
        score=Decimal("30.5"),
        status="nominasi",
        parameters={35: 1},
    )
    assert again.pk == saved.pk and again.score == Decimal("30.50")
    assert parameters(again) == {35: 1}
    assert NationalResult.objects.get().year == 2026


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"parameters": {16: 4}}, "indikator_16", "harus 1, 2 atau 3"),
        ({"parameters": {16: 0}}, "indikator_16", "harus 1, 2 atau 3"),
        ({"parameters": {36: 2}}, "indikator_36", "Indikator 36 tidak ada pada tahun 2026"),
        ({"status": "juara"}, "status", "Status tidak dikenal"),
        ({"score": Decimal("111.01")}, "score", "antara 0 dan 111"),
        ({"innovation_id": 999999}, "innovation", "tidak ada"),
    ],
)
def test_bad_innovation_input_names_the_field_and_writes_nothing(org, changes, field, words):
    innovation = case(org, params={16: 3})
    values = {
        "user": org.admin,
        "year": 2026,
        "innovation_id": innovation.pk,
        "score": None,
        "status": "dinilai",
        "parameters": {16: 2},
    }
    with pytest.raises(GuardFailed) as error:
        results.save_innovation_result(**{**values, **changes})
    assert words in " ".join(error.value.fields[field])
    assert nothing_written()


def test_a_result_for_an_innovation_of_another_year_is_refused(org):
    earlier = case(Org(year=2025), params={16: 3})
    with pytest.raises(GuardFailed) as error:
        results.save_innovation_result(
            user=org.admin,
            year=2026,
            innovation_id=earlier.pk,
            score=None,
            status="dinilai",
            parameters={16: 2},
        )
    assert "tahun 2025, bukan 2026" in error.value.fields["innovation"][0]
    assert nothing_written()


# --- import ------------------------------------------------------------------------------------


def test_csv_import_is_read_back(org):
    a = case(org, params={16: 3})
    b = case(org, params={16: 2})
    text = (
        "id_inovasi;nama_inovasi;skor_nasional;status;indikator_16;indikator_17;indikator_35\n"
        f"{a.pk};A;;Dinilai;2;3;\n"
        f'{b.pk};"B; dengan titik koma";40,5;tidak dinilai;1;;2\n'
    )
    report = results.import_innovation_results(user=org.admin, year=2026, upload=csv_upload(text))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    first = InnovationResult.objects.get(innovation=a)
    second = InnovationResult.objects.get(innovation=b)
    assert (first.score, first.status, parameters(first)) == (
        Decimal("12.00"),
        "dinilai",
        {16: 2, 17: 3},
    )
    assert (second.score, second.status, parameters(second)) == (
        Decimal("40.50"),
        "tidak_dinilai",
        {16: 1, 35: 2},
    )


def test_xlsx_import_is_read_back_with_numeric_cells(org):
    a = case(org, params={16: 3})
    upload = xlsx_upload(
        [
            ["id_inovasi", "skor_nasional", "status", "indikator_16", "indikator_33", None],
            [a.pk, 27.25, "nominasi", 3, 2.0, None],
            [None, None, None, None, None, None],
        ]
    )
    report = results.import_innovation_results(user=org.admin, year=2026, upload=upload)
    assert report.ok, report.errors
    saved = InnovationResult.objects.get(innovation=a)
    assert (saved.score, saved.status, parameters(saved)) == (
        Decimal("27.25"),
        "nominasi",
        {16: 3, 33: 2},
    )


def test_one_bad_row_writes_nothing_and_the_report_names_it(org):
    a, b, c = (case(org, params={16: 3}) for _ in range(3))
    text = (
        "id_inovasi,skor_nasional,status,indikator_16\n"
        f"{a.pk},,dinilai,2\n"
        f"{b.pk},,dinilai,4\n"
        f"{c.pk},,dinilai,1\n"
    )
    report = results.import_innovation_results(user=org.admin, year=2026, upload=csv_upload(text))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "indikator_16")]
    assert "Baris 3, kolom 'indikator_16'" in str(report.errors[0])
    assert (report.created, report.updated) == (0, 0)
    assert nothing_written()


def test_an_import_with_a_bad_row_leaves_earlier_results_as_they_were(org):
    a = case(org, params={16: 3})
    results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=a.pk,
        score=None,
        status="dinilai",
        parameters={16: 3},
    )
    text = f"id_inovasi,status,indikator_16\n{a.pk},dinilai,1\n999999,dinilai,1\n"
    report = results.import_innovation_results(user=org.admin, year=2026, upload=csv_upload(text))
    assert [(e.row, e.column) for e in report.errors] == [(3, "id_inovasi")]
    assert parameters(InnovationResult.objects.get(innovation=a)) == {16: 3}


def test_import_reports_every_problem_by_row_and_column(org):
    a = case(org, params={16: 3})
    earlier = case(Org(year=2025), params={16: 3})
    text = (
        "id_inovasi,skor_nasional,status,indikator_16\n"
        f"{a.pk},abc,dinilai,2\n"
        f"{earlier.pk},,dinilai,2\n"
        f"{a.pk},,juara,2\n"
        "x,,dinilai,2\n"
    )
    report = results.import_innovation_results(user=org.admin, year=2026, upload=csv_upload(text))
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "bukan angka" in found[(2, "skor_nasional")]
    assert "tahun 2025, bukan 2026" in found[(3, "id_inovasi")]
    assert "sudah ada di baris 2" in found[(4, "id_inovasi")]
    assert "bilangan bulat" in found[(5, "id_inovasi")]
    assert nothing_written()


def test_an_unknown_indicator_column_is_refused(org):
    a = case(org, params={16: 3})
    text = f"id_inovasi,status,indikator_36,nilai_lain\n{a.pk},dinilai,2,1\n"
    report = results.import_innovation_results(user=org.admin, year=2026, upload=csv_upload(text))
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "Indikator 36 tidak ada pada tahun 2026" in found[(1, "indikator_36")]
    assert "Kolom tidak dikenal" in found[(1, "nilai_lain")]
    assert nothing_written()


def test_unreadable_files_are_refused(org):
    bad = results.import_innovation_results(
        user=org.admin, year=2026, upload=SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken")
    )
    assert not bad.ok and bad.errors[0].row == 0
    latin = SimpleUploadedFile("x.csv", "id_inovasi;café\n".encode("latin-1"))
    refused = results.import_innovation_results(user=org.admin, year=2026, upload=latin)
    assert "UTF-8" in refused.errors[0].message
    assert nothing_written()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_lists_verified_innovations_and_reads_back_unchanged(org, fmt):
    a = case(org, params={16: 3})
    b = case(org, params={16: 2}, stage=Stage.DONE)
    case(org, params={16: 2}, stage=Stage.PACKAGING)  # not sent nationally: not listed
    results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=a.pk,
        score=Decimal("20"),
        status="nominasi",
        parameters={16: 2, 35: 3},
    )
    body = results.template_csv(year=2026) if fmt == "csv" else results.template_xlsx(year=2026)
    if fmt == "csv":
        lines = body.decode("utf-8-sig").splitlines()
        header = lines[0].replace('"', "").split(";")
        assert len(lines) == 3
    else:
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        header = [str(cell.value) for cell in sheet[1]]
        assert sheet.max_row == 3
    assert header[:5] == ["id_inovasi", "nama_inovasi", "unit", "skor_nasional", "status"]
    assert header[5:] == [f"indikator_{n}" for n in range(16, 36)]
    # Read back: a keeps what it had; b's row (no result yet, only its name) is skipped.
    upload = SimpleUploadedFile(f"templat.{fmt}", body)
    report = results.import_innovation_results(user=org.admin, year=2026, upload=upload)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    saved = InnovationResult.objects.get(innovation=a)
    assert (saved.score, saved.status, parameters(saved)) == (
        Decimal("20.00"),
        "nominasi",
        {16: 2, 35: 3},
    )
    assert not InnovationResult.objects.filter(innovation=b).exists()


# --- calibration -------------------------------------------------------------------------------


@pytest.fixture
def calibrated(org):
    """A and B verified by BRIDA with national results; C has a national result but is still in
    verification; D is verified without a national result."""
    set_spd_score(year=2026, spd_score="50")
    a = case(org, params={16: 3, 17: 2, 35: 2})  # BRIDA: 9 + 4 + 8 = 21
    b = case(org, params={16: 2, 33: 3})  # BRIDA: 6 + 9 = 15
    c = case(org, params={16: 3}, stage=Stage.VERIFICATION)
    d = case(org, params={17: 1})  # BRIDA: 2
    regency(org)  # SPD 48, final IID 20.5, Kurang Inovatif
    for innovation, given in (
        (a, {16: 2, 17: 2, 35: 1, 33: 1}),  # national 6 + 4 + 4 + 3 = 17
        (b, {16: 1, 33: 3}),  # national 3 + 9 = 12
        (c, {16: 3}),
    ):
        results.save_innovation_result(
            user=org.admin,
            year=2026,
            innovation_id=innovation.pk,
            score=None,
            status="dinilai",
            parameters=given,
        )
    return a, b, c, d


def test_calibration_by_hand(calibrated):
    a, b, c, d = calibrated
    found = calibration(year=2026)
    assert found is not None and found.estimate is not None
    assert found.iid_difference is not None
    # Estimate: n = 3 verified (A, B, D), divisor 12, scores 21 + 15 + 2 = 38, jumlah 0:
    # (50 + 38 / 12) / 250 x 100 = 21.2667; the ministry's 20.5 -> 0.7667 over.
    assert found.estimate.iid == Decimal("21.27")
    assert found.iid_difference.quantize(Decimal("0.0001")) == Decimal("0.7667")
    assert found.spd_difference == Decimal("2")
    assert found.predicate_matches is True
    assert [i.innovation_id for i in found.compared] == [a.pk, b.pk]
    assert found.not_verified_by_brida == 1
    assert found.without_national_result == (d.name,)
    assert (found.brida_score_sum, found.national_score_sum, found.score_difference) == (36, 29, 7)
    by_number = {i.number: i for i in found.indicators}
    i16, i33, i35, i17 = by_number[16], by_number[33], by_number[35], by_number[17]
    assert (i16.compared, i16.brida_sum, i16.national_sum) == (2, 5, 3)
    assert (i16.over_count, i16.over_points, i16.over_score) == (2, 2, 6)
    assert (i16.brida_mean, i16.national_mean) == (Decimal("2.50"), Decimal("1.50"))
    assert (i35.over_count, i35.over_points, i35.over_score, i35.net_score) == (1, 1, 4, 4)
    assert (i33.under_count, i33.under_points, i33.over_count, i33.net_score) == (1, 1, 0, -3)
    assert (i17.over_count, i17.under_count, i17.agree_count) == (0, 0, 2)
    assert by_number[20].brida_mean == Decimal("0.00")
    assert [i.number for i in found.too_generous] == [16, 35]
    assert (found.over_points, found.under_points, found.over_score) == (3, 1, 10)
    row_a = next(r for r in found.innovations if r.innovation_id == a.pk)
    assert (row_a.over_points, row_a.under_points, row_a.score_difference) == (2, 1, 4)
    row_c = next(r for r in found.innovations if r.innovation_id == c.pk)
    assert not row_c.compared and row_c.brida_score is None
    assert found.warnings == ()


def test_calibration_flags_a_predicate_the_bands_do_not_give(calibrated, org):
    regency(org, predicate="Inovatif")  # 20.5 is "Kurang Inovatif" under the 2026 bands
    found = calibration(year=2026)
    assert found is not None
    assert found.national_predicate_expected == "Kurang Inovatif"
    assert found.predicate_matches is False
    assert "Inovatif" in found.warnings[0]


def test_no_calibration_without_a_national_result(org):
    case(org, params={16: 3})
    assert calibration(year=2026) is None
