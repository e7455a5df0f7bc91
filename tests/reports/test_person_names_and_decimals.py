"""Issue 12, for everyone: a person appears by name (full name, else the username) in the
reports, CSV/XLSX, the PDF, the list filter and the dashboards; the PDF prints numbers with two
decimals like the screen; the compliance column cannot be read as "overdue"."""

import subprocess

import pytest
from django.urls import reverse

from dashboards import selectors as dashboards
from mentoring.models import Stage
from mentoring.names import full_name
from reports import selectors
from reports.pdf import yearly_report_pdf
from tests.factories import Org, advance, make_user, new_innovation
from tests.reports.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(org):
    org.mentor.first_name, org.mentor.last_name = "Maya", "Sari Dewi"
    org.mentor.save()
    org.head.first_name = "Hendra"
    org.head.save()
    new_innovation(org, name="Klinik Inovasi Desa")
    return org


def test_full_name_falls_back_on_the_username():
    assert full_name(make_user("tanpa.nama")) == "tanpa.nama"
    person = make_user("bernama")
    person.first_name, person.last_name = "Siti", "Aminah"
    assert full_name(person) == "Siti Aminah"
    assert full_name(None) == ""


def test_compliance_and_its_exports_name_the_mentor(client, named):
    unit = selectors.compliance(user=named.admin, year=named.year).units[0]
    assert unit.lead_mentor == "Maya Sari Dewi"
    client.force_login(named.admin)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        url = reverse("portal:report-compliance", args=[fmt])
        table = read(client.get(url, {"year": named.year}))
        assert "Lolos tahap usulan" in table[0] and "Lewat usulan" not in table[0]
        row = next(row for row in table[1:] if row[0] == named.unit.code)
        assert row[3] == "Maya Sari Dewi", fmt
        assert named.mentor.username not in [str(cell) for cell in row]


def test_the_innovation_export_names_the_mentor(client, named):
    client.force_login(named.admin)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        url = reverse("portal:report-innovations", args=[fmt])
        table = read(client.get(url, {"year": named.year}))
        column = table[0].index("Pendamping utama")
        assert [row[column] for row in table[1:]] == ["Maya Sari Dewi"], fmt


def test_a_mentor_without_a_name_shows_the_username(client, org):
    new_innovation(org)
    assert selectors.compliance(user=org.admin, year=org.year).units[0].lead_mentor == (
        org.mentor.username
    )


def test_the_list_filter_shows_names_and_filters_by_username(client, named):
    client.force_login(named.admin)
    html = client.get(reverse("portal:innovation-list")).content.decode()
    assert f'<option value="{named.mentor.username}">Maya Sari Dewi</option>' in html
    response = client.get(reverse("portal:innovation-list"), {"mentor": named.mentor.username})
    assert "Klinik Inovasi Desa" in response.content.decode()


def test_dashboards_name_mentors_and_heads_in_full(named):
    board = dashboards.summary(year=named.year)
    assert [m.name for m in board.mentors] == ["Maya Sari Dewi"]
    advance(named, new_innovation(named, name="Di tangan kepala"), Stage.PROPOSAL_GATE)
    head = dashboards.head_dashboard(unit_ids=[named.unit.pk], year=named.year)
    assert head.units[0].approvals[0].holder_name == "Hendra"


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_pdf_names_people_and_prints_two_decimals(named, tmp_path):
    other = Org(year=named.year)
    advance(other, new_innovation(other), Stage.VERIFICATION)
    report = selectors.yearly_report(user=named.admin, year=named.year)
    assert report.steps and report.estimate
    text = pdf_text(yearly_report_pdf(report), tmp_path)
    assert "Maya Sari Dewi" in text and named.mentor.username not in text
    # The column header may wrap in its cell: read it word by word.
    assert "Lewat usulan" not in text and "Lolos" in text and "tahap" in text
    # Every number with a decimal comma has exactly two decimals (the screen's floatformat:2).
    import re

    decimals = re.findall(r"\d+,(\d+)", text)
    assert decimals and all(len(d) == 2 for d in decimals), sorted(set(decimals))
    # The distance to the highest band and the bands themselves, from the year's ruleset.
    top = max(report.estimate.bands, key=lambda band: band.lower)
    assert f"Selisih ke {top.name}" in text
    assert all(f"Ambang {band.name}" in text for band in report.estimate.bands)
