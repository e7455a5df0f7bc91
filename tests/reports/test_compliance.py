"""Per-unit target compliance against a hand-built fixture; CSV/XLSX opened with real readers."""

import pytest
from django.urls import reverse

from mentoring.models import Innovation, Membership, MentorAssignment, Stage
from reports import selectors
from tests.factories import Org, make_unit, make_user, new_innovation

from .helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

HEADERS = [
    "Kode unit",
    "Unit",
    "Jenis unit",
    "Pendamping utama",
    "Jumlah inovasi",
    "Lolos tahap usulan",
    "Terverifikasi",
    "Selesai",
    "Inovasi lanjutan",
    "Target terpenuhi",
]


def _at(org, stage: str, **fields) -> Innovation:
    innovation = new_innovation(org, **fields)
    # Compliance reads only the stage: set it directly instead of walking the whole flow.
    Innovation.objects.filter(pk=innovation.pk).update(stage=stage)
    return innovation


@pytest.fixture
def fixture(org):
    """Unit A: proposal, verification, reporting, done (+ one last year) -> 4 / 3 / 2 / 1, met.
    Unit B: rejected, withdrawn -> 2 / 0 / 0 / 0, not met. Unit C: nothing, no mentor."""
    a = org
    for stage in (Stage.PROPOSAL, Stage.VERIFICATION, Stage.REPORTING, Stage.DONE):
        _at(a, stage)
    _at(a, Stage.DONE, year=a.year - 1)
    b = Org()
    _at(b, Stage.REJECTED)
    _at(b, Stage.WITHDRAWN)
    c = make_unit()
    a.unit.name, b.unit.name, c.name = "A Dinas Satu", "B Dinas Dua", "C Kecamatan Tiga"
    for unit in (a.unit, b.unit, c):
        unit.save()
    return a, b, c


def test_figures_match_the_hand_built_fixture(fixture):
    a, b, c = fixture
    summary = selectors.compliance(user=a.admin, year=a.year)
    ours = {
        row.unit_id: row for row in summary.units if row.unit_id in {a.unit.pk, b.unit.pk, c.pk}
    }
    row_a, row_b, row_c = ours[a.unit.pk], ours[b.unit.pk], ours[c.pk]
    assert (row_a.total, row_a.past_proposal, row_a.verified, row_a.done) == (4, 3, 2, 1)
    assert row_a.target_met and row_a.lead_mentor == a.mentor.username
    assert (row_b.total, row_b.active, row_b.past_proposal, row_b.verified) == (2, 0, 0, 0)
    assert not row_b.target_met
    assert (row_c.total, row_c.lead_mentor, row_c.target_met) == (0, "", False)
    assert summary.unit_count == 3 and summary.met_count == 1
    assert {unit.unit_id for unit in summary.missing} >= {b.unit.pk, c.pk}
    assert summary.total("total") == 6


def test_one_query_whatever_the_number_of_units(fixture, django_assert_num_queries):
    a, *_ = fixture
    a.admin._pandu_actor = None
    selectors.compliance(user=a.admin, year=a.year)  # actor loaded, figures kept
    with django_assert_num_queries(0):
        selectors.compliance(user=a.admin, year=a.year)
    for _ in range(5):
        make_unit()
    with django_assert_num_queries(1):
        assert selectors.compliance(user=a.admin, year=a.year).unit_count == 8


def test_csv_and_xlsx_rows(client, fixture):
    a, b, c = fixture
    client.force_login(a.admin)
    url = reverse("portal:report-compliance", args=["csv"])
    table = csv_rows(client.get(url, {"year": a.year}))
    assert table[0] == HEADERS
    rows = {row[0]: row for row in table[1:]}
    assert rows[a.unit.code] == [
        a.unit.code,
        "A Dinas Satu",
        "Dinas",
        a.mentor.username,
        "4",
        "3",
        "2",
        "1",
        "0",
        "Ya",
    ]
    assert rows[b.unit.code][4:] == ["2", "0", "0", "0", "0", "Tidak"]
    assert rows[c.code][3:] == ["", "0", "0", "0", "0", "0", "Tidak"]
    assert [row[1] for row in table[1:4]] == ["A Dinas Satu", "B Dinas Dua", "C Kecamatan Tiga"]
    url = reverse("portal:report-compliance", args=["xlsx"])
    sheet = xlsx_rows(client.get(url, {"year": a.year}))
    assert sheet[0] == HEADERS
    rows = {row[0]: row for row in sheet[1:]}
    assert rows[a.unit.code][4:] == [4, 3, 2, 1, 0, "Ya"]
    assert rows[c.code][4:] == [0, 0, 0, 0, 0, "Tidak"]
    # Last year: only the old innovation of unit A counts.
    rows = {r[0]: r for r in csv_rows(client.get(url.replace("xlsx", "csv"), {"year": a.year - 1}))}
    assert rows[a.unit.code][4:] == ["1", "1", "1", "1", "0", "Ya"]


def test_operator_and_mentor_see_only_their_units(client, fixture):
    a, b, c = fixture
    url = reverse("portal:report-compliance", args=["csv"])
    client.force_login(a.operator)
    assert [row[0] for row in csv_rows(client.get(url, {"year": a.year}))[1:]] == [a.unit.code]
    client.force_login(b.mentor)
    assert [row[0] for row in csv_rows(client.get(url, {"year": a.year}))[1:]] == [b.unit.code]
    # A mentor of another year sees nothing of this one.
    assert csv_rows(client.get(url, {"year": a.year - 1}))[1:] == []
    # A head of two units sees both.
    head = make_user(None, "opd_head")
    Membership.objects.create(unit=c, user=head, position="head")
    Membership.objects.create(unit=b.unit, user=head, position="operator")
    head.groups.add(*b.operator.groups.all())
    client.force_login(head)
    codes = {row[0] for row in csv_rows(client.get(url, {"year": a.year}))[1:]}
    assert codes == {b.unit.code, c.code}


def test_reports_page(client, fixture):
    a, b, c = fixture
    client.force_login(a.admin)
    html = client.get(reverse("portal:reports"), {"year": a.year}).content.decode()
    assert "1 dari 3 unit sudah memiliki inovasi" in html
    assert "A Dinas Satu" in html and "Laporan tahunan" in html
    assert reverse("portal:report-reassign") in html
    client.force_login(a.operator)
    html = client.get(reverse("portal:reports"), {"year": a.year}).content.decode()
    assert "1 dari 1 unit" in html
    assert reverse("portal:report-yearly-pdf") not in html
    assert reverse("portal:report-reassign") not in html
    # A bad year is named, the page still renders for the current year.
    response = client.get(reverse("portal:reports"), {"year": "dua ribu"})
    assert response.status_code == 200 and "Tahun tidak valid" in response.content.decode()
    bad = client.get(reverse("portal:report-compliance", args=["csv"]), {"year": "1800"})
    assert bad.status_code == 400 and "Tahun tidak valid" in bad.content.decode()


def test_menu_links_to_reports(client, org):
    client.force_login(org.operator)
    html = client.get("/").content.decode()
    assert f'href="{reverse("portal:reports")}"' in html


def test_assignments_do_not_leak_between_years(fixture):
    a, *_ = fixture
    MentorAssignment.objects.filter(unit=a.unit, year=a.year).delete()
    row = next(
        u for u in selectors.compliance(user=a.admin, year=a.year).units if u.unit_id == a.unit.pk
    )
    assert row.lead_mentor == ""
