"""POST /api/v1/innovations/{id}/continue/: 201 with the new case; every bad input a 400 naming
its field, with nothing written (issue 13 point 3)."""

import pytest
from django.urls import reverse

from mentoring.models import Innovation, SubmissionRules
from tests.factories import Org, advance, new_innovation
from workflow.models import CaseEvent, InnovationProcess, StageVisit

from .conftest import bearer

pytestmark = pytest.mark.django_db
API = "/api/v1"
GROWTH = "Layanan kini terhubung ke aplikasi kecamatan dan menjangkau 12 desa baru."


@pytest.fixture
def org25():
    return Org(year=2025)


@pytest.fixture
def closed(org25):
    return advance(org25, new_innovation(org25), "done")


def written() -> tuple[int, ...]:
    return (
        Innovation.objects.count(),
        CaseEvent.objects.count(),
        InnovationProcess.objects.count(),
        StageVisit.objects.count(),
    )


def test_operator_continues_a_closed_case(org25, closed):
    answer = bearer(org25.operator).post(
        f"{API}/innovations/{closed.pk}/continue/", {"perkembangan": GROWTH}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["year"], body["continues"], body["stage"]) == (2026, closed.pk, "proposal")
    assert (body["perkembangan"], body["reported_before"], body["name"]) == (GROWTH, 1, closed.name)
    assert answer["Location"].endswith(reverse("api:innovation-detail", args=[body["id"]]))
    history = bearer(org25.operator).get(f"{API}/innovations/{closed.pk}/history/").json()
    assert history[-1]["action"] == "continue"
    # The closed case shows it has no successor field to write; reading it names none.
    assert bearer(org25.operator).get(f"{API}/innovations/{closed.pk}/").json()["continues"] is None


@pytest.mark.parametrize(
    ("setup", "payload", "field"),
    [
        ("open", {"perkembangan": GROWTH}, "stage"),
        ("closed", {"perkembangan": ""}, "perkembangan"),
        ("closed", {}, "perkembangan"),
        ("closed", {"perkembangan": GROWTH, "year": 2025}, "year"),
        ("closed", {"perkembangan": GROWTH, "year": 2031}, "year"),  # no rules, no SLA
        ("closed", {"perkembangan": GROWTH, "year": "tahun depan"}, "year"),
        ("limit", {"perkembangan": GROWTH}, "year"),
        ("twice", {"perkembangan": GROWTH, "year": 2026}, "year"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(
    org25, request, setup, payload, field
):
    case = new_innovation(org25) if setup == "open" else request.getfixturevalue("closed")
    client = bearer(org25.operator)
    if setup == "limit":
        SubmissionRules.objects.filter(year=2026).update(max_reports=1)
    if setup == "twice":
        first = client.post(
            f"{API}/innovations/{case.pk}/continue/", {"perkembangan": GROWTH}, format="json"
        )
        assert first.status_code == 201
    before = written()
    answer = client.post(f"{API}/innovations/{case.pk}/continue/", payload, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["errors"], answer.json()
    assert written() == before


def test_others_are_refused(org25, closed):
    before = written()
    for user in (org25.mentor, org25.admin, org25.observer):
        answer = bearer(user).post(
            f"{API}/innovations/{closed.pk}/continue/", {"perkembangan": GROWTH}, format="json"
        )
        assert answer.status_code == 403
    stranger = Org(year=2025)
    answer = bearer(stranger.operator).post(
        f"{API}/innovations/{closed.pk}/continue/", {"perkembangan": GROWTH}, format="json"
    )
    assert answer.status_code == 403
    assert bearer(org25.operator).post(f"{API}/innovations/999999/continue/", {}).status_code == 404
    assert written() == before


def test_operation_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json()
    operation = document["paths"]["/api/v1/innovations/{id}/continue/"]["post"]
    assert {"201", "400", "403", "404"} <= set(operation["responses"])
    unit = document["components"]["schemas"]["Unit"]["properties"]
    assert {"category", "is_office"} <= set(unit)
