import pytest
from django.contrib.auth.models import User

from mentoring.models import Indicator
from scoring.models import Ruleset

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


def test_ruleset_pages_render_and_copy_action_creates_next_year(admin_client):
    ruleset = Ruleset.objects.get(year=2026)
    assert admin_client.get("/admin/scoring/ruleset/").status_code == 200
    page = admin_client.get(f"/admin/scoring/ruleset/{ruleset.pk}/change/")
    assert page.status_code == 200 and b"Sangat Inovatif" in page.content
    assert admin_client.get("/admin/mentoring/indicator/?year=2026").status_code == 200
    response = admin_client.post(
        "/admin/scoring/ruleset/",
        {"action": "copy_to_next_year", "_selected_action": [ruleset.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Ruleset.objects.filter(year=2027).exists()
    assert Indicator.objects.filter(year=2027).count() == 20


def test_overlapping_thresholds_and_inconsistent_maxima_are_refused(admin_client):
    ruleset = Ruleset.objects.get(year=2026)
    bands = list(ruleset.thresholds.order_by("lower"))
    data = {
        "year": 2026,
        "note": ruleset.note,
        "spd_score": "",
        "divisor_minimum": 12,
        "jumlah_coefficient": "0.380",
        "jumlah_cap": 200,
        "yandas_min_covered": 5,
        "spd_max": "63",
        "sid_indicator_max": "111",
        "jumlah_max": "76",
        "total_max": "250",
        "thresholds-TOTAL_FORMS": len(bands),
        "thresholds-INITIAL_FORMS": len(bands),
        "thresholds-MIN_NUM_FORMS": 0,
        "thresholds-MAX_NUM_FORMS": 1000,
    }
    for index, band in enumerate(bands):
        data |= {
            f"thresholds-{index}-id": band.pk,
            f"thresholds-{index}-ruleset": ruleset.pk,
            f"thresholds-{index}-name": band.name,
            f"thresholds-{index}-lower": str(band.lower),
            f"thresholds-{index}-upper": str(band.upper),
        }
    url = f"/admin/scoring/ruleset/{ruleset.pk}/change/"
    overlapping = data | {"thresholds-2-lower": "39.00"}  # Inovatif starts inside Kurang Inovatif
    response = admin_client.post(url, overlapping)
    assert response.status_code == 200 and "bertumpang tindih" in response.content.decode()
    response = admin_client.post(url, data | {"total_max": "251"})
    assert response.status_code == 200 and b"Maksimum total" in response.content
    response = admin_client.post(url, data | {"spd_score": "70"})
    assert response.status_code == 200
    assert Ruleset.objects.get(year=2026).spd_score is None
    assert admin_client.post(url, data | {"spd_score": "48.5"}).status_code == 302
    assert str(Ruleset.objects.get(year=2026).spd_score) == "48.50"
