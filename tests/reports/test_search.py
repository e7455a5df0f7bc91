"""Text search through the one selector the list page, the API and the exports share."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from mentoring import selectors
from mentoring.models import Innovation
from tests.factories import Org, new_innovation
from workflow import selectors as case_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(org):
    other = Org()
    other.unit.name = "Kecamatan Tenggarong Seberang"
    other.unit.save()
    return {
        "air": new_innovation(
            org,
            name="Sistem Informasi Desa",
            tujuan="Menyediakan air bersih bagi warga pesisir yang jauh dari jaringan PDAM",
        ),
        "sekolah": new_innovation(
            org,
            name="Sekolah Lapang",
            manfaat="Petani belajar menanam padi organik",
            hasil="Panen naik dua kali lipat",
        ),
        "rancang": new_innovation(
            org,
            name="Aplikasi Lain",
            metode_pembaharuan="Metode pembaharuan memakai drone pemetaan",
        ),
        "unit": new_innovation(other, name="Layanan Kependudukan Keliling"),
        "tanpa": new_innovation(org, name="Inovasi Kosong", tujuan="Tidak ada hubungannya"),
    }, org


def found(user, q: str) -> set[int]:
    return set(
        case_selectors.innovation_list(user=user, params={"q": q}).values_list("pk", flat=True)
    )


def test_finds_by_words_in_tujuan_in_any_order(corpus):
    rows, org = corpus
    assert found(org.admin, "air bersih") == {rows["air"].pk}
    assert found(org.admin, "Pesisir  AIR") == {rows["air"].pk}  # order and case do not matter
    assert found(org.admin, "air bersih kota") == set()  # every word must match


def test_finds_in_every_text_field_and_the_unit_name(corpus):
    rows, org = corpus
    assert found(org.admin, "padi organik") == {rows["sekolah"].pk}  # manfaat
    assert found(org.admin, "panen") == {rows["sekolah"].pk}  # hasil
    assert found(org.admin, "drone") == {rows["rancang"].pk}  # rancang bangun
    assert found(org.admin, "tenggarong") == {rows["unit"].pk}  # unit name
    assert found(org.admin, "seberang keliling") == {rows["unit"].pk}  # unit + name
    assert found(org.admin, "sekolah") == {rows["sekolah"].pk}  # name


def test_word_beginnings_match(corpus):
    rows, org = corpus
    assert found(org.admin, "Kependuduk") == {rows["unit"].pk}


def test_search_keeps_visibility(corpus):
    rows, org = corpus
    assert found(org.operator, "tenggarong") == set()
    assert found(org.operator, "air") == {rows["air"].pk}


def test_symbols_are_harmless(corpus):
    rows, org = corpus
    assert found(org.admin, "air & | ! ( ) :* ' \\") == {rows["air"].pk}
    assert len(found(org.admin, "  !!  ")) == len(rows)  # no words: no text filter


def test_list_page_and_api_use_it(client, corpus):
    rows, org = corpus
    client.force_login(org.admin)
    html = client.get("/innovations/", {"q": "bersih air"}).content.decode()
    assert "Sistem Informasi Desa" in html and "Sekolah Lapang" not in html
    api = APIClient()
    api.force_authenticate(org.admin)
    response = api.get("/api/v1/innovations/", {"q": "padi"})
    assert [item["id"] for item in response.data["results"]] == [rows["sekolah"].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgres_ranks_name_matches_first(org):
    in_tujuan = new_innovation(org, name="Aplikasi A", tujuan="Pelayanan sampah terpadu")
    in_name = new_innovation(org, name="Bank Sampah Digital")
    ordered = list(
        case_selectors.innovation_list(user=org.admin, params={"q": "sampah"}).values_list(
            "pk", flat=True
        )
    )
    assert ordered == [in_name.pk, in_tujuan.pk]
    # The Indonesian stemmer: "pelayanan" is found by "layanan".
    assert found(org.admin, "layanan") == {in_tujuan.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index only on PostgreSQL")
def test_postgres_uses_the_gin_index(org):
    new_innovation(org, tujuan="Air bersih")
    qs = selectors.search_innovations(Innovation.objects.all(), q="air bersih")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.only("pk").order_by().explain()  # not a backward scan of the primary key
    assert "mentoring_innovation_search_gin" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_the_stored_vector_follows_text_edits_and_survives_stage_moves(org):
    from tests.factories import act

    innovation = new_innovation(org, name="Aplikasi B", tujuan="Pelayanan sampah terpadu")
    act(org.operator, innovation, "submit")  # an UPDATE of the stage columns only
    assert found(org.admin, "sampah") == {innovation.pk}
    innovation.refresh_from_db()
    innovation.tujuan = "Perpustakaan keliling desa"
    innovation.save()
    assert found(org.admin, "perpustakaan") == {innovation.pk}
    assert found(org.admin, "sampah") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_the_search_works_as_a_subquery(org):
    wanted = new_innovation(org, tujuan="Air bersih")
    new_innovation(Org(), tujuan="Perpustakaan keliling")
    found_units = selectors.search_innovations(Innovation.objects.all(), q="air").values("unit_id")
    assert list(type(org.unit).objects.filter(pk__in=found_units)) == [org.unit]
    inner = selectors.search_innovations(Innovation.objects.all(), q="air").values("pk")
    assert set(Innovation.objects.filter(pk__in=inner).values_list("pk", flat=True)) == {wanted.pk}
