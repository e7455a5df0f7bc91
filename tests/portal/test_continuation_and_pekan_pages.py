"""Portal: the closed case page's "continue to the next year" button and form, the dashboards'
new/continued figures and the reports page's Pekan Inovasi list (issue 13 points 3 and 6)."""

import pytest
from django.urls import reverse

from mentoring.models import Innovation, PekanCategory, UnitKind
from tests.factories import Org, advance, new_innovation
from workflow.models import CaseEvent

pytestmark = pytest.mark.django_db
GROWTH = "Layanan kini terhubung ke aplikasi kecamatan dan menjangkau 12 desa baru."


@pytest.fixture
def org25():
    return Org(year=2025)


@pytest.fixture
def closed(org25):
    return advance(org25, new_innovation(org25), "done")


def test_closed_case_offers_the_button_to_its_unit_only(client, org25, closed):
    page = reverse("portal:innovation-detail", args=[closed.pk])
    form = reverse("portal:innovation-continue", args=[closed.pk])
    client.force_login(org25.operator)
    assert form in client.get(page).content.decode()
    for other in (org25.mentor, org25.admin):
        client.force_login(other)
        assert form not in client.get(page).content.decode()
        assert client.get(form).status_code == 403
    open_case = new_innovation(org25)
    client.force_login(org25.operator)
    assert (
        "continue-button"
        not in client.get(reverse("portal:innovation-detail", args=[open_case.pk])).content.decode()
    )


def test_form_continues_and_links_both_cases(client, org25, closed):
    client.force_login(org25.operator)
    url = reverse("portal:innovation-continue", args=[closed.pk])
    assert 'value="2026"' in client.get(url).content.decode()
    answer = client.post(url, {"year": 2026, "perkembangan": GROWTH})
    new = Innovation.objects.get(continues=closed)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "portal:innovation-detail", args=[new.pk]
    )
    page = client.get(answer["Location"]).content.decode()
    assert 'id="continues"' in page and GROWTH in page
    assert reverse("portal:innovation-detail", args=[closed.pk]) in page
    old = client.get(reverse("portal:innovation-detail", args=[closed.pk])).content.decode()
    assert "continue-button" not in old  # once only
    assert reverse("portal:innovation-detail", args=[new.pk]) in old  # the history links it


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"year": 2026, "perkembangan": ""}, "Perkembangan inovasi wajib diisi"),
        ({"year": 2031, "perkembangan": GROWTH}, "Aturan pengajuan IID tahun 2031 belum ada"),
        ({"year": 2025, "perkembangan": GROWTH}, "harus setelah tahun 2025"),
    ],
)
def test_form_shows_the_error_and_writes_nothing(client, org25, closed, data, text):
    client.force_login(org25.operator)
    before = (Innovation.objects.count(), CaseEvent.objects.count())
    answer = client.post(reverse("portal:innovation-continue", args=[closed.pk]), data)
    assert answer.status_code == 200 and text in answer.content.decode()
    assert (Innovation.objects.count(), CaseEvent.objects.count()) == before


def test_open_case_form_says_it_is_not_closed(client, org25):
    case = new_innovation(org25)
    client.force_login(org25.operator)
    answer = client.post(
        reverse("portal:innovation-continue", args=[case.pk]),
        {"year": 2026, "perkembangan": GROWTH},
    )
    assert "Hanya inovasi yang sudah selesai" in answer.content.decode()
    assert not Innovation.objects.filter(continues=case).exists()


def test_home_and_reports_show_new_continued_and_pekan_inovasi(client, org25, closed):
    client.force_login(org25.operator)
    client.post(
        reverse("portal:innovation-continue", args=[closed.pk]),
        {"year": 2026, "perkembangan": GROWTH},
    )
    school = Org()
    school.unit.kind, school.unit.category = UnitKind.SEKOLAH, PekanCategory.SEKOLAH
    school.unit.save()
    pupil_case = new_innovation(school, name="Bank Sampah Sekolah")
    client.force_login(org25.admin)
    home = client.get(reverse("portal:home"), {"year": 2026}).content.decode()
    assert 'id="kpi-continued"><b>1</b>' in home and 'id="kpi-new"><b>0</b>' in home
    assert 'id="kpi-community"><b>1</b>' in home
    reports = client.get(reverse("portal:reports"), {"year": 2026}).content.decode()
    assert 'id="pekan-sekolah"' in reports and pupil_case.name in reports
    assert school.unit.code not in reports.split('id="pekan-inovasi"')[0]  # not in compliance
