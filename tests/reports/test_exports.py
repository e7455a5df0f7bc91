"""Innovation list exports: filters of the list page applied, only visible rows, real readers."""

import datetime as dt

import pytest
from django.urls import reverse

from mentoring.models import Innovation, Stage, Urusan
from tests.factories import Org, make_unit, new_innovation

from .helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

CSV = reverse("portal:report-innovations", args=["csv"])
XLSX = reverse("portal:report-innovations", args=["xlsx"])


@pytest.fixture
def data(org):
    other = Org()
    old = Org(year=org.year - 1)
    rows = {
        "antrean": new_innovation(org, name="Antrean Daring", tujuan="Mengurangi antrean"),
        "arsip": new_innovation(org, name="Arsip Digital", budget=15000000),
        "posyandu": new_innovation(
            other,
            name="Posyandu Pintar",
            main_urusan=Urusan.objects.get(code="pendidikan"),
        ),
        "lama": new_innovation(old, name="Inovasi Lama"),
    }
    Innovation.objects.filter(pk=rows["arsip"].pk).update(stage=Stage.MENTORING)
    return org, other, old, rows


def _by_id(rows: list[list]) -> dict[int, list]:
    return {int(row[0]): row for row in rows[1:]}


def test_csv_has_indonesian_headers_and_every_visible_row(client, data):
    org, other, old, rows = data
    client.force_login(org.admin)
    table = csv_rows(client.get(CSV))
    assert table[0][:5] == ["ID", "Nama inovasi", "Kode unit", "Unit", "Tahun"]
    assert "Tahap" in table[0] and "Pendamping utama" in table[0]
    got = _by_id(table)
    assert set(got) == {innovation.pk for innovation in rows.values()}
    header = table[0]
    arsip = dict(zip(header, got[rows["arsip"].pk], strict=True))
    assert arsip["Nama inovasi"] == "Arsip Digital"
    assert arsip["Kode unit"] == org.unit.code
    assert arsip["Tahap"] == "Pendampingan"  # the label, not the code
    assert arsip["Bentuk inovasi"] == "Inovasi pelayanan publik"
    assert arsip["Urusan utama"] == Urusan.objects.get(code="kesehatan").name
    assert arsip["Pendamping utama"] == org.mentor.username
    assert arsip["Anggaran (Rp)"] == "15000000"
    posyandu = dict(zip(header, got[rows["posyandu"].pk], strict=True))
    assert posyandu["Pendamping utama"] == other.mentor.username
    assert posyandu["Tahap"] == "Usulan"
    assert dt.datetime.strptime(arsip["Dibuat"], "%Y-%m-%d %H:%M")


def test_filters_of_the_list_page_apply(client, data):
    org, other, old, rows = data
    client.force_login(org.admin)
    assert set(_by_id(csv_rows(client.get(CSV, {"stage": "mentoring"})))) == {rows["arsip"].pk}
    assert set(_by_id(csv_rows(client.get(CSV, {"unit": other.unit.code})))) == {
        rows["posyandu"].pk
    }
    assert set(_by_id(csv_rows(client.get(CSV, {"year": org.year - 1})))) == {rows["lama"].pk}
    assert set(_by_id(csv_rows(client.get(CSV, {"mentor": other.mentor.username})))) == {
        rows["posyandu"].pk
    }
    assert set(_by_id(csv_rows(client.get(CSV, {"q": "antrean"})))) == {rows["antrean"].pk}
    both = {"year": org.year, "unit": org.unit.code, "stage": "proposal,mentoring"}
    assert set(_by_id(csv_rows(client.get(CSV, both)))) == {rows["antrean"].pk, rows["arsip"].pk}


def test_operator_exports_only_their_unit(client, data):
    org, other, old, rows = data
    client.force_login(org.operator)
    assert set(_by_id(csv_rows(client.get(CSV)))) == {rows["antrean"].pk, rows["arsip"].pk}
    # Asking for another unit's rows by filter gives nothing, not their data.
    assert _by_id(csv_rows(client.get(CSV, {"unit": other.unit.code}))) == {}
    assert set(_by_id(xlsx_rows(client.get(XLSX)))) == {rows["antrean"].pk, rows["arsip"].pk}


def test_mentor_exports_only_their_units_of_the_year(client, data):
    org, other, old, rows = data
    client.force_login(other.mentor)
    assert set(_by_id(csv_rows(client.get(CSV)))) == {rows["posyandu"].pk}


