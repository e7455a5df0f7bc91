"""The regent's yearly PDF: who may get it, and it renders to non-blank pages (pdftoppm)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from mentoring.models import Innovation, Stage
from reports import selectors
from reports.pdf import yearly_report_pdf
from tests.factories import Org, make_unit, new_innovation

pytestmark = pytest.mark.django_db
URL = reverse("portal:report-yearly-pdf")


@pytest.fixture
def report_data(org):
    other = Org()
    for stage in (Stage.PROPOSAL, Stage.MENTORING, Stage.MENTORING, Stage.REPORTING, Stage.DONE):
        innovation = new_innovation(org, name=f"Inovasi {stage} & uji <b>")
        Innovation.objects.filter(pk=innovation.pk).update(stage=stage)
    Innovation.objects.filter(pk=new_innovation(other).pk).update(stage=Stage.REJECTED)
    for _ in range(3):
        make_unit()
    return org


def render_pages(pdf: bytes, folder: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils (.ci/run does)")
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page*.png"))


def ink(path: Path) -> float:
    """Share of pixels that are not (nearly) white."""
    image = Image.open(path).convert("L")
    histogram = image.histogram()
    return sum(histogram[:240]) / (image.width * image.height)


def test_admin_gets_a_pdf_that_renders_non_blank(client, report_data, tmp_path):
    client.force_login(report_data.admin)
    response = client.get(URL, {"year": report_data.year})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages = render_pages(response.content, tmp_path)
    assert pages
    assert ink(pages[0]) > 0.03, "first page is (nearly) blank"
    # The pipeline chart draws its bars in the primary colour (#0d47a1).
    image = Image.open(pages[0]).convert("RGB")
    blue = sum(1 for r, g, b in image.get_flattened_data() if b > 120 and r < 60 and g < 110)
    assert blue > 200


def test_report_figures(report_data):
    report = selectors.yearly_report(user=report_data.admin, year=report_data.year)
    counts = {row.stage: row.count for row in report.pipeline}
    assert counts[Stage.MENTORING] == 2 and counts[Stage.REJECTED] == 1
    assert counts[Stage.VERIFICATION] == 0  # every stage listed
    assert report.compliance.unit_count == 5 and report.compliance.met_count == 1
    assert report.estimate is not None and report.estimate.innovation_count == 2
    assert report.estimate.warnings  # the seeded ruleset is unconfirmed


def test_year_without_ruleset_still_renders(report_data, tmp_path):
    report = selectors.yearly_report(user=report_data.admin, year=2031)
    assert report.estimate is None and "2031" in report.estimate_error
    pages = render_pages(yearly_report_pdf(report), tmp_path)
    assert ink(pages[0]) > 0.01


def test_only_admin_and_observer(client, report_data):
    client.force_login(report_data.observer)
    assert client.get(URL).status_code == 200
    for user in (
        report_data.operator,
        report_data.head,
        report_data.mentor,
        report_data.verifier,
    ):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(report_data.admin)
    assert client.get(URL, {"year": "abc"}).status_code == 400


def test_new_and_continued_innovations_are_told_apart(report_data, tmp_path):
    """Issue 13: the PDF says how many of the year's innovations are new (the target) and how
    many continue an earlier year's, overall and per unit."""
    earlier = new_innovation(report_data, year=report_data.year - 1, name="Inovasi lama")
    Innovation.objects.filter(pk=earlier.pk).update(stage=Stage.DONE)
    continued = new_innovation(report_data, name="Inovasi lanjutan")
    Innovation.objects.filter(pk=continued.pk).update(stage=Stage.REPORTING, continues=earlier)
    report = selectors.yearly_report(user=report_data.admin, year=report_data.year)
    source = tmp_path / "report.pdf"
    source.write_bytes(yearly_report_pdf(report))
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "5 baru dan 1 lanjutan" in " ".join(text.split())
    assert "3 inovasi, 1 di antaranya lanjutan" in " ".join(text.split())
    row = next(line for line in text.splitlines() if report_data.unit.name in line)
    assert row.split()[-7:-4] == ["6", "5", "1"]  # innovations, new, continued
