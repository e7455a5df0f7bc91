"""The national upload package, read back: file names, profile cells, checklist, streaming."""

import io
import zipfile

import pytest
from asgiref.sync import async_to_sync
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import EvidenceItem, Indicator, Stage
from mentoring.profile import PROFILE_FIELDS
from submission import package
from tests.factories import Org, advance, make_unit, new_innovation

pytestmark = pytest.mark.django_db


def read_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming  # block by block, never built whole
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def verified(org):
    case = advance(org, new_innovation(org, name="Posyandu Digital"), Stage.REPORTING)
    video = Indicator.objects.get(year=org.year, number=35)
    # Packaging is over: the video link of 35 is added as the unit would have, for the test.
    EvidenceItem.objects.create(
        innovation=case,
        indicator=video,
        parameter=3,
        link="https://www.youtube.com/watch?v=abc",
        uploaded_by=org.operator,
    )
    return case


def test_a_case_package_read_back(client, org, verified):
    client.force_login(org.operator)
    archive = read_zip(client.get(reverse("portal:national-case-package", args=[verified.pk])))
    names = archive.namelist()
    folder = names[0].split("/")[0]
    assert folder.startswith("001-posyandu-digital")
    mandatory = Indicator.objects.filter(year=org.year, mandatory=True).order_by("number")
    expected = {f"{folder}/data-dukung/{i.number}-{i.short_name}-p2.pdf" for i in mandatory}
    assert expected <= set(names)
    assert {f"{folder}/profil.xlsx", f"{folder}/profil.pdf", f"{folder}/daftar-periksa.txt"} <= set(
        names
    )
    assert (
        "35-video-p3: https://www.youtube.com/watch?v=abc"
        in archive.read(f"{folder}/tautan-video.txt").decode()
    )
    sheet = load_workbook(io.BytesIO(archive.read(f"{folder}/profil.xlsx"))).active
    rows = [(a.value, b.value) for a, b in sheet.iter_rows(min_row=2)]
    assert [label for label, _value in rows[2:]] == [
        type(verified).field_label(name).capitalize() for name in PROFILE_FIELDS
    ]  # the national form's order, after unit and year
    values = dict(rows)
    assert values["Nama inovasi"] == "Posyandu Digital"
    assert values["Tahapan"] == "Penerapan" and values["Urusan utama"] == "Kesehatan"
    checklist = archive.read(f"{folder}/daftar-periksa.txt").decode()
    assert "[v] Tahapan sudah penerapan" in checklist and "[ ]" not in checklist
    assert archive.read(f"{folder}/profil.pdf").startswith(b"%PDF")
    evidence = archive.read(f"{folder}/data-dukung/16-regulasi-p2.pdf")
    assert evidence.startswith(b"%PDF")


def test_a_file_missing_on_disk_is_listed_never_a_500(client, org, verified):
    item = EvidenceItem.objects.filter(innovation=verified, indicator__number=17).get()
    default_storage.delete(item.file.name)
    client.force_login(org.admin)
    archive = read_zip(client.get(reverse("portal:national-case-package", args=[verified.pk])))
    names = archive.namelist()
    assert not any("17-sdm" in name for name in names)
    checklist = archive.read(next(n for n in names if n.endswith("daftar-periksa.txt"))).decode()
    assert "Berkas tidak ditemukan di penyimpanan" in checklist and "17-sdm-p2.pdf" in checklist


def test_unit_and_regency_packages(client, org, verified):
    other = Org()
    advance(other, new_innovation(other, name="Inovasi Lain"), Stage.PACKAGING_GATE)
    new_innovation(other, name="Masih Usulan")  # no package before packaging
    client.force_login(org.admin)
    archive = read_zip(client.get(reverse("portal:national-package"), {"year": org.year}))
    folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
    assert folders == {org.unit.code, other.unit.code}
    listing = load_workbook(io.BytesIO(archive.read("daftar-inovasi.xlsx"))).active
    titles = [row[2].value for row in listing.iter_rows(min_row=2)]
    assert sorted(titles) == ["Inovasi Lain", "Posyandu Digital"]
    archive = read_zip(
        client.get(reverse("portal:national-unit-package", args=[other.unit.code]), {"year": 2026})
    )
    assert {name.split("/")[0] for name in archive.namelist() if "/" in name} == {other.unit.code}


def test_a_package_the_caller_may_not_view_is_403(client, org, verified):
    outsider = Org()
    client.force_login(outsider.operator)
    assert (
        client.get(reverse("portal:national-case-package", args=[verified.pk])).status_code == 403
    )
    url = reverse("portal:national-unit-package", args=[org.unit.code])
    assert client.get(url, {"year": org.year}).status_code == 403
    # The regency package holds only what the person may see: their own unit's cases.
    archive = read_zip(client.get(reverse("portal:national-package"), {"year": org.year}))
    assert archive.namelist() == ["daftar-inovasi.xlsx"]
    client.force_login(org.mentor)  # the unit's mentor sees it
    assert client.get(url, {"year": org.year}).status_code == 200
    assert (
        client.get(reverse("portal:national-unit-package", args=[make_unit().code])).status_code
        == 403
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_asgi_server_gets_the_blocks_asynchronously(org):
    from django.test import AsyncClient

    case = advance(org, new_innovation(org, name="Lewat ASGI"), Stage.REPORTING)

    async def fetch() -> tuple[bool, bytes]:
        client = AsyncClient()
        await client.aforce_login(org.operator)
        response = await client.get(reverse("portal:national-case-package", args=[case.pk]))
        assert response.status_code == 200
        return response.is_async, b"".join([b async for b in response.streaming_content])

    is_async, data = async_to_sync(fetch)()
    assert is_async and zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_the_zip_streams_in_blocks_without_holding_a_file(settings, tmp_path):
    big = b"\x00" * (5 * package.BLOCK + 123)
    members = [
        package.Member(
            "a/besar.bin",
            lambda: iter([big[i : i + package.BLOCK] for i in range(0, len(big), package.BLOCK)]),
            size=len(big),
        ),
        package.Member("a/kecil.txt", lambda: iter([b"halo"])),
    ]
    blocks = list(package.stream(members))
    assert len(blocks) > 5 and max(len(b) for b in blocks) <= 2 * package.BLOCK
    archive = zipfile.ZipFile(io.BytesIO(b"".join(blocks)))
    assert archive.read("a/besar.bin") == big and archive.read("a/kecil.txt") == b"halo"
    assert archive.testzip() is None