def test_xlsx_matches_the_data(client, data):
    org, other, old, rows = data
    client.force_login(org.admin)
    table = xlsx_rows(client.get(XLSX, {"year": org.year}))
    header = table[0]
    assert header[:4] == ["ID", "Nama inovasi", "Kode unit", "Unit"]
    got = {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}
    assert set(got) == {rows["antrean"].pk, rows["arsip"].pk, rows["posyandu"].pk}
    arsip = got[rows["arsip"].pk]
    assert arsip["Tahun"] == org.year  # numbers stay numbers
    assert arsip["Anggaran (Rp)"] == 15000000
    assert arsip["Tahap"] == "Pendampingan"
    assert isinstance(arsip["Dibuat"], dt.datetime)
    assert arsip["Tenggat"] is None or isinstance(arsip["Tenggat"], dt.datetime)


def test_formula_like_text_is_neutralised(client, org):
    risky = new_innovation(org, name='=HYPERLINK("http://x")', inisiator_name="+62 812")
    client.force_login(org.admin)
    csv_row = _by_id(csv_rows(client.get(CSV)))[risky.pk]
    assert csv_row[1] == '\'=HYPERLINK("http://x")'
    xlsx_row = _by_id(xlsx_rows(client.get(XLSX)))[risky.pk]
    assert xlsx_row[1] == '\'=HYPERLINK("http://x")'  # text, not a formula
    assert xlsx_row[8] == "'+62 812"


def test_bad_filter_is_named_and_nothing_is_exported(client, org):
    client.force_login(org.admin)
    response = client.get(CSV, {"due_before": "kemarin"})
    assert response.status_code == 400
    assert "TTTT-BB-HH" in response.content.decode()
    assert client.get(reverse("portal:report-innovations", args=["pdf"])).status_code == 404


def test_login_required(client):
    response = client.get(CSV)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_selected_rows_export(client, data):
    org, other, old, rows = data
    url = reverse("portal:report-innovations-selected")
    client.force_login(org.admin)
    chosen = [rows["arsip"].pk, rows["posyandu"].pk]
    got = csv_rows(client.post(url, {"ids": chosen, "format": "csv"}))
    assert set(_by_id(got)) == set(chosen)
    got = xlsx_rows(client.post(url, {"ids": chosen, "format": "xlsx"}))
    assert set(_by_id(got)) == set(chosen)
    # Nothing chosen: back to the list with a message; junk ids: a clear 400.
    response = client.post(url, {"format": "csv", "next": "/innovations/?year=2026"})
    assert response.status_code == 302 and response["Location"] == "/innovations/?year=2026"
    response = client.post(url, {"format": "csv", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:innovation-list")
    assert client.post(url, {"ids": ["x"], "format": "csv"}).status_code == 400
    assert client.post(url, {"ids": chosen, "format": "doc"}).status_code == 400
    # Someone else's rows are never exported, even when asked for by id.
    client.force_login(org.operator)
    got = csv_rows(client.post(url, {"ids": chosen, "format": "csv"}))
    assert set(_by_id(got)) == {rows["arsip"].pk}


def test_list_page_offers_downloads_with_its_filters(client, data):
    org, *_ = data
    client.force_login(org.admin)
    html = client.get("/innovations/", {"stage": "mentoring", "year": org.year}).content.decode()
    assert f'{CSV}?stage=mentoring&amp;year={org.year}"' in html
    assert f'{XLSX}?stage=mentoring&amp;year={org.year}"' in html
    assert "Unduh CSV" in html and "Unduh Excel" in html
    assert 'name="ids"' in html  # admins can tick rows
    client.force_login(org.operator)
    html = client.get("/innovations/").content.decode()
    assert "Unduh CSV" in html and 'name="ids"' not in html


def test_large_export_streams_in_chunks(client, org, django_assert_max_num_queries):
    unit = make_unit()
    Innovation.objects.bulk_create(
        Innovation(
            unit=unit,
            year=org.year,
            name=f"Massal {n}",
            bentuk="pelayanan_publik",
            jenis="digital",
            inisiator="asn",
            main_urusan=Urusan.objects.get(code="kesehatan"),
            created_by=org.admin,
        )
        for n in range(2500)
    )
    client.force_login(org.admin)
    response = client.get(CSV)
    # The queries of a streamed body run while it is consumed: a fixed few per chunk.
    with django_assert_max_num_queries(8):
        table = csv_rows(response)
    assert len(table) == 2501
