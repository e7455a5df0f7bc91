"""Findings 9 and 5 (uploads): a file kept any extension whatever its content (a PDF downloaded
as `.hta`), an Office file that inflates to 200 MB was accepted, and a name over 255 bytes in
UTF-8 (under 255 characters) ended in a 500. Now the content decides the stored name and the
extension, and zip containers are checked for their size opened."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentoring.models import EvidenceItem, Indicator
from tests.api.conftest import bearer
from tests.factories import advance, new_innovation, pdf

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def packaging_case(org):
    return advance(org, new_innovation(org), "packaging")


def upload(user, innovation, file):
    number = Indicator.objects.filter(year=innovation.year, mandatory=True)[0].number
    return bearer(user).post(
        f"{API}/innovations/{innovation.pk}/evidence/",
        {"indicator": number, "parameter": 2, "file": file},
        format="multipart",
    )


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx (what filetype recognises), with extra members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_named_hta_is_stored_and_downloaded_as_pdf(org, packaging_case):
    response = upload(org.operator, packaging_case, pdf("laporan.hta"))
    assert response.status_code == 201, response.content
    item = EvidenceItem.objects.get()
    assert item.file.name.endswith(".pdf") and "laporan" not in item.file.name
    assert item.original_name == "laporan.hta"
    browser = Client()
    browser.force_login(org.operator)
    download = browser.get(f"/files/evidence/{item.pk}/?download=1")
    assert download.status_code == 200
    assert 'filename="laporan.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    page = browser.get(f"/innovations/{packaging_case.pk}/").content.decode()
    assert "laporan.pdf" in page and "laporan.hta" not in page


def test_a_name_over_255_bytes_is_accepted_and_stored_short(org, packaging_case):
    name = "é" * 200 + ".pdf"  # 204 characters, 404 bytes in UTF-8
    response = upload(org.operator, packaging_case, pdf(name))
    assert response.status_code == 201, response.content
    item = EvidenceItem.objects.get()
    assert item.original_name == name
    assert len(item.file.name.rsplit("/", 1)[-1].encode()) < 50
    assert item.file.read().startswith(b"%PDF")


def test_an_office_file_that_inflates_past_the_limit_is_refused(org, packaging_case, settings):
    bomb = docx({"word/media/zeros.bin": b"\0" * (200 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # under a megabyte on the wire
    response = upload(org.operator, packaging_case, SimpleUploadedFile("laporan.docx", bomb))
    assert response.status_code == 400
    assert "mengembang menjadi 200 MB" in response.json()["errors"]["file"][0]
    assert not EvidenceItem.objects.exists()


def test_a_sound_office_file_is_accepted_with_its_own_extension(org, packaging_case):
    response = upload(org.operator, packaging_case, SimpleUploadedFile("laporan.exe", docx()))
    assert response.status_code == 201, response.content
    item = EvidenceItem.objects.get()
    assert item.file.name.endswith(".docx") and item.download_name == "laporan.docx"
