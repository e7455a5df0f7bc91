"""The national results and calibration pages (admins only), their forms and downloads, and the
calibration section of the yearly PDF."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from scoring import results
from scoring.models import InnovationResult, NationalResult
from scoring.services import set_spd_score
from tests.factories import Org, make_user

from .builders import case

pytestmark = pytest.mark.django_db
PAGE = reverse("portal:national-results")
CALIBRATION = reverse("portal:calibration")


def template_url(fmt: str) -> str:
    return reverse("portal:national-results-template", args=[fmt])


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.admin)
    return client


@pytest.mark.parametrize("url", [PAGE, CALIBRATION, template_url("csv"), template_url("xlsx")])
@pytest.mark.parametrize("who", ["observer", "verifier", "head", "operator", "mentor"])
def test_only_admins_reach_the_pages(client, org, url, who):
    client.force_login(getattr(org, who))
    assert client.get(url, {"year": 2026}).status_code == 403
    assert client.post(url, {"form": "regency", "kab-predicate": ""}).status_code == 403
    assert not NationalResult.objects.exists()


def test_a_user_without_roles_gets_403_and_anonymous_the_login(client, db):
    assert client.get(PAGE).status_code == 302
    client.force_login(make_user())
    assert client.get(CALIBRATION).status_code == 403


def test_admin_sees_the_page_with_the_years_indicators(admin_client, org):
    case(org, params={16: 3})
    response = admin_client.get(PAGE, {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hasil IID nasional 2026" in body
    assert 'name="inv-indikator_35"' in body and 'name="inv-indikator_36"' not in body
    assert "Sangat Inovatif" in body  # the predicate choices are the year's bands


def test_a_year_without_ruleset_says_so(admin_client):
    response = admin_client.get(PAGE, {"year": 2031})
    assert response.status_code == 200
    assert "2031 belum ada" in response.content.decode()


def test_admin_enters_the_regency_result(admin_client, org):
    response = admin_client.post(
        f"{PAGE}?year=2026",
        {
            "form": "regency",
            "kab-spd": "48,5",
            "kab-final_iid": "62,7",
            "kab-predicate": "Inovatif",
            "kab-rank": "12",
            "kab-decree_number": "400.10.11-6097/2025",
            "kab-decree_date": "2026-12-10",
        },
    )
    assert response.status_code == 302
    saved = NationalResult.objects.get(year=2026)
    assert (saved.spd, saved.final_iid, saved.predicate, saved.rank) == (
        Decimal("48.50"),
        Decimal("62.7"),
        "Inovatif",
        12,
    )
    assert "62,70" in admin_client.get(PAGE, {"year": 2026}).content.decode()


def test_bad_regency_input_is_shown_beside_the_field(admin_client):
    response = admin_client.post(
        f"{PAGE}?year=2026", {"form": "regency", "kab-spd": "70", "kab-final_iid": "abc"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "IID final bukan angka" in body
    response = admin_client.post(f"{PAGE}?year=2026", {"form": "regency", "kab-spd": "70"})
    assert "Skor SPD harus angka antara 0 dan 63" in response.content.decode()
    assert not NationalResult.objects.exists()


def _innovation_post(innovation_id, **extra):
    return {
        "form": "innovation",
        "inv-innovation": str(innovation_id),
        "inv-status": "dinilai",
        "inv-indikator_16": "2",
        **extra,
    }


def test_admin_enters_one_innovations_result(admin_client, org):
    innovation = case(org, params={16: 3})
    response = admin_client.post(
        f"{PAGE}?year=2026", _innovation_post(innovation.pk, **{"inv-indikator_35": "3"})
    )
    assert response.status_code == 302
    saved = InnovationResult.objects.get(innovation=innovation)
    assert saved.score == Decimal("18.00")  # 3 x 2 + 4 x 3
    page = admin_client.get(PAGE, {"year": 2026, "innovation": innovation.pk}).content.decode()
    assert f'id="result-{innovation.pk}"' in page
    assert '<option value="3" selected>' in page  # the form is loaded with what is recorded


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"inv-indikator_16": "4"}, "Parameter indikator 16 harus 1, 2 atau 3"),
        ({"inv-indikator_36": "2"}, ""),  # not a field of the year: ignored, saved without it
    ],
)
def test_bad_parameter_on_the_page(admin_client, org, extra, words):
    innovation = case(org, params={16: 3})
    response = admin_client.post(f"{PAGE}?year=2026", _innovation_post(innovation.pk, **extra))
    if words:
        assert response.status_code == 400
        assert words in response.content.decode()
        assert not InnovationResult.objects.exists()
    else:
        assert response.status_code == 302
        assert InnovationResult.objects.get().indicators.count() == 1


def test_an_innovation_of_another_year_is_refused_on_the_page(admin_client, org):
    earlier = case(Org(year=2025), params={16: 3})
    response = admin_client.post(f"{PAGE}?year=2026", _innovation_post(earlier.pk))
    assert response.status_code == 400
    assert "tahun 2025, bukan 2026" in response.content.decode()
    assert not NationalResult.objects.exists()


def test_import_on_the_page_all_or_nothing(admin_client, org):
    a, b = case(org, params={16: 3}), case(org, params={16: 3})
    bad = f"id_inovasi;status;indikator_16\n{a.pk};dinilai;2\n{b.pk};dinilai;5\n".encode()
    response = admin_client.post(
        f"{PAGE}?year=2026",
        {"form": "import", "impor-file": SimpleUploadedFile("hasil.csv", bad)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Impor ditolak: 1 masalah. Tidak ada yang disimpan." in body
    assert "Baris 3, kolom &#x27;indikator_16&#x27;" in body
    assert not InnovationResult.objects.exists()
    good = bad.replace(b"dinilai;5", b"dinilai;1")
    response = admin_client.post(
        f"{PAGE}?year=2026",
        {"form": "import", "impor-file": SimpleUploadedFile("hasil.csv", good)},
        follow=True,
    )
    assert "Impor berhasil: 2 hasil baru, 0 diperbarui." in response.content.decode()
    assert InnovationResult.objects.count() == 2


def test_templates_download(admin_client, org):
    innovation = case(org, params={16: 3})
    response = admin_client.get(template_url("csv"), {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="hasil-iid-nasional-2026.csv"' in response["Content-Disposition"]
    assert f'"{innovation.pk}";"{innovation.name}"' in response.content.decode("utf-8-sig")
    response = admin_client.get(template_url("xlsx"), {"year": 2026})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [str(innovation.pk), innovation.name]
    assert admin_client.get(template_url("pdf"), {"year": 2026}).status_code == 404


@pytest.fixture
def calibrated(org):
    set_spd_score(year=2026, spd_score="50")
    a = case(org, params={16: 3, 35: 2})  # BRIDA 9 + 8 = 17
    results.save_regency_result(
        user=org.admin,
        year=2026,
        spd=Decimal("50"),
        final_iid=Decimal("20.30"),
        predicate="Kurang Inovatif",
        rank=3,
        decree_number="400/2026",
        decree_date=None,
    )
    results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=a.pk,
        score=None,
        status="dinilai",
        parameters={16: 1, 35: 2},  # national 3 + 8 = 11
    )
    return a


def test_calibration_page_shows_the_comparison(admin_client, calibrated):
    response = admin_client.get(CALIBRATION, {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    # (50 + 17 / 12) / 250 x 100 = 20.5667 -> 20.57 against 20.30
    assert "20,57" in body and "20,30" in body and "0,27" in body
    assert 'id="generous-16"' in body and 'id="generous-35"' not in body
    assert f'id="calibration-{calibrated.pk}"' in body
    assert admin_client.get(CALIBRATION, {"year": 2025}).status_code == 200


def pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftotext", "-layout", str(source), str(tmp_path / "r.txt")], check=True)
    return (tmp_path / "r.txt").read_text()


def test_the_yearly_pdf_has_the_calibration_once_results_exist(admin_client, org, tmp_path):
    url = reverse("portal:report-yearly-pdf")
    before = pdf_text(admin_client.get(url, {"year": 2026}).content, tmp_path)
    assert "Kalibrasi" not in before
    a = case(org, params={16: 3, 35: 2})
    results.save_innovation_result(
        user=org.admin,
        year=2026,
        innovation_id=a.pk,
        score=None,
        status="dinilai",
        parameters={16: 1, 35: 2},
    )
    text = pdf_text(admin_client.get(url, {"year": 2026}).content, tmp_path)
    assert "Kalibrasi: perkiraan terhadap hasil nasional" in text
    assert "16. Regulasi inovasi" in text
    assert "lebih longgar dari kementerian" in text
