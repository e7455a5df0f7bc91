"""The API of replications, awards, HKI and award points: answers, permissions, bad input."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from recognition.models import Award, HkiFiling, Replication
from tests.factories import Org, make_unit, new_innovation

pytestmark = pytest.mark.django_db
LINK = "https://berita.example.org/replikasi"


@pytest.fixture
def org():
    return Org(year=2026)


@pytest.fixture
def case(org):
    innovation = new_innovation(org)
    innovation.implementation_date = dt.date(2025, 9, 1)
    innovation.save(update_fields=["implementation_date"])
    return innovation


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_record_and_read_back(org, case):
    other = make_unit()
    base = f"/api/v1/innovations/{case.pk}"
    answer = api(org.operator).post(
        f"{base}/replications/",
        {"date": "2026-01-10", "unit": other.code, "link": LINK},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["unit"] == {"code": other.code, "name": other.name}
    answer = api(org.head).post(
        f"{base}/awards/",
        {"level": "national", "year": 2025, "name": "Top 45", "giver": "KemenPAN-RB", "link": LINK},
        format="json",
    )
    assert answer.status_code == 201
    answer = api(org.admin).post(
        f"{base}/hki/",
        {"kind": "merek", "number": "DID2025001", "status": "filed", "date": "2025-10-01"},
        format="json",
    )
    assert answer.status_code == 201
    body = api(org.observer).get(f"{base}/recognition/").json()
    assert body["replication_count"] == 1 and body["suggested_parameter"] == 1
    assert body["replication_indicator"] == 31 and body["can_record"] is False
    assert [a["name"] for a in body["awards"]] == ["Top 45"]
    points = api(org.observer).get("/api/v1/award-points/?year=2025").json()
    assert points["total"] == 200 and points["units"][0]["heads"] == [org.head.username]


@pytest.mark.parametrize(
    "path, body, field",
    [
        (
            "replications",
            {"date": "2025-01-01", "region_name": "Kota Bontang", "link": LINK},
            "date",
        ),
        ("replications", {"date": "2026-01-10", "unit": "OWN", "link": LINK}, "unit"),
        ("replications", {"date": "2026-01-10", "unit": "tidak-ada", "link": LINK}, "unit"),
        (
            "awards",
            {"level": "dunia", "year": 2025, "name": "x", "giver": "y", "link": LINK},
            "level",
        ),
        (
            "awards",
            {"level": "national", "year": 1900, "name": "x", "giver": "y", "link": LINK},
            "year",
        ),
        ("hki", {"kind": "x", "number": "1", "status": "filed", "date": "2025-01-01"}, "kind"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(org, case, path, body, field):
    if body.get("unit") == "OWN":
        body = {**body, "unit": case.unit.code}
    answer = api(org.operator).post(f"/api/v1/innovations/{case.pk}/{path}/", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"], answer.json()
    assert (Replication.objects.count(), Award.objects.count(), HkiFiling.objects.count()) == (
        0,
        0,
        0,
    )


def test_observers_and_other_units_may_not_record(org, case):
    body = {"date": "2026-01-10", "region_name": "Kota Bontang", "link": LINK}
    path = f"/api/v1/innovations/{case.pk}/replications/"
    assert api(org.observer).post(path, body, format="json").status_code == 403
    assert api(Org(year=2026).operator).post(path, body, format="json").status_code == 403
    assert api(org.operator).post(path, body, format="json").status_code == 201
    assert api(org.operator).get("/api/v1/award-points/?year=abc").status_code == 400
