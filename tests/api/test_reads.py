"""Reads: the list's filters, pagination and constant query count; me, units, the schema."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mentoring.models import Innovation, MentorAssignment, MentoringSession, Stage
from tests.factories import Org, advance, make_user, new_innovation

API = "/api/v1"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {item["id"] for item in response.data["results"]}


@pytest.mark.django_db
def test_list_filters(org, as_user):
    other = Org(year=org.year - 1)
    first = new_innovation(org, name="Puskesmas Keliling", tujuan="Menjangkau desa terpencil")
    second = advance(org, new_innovation(org, name="Sistem Antrian"), Stage.MENTORING)
    third = new_innovation(other, name="Arsip Digital")
    client = as_user(org.admin)

    assert ids(client.get(f"{API}/innovations/")) == {first.pk, second.pk, third.pk}
    assert ids(client.get(f"{API}/innovations/", {"stage": "mentoring"})) == {second.pk}
    both = {"stage": "proposal,mentoring", "unit": org.unit.code}
    assert ids(client.get(f"{API}/innovations/", both)) == {first.pk, second.pk}
    assert ids(client.get(f"{API}/innovations/", {"unit": other.unit.code})) == {third.pk}
    assert ids(client.get(f"{API}/innovations/", {"year": org.year})) == {first.pk, second.pk}
    assert ids(client.get(f"{API}/innovations/", {"mentor": other.mentor.username})) == {third.pk}
    assert ids(client.get(f"{API}/innovations/", {"q": "terpencil"})) == {first.pk}
    assert ids(client.get(f"{API}/innovations/", {"awaiting": "mentor"})) == {second.pk}
    assert ids(client.get(f"{API}/innovations/", {"stage": "done"})) == set()

    # Each caller sees only their own scope.
    assert ids(as_user(org.operator).get(f"{API}/innovations/")) == {first.pk, second.pk}
    assert ids(as_user(other.mentor).get(f"{API}/innovations/")) == {third.pk}
    assert ids(as_user(org.observer).get(f"{API}/innovations/")) == {first.pk, second.pk, third.pk}


@pytest.mark.django_db
def test_list_pagination_shape(org, as_user):
    created = [new_innovation(org) for _ in range(27)]
    client = as_user(org.operator)
    page = client.get(f"{API}/innovations/").data
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 27
    assert len(page["results"]) == 25
    assert page["previous"] is None
    assert page["next"].endswith("/api/v1/innovations/?page=2")
    # Newest first.
    assert page["results"][0]["id"] == created[-1].pk
    page2 = client.get(page["next"]).data
    assert len(page2["results"]) == 2
    assert page2["next"] is None
    assert {r["id"] for r in page["results"] + page2["results"]} == {i.pk for i in created}
    assert client.get(f"{API}/innovations/", {"page": 9}).status_code == 404


def _list_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/innovations/", {"year": 2026})
    assert response.status_code == 200
    return response.data["count"], len(captured)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(org, as_user):
    """Same number of SQL statements for 3 and for 30 rows, for every kind of caller."""
    urusan = ["kesehatan", "pendidikan"]

    def add(n):
        for _ in range(n):
            innovation = new_innovation(org)
            innovation.related_urusan.set(
                list(innovation.main_urusan.__class__.objects.filter(code__in=urusan))
            )
        # Spread the rows over stages (the actions shown depend on the stage; a verifier's
        # check reads sessions) without walking each through the flow.
        rows = list(Innovation.objects.order_by("id"))
        for index, innovation in enumerate(rows):
            stage = [Stage.PROPOSAL, Stage.VERIFICATION, Stage.PROPOSAL_GATE][index % 3]
            Innovation.objects.filter(pk=innovation.pk).update(stage=stage)
            if stage == Stage.VERIFICATION and not innovation.sessions.exists():
                MentoringSession.objects.create(
                    innovation=innovation,
                    mentor=org.mentor,
                    date="2026-03-01",
                    mode="daring",
                    topic="x",
                )

    users = [org.operator, org.head, org.mentor, org.verifier, org.admin, org.observer]
    clients = [as_user(user) for user in users]
    add(3)
    small = [_list_queries(client) for client in clients]
    add(27)
    large = [_list_queries(client) for client in clients]
    assert [count for count, _ in small] == [3] * len(users)
    assert [count for count, _ in large] == [30] * len(users)
    assert [queries for _, queries in small] == [queries for _, queries in large]


@pytest.mark.django_db
def test_me(org, as_user):
    org.head.first_name, org.head.last_name = "Siti", "Aminah"
    org.head.save()
    data = as_user(org.head).get(f"{API}/me").data
    assert data == {
        "username": org.head.username,
        "full_name": "Siti Aminah",
        "roles": ["opd_head"],
        "head_of": [org.unit.code],
        "operator_of": [],
        "mentor_assignments": [],
    }
    data = as_user(org.mentor).get(f"{API}/me").data
    assert data["roles"] == ["mentor"]
    assert data["mentor_assignments"] == [
        {"unit": org.unit.code, "unit_name": org.unit.name, "year": org.year, "is_lead": True}
    ]


@pytest.mark.django_db
def test_units(org, as_user):
    co_mentor = make_user("pendamping2", "mentor")
    MentorAssignment.objects.create(unit=org.unit, mentor=co_mentor, year=org.year, is_lead=False)
    client = as_user(org.observer)
    page = client.get(f"{API}/units/").data
    assert page["count"] == 1
    assert page["results"][0]["code"] == org.unit.code

    detail = client.get(f"{API}/units/{org.unit.code}/", {"year": org.year}).data
    assert detail["head"]["username"] == org.head.username
    assert [p["username"] for p in detail["operators"]] == [org.operator.username]
    assert [(m["username"], m["is_lead"]) for m in detail["mentors"]] == [
        (org.mentor.username, True),
        ("pendamping2", False),
    ]
    assert client.get(f"{API}/units/{org.unit.code}/", {"year": 2001}).data["mentors"] == []
    for bad in ("x", "1999", "²"):
        assert client.get(f"{API}/units/{org.unit.code}/", {"year": bad}).status_code == 400
    assert client.get(f"{API}/units/tidak-ada/").status_code == 404


@pytest.mark.django_db
def test_representation_and_actions(org, as_user):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    data = as_user(org.head).get(f"{API}/innovations/{innovation.pk}/").data
    assert data["stage_label"] == "Persetujuan usulan"
    assert data["awaiting"] == "head"
    assert data["main_urusan"] == "kesehatan"
    assert sorted(data["actions"]) == ["approve", "return", "withdraw"]
    assert as_user(org.operator).get(f"{API}/innovations/{innovation.pk}/").data["actions"] == []
    listed = as_user(org.head).get(f"{API}/innovations/{innovation.pk}/actions/").data
    assert {a["name"]: a["comment_required"] for a in listed} == {
        "approve": False,
        "return": True,
        "withdraw": True,
    }


@pytest.mark.django_db
def test_session_auth_also_works(org):
    client = APIClient()
    client.force_login(org.operator)
    assert client.get(f"{API}/me").data["username"] == org.operator.username


@pytest.mark.django_db
def test_issue_token_command(org, capsys):
    call_command("issue_token", org.operator.username)
    first = capsys.readouterr().out.strip()
    call_command("issue_token", org.operator.username)
    second = capsys.readouterr().out.strip()
    assert first != second  # each call issues a new token; none is printed twice
    for raw in (first, second):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert client.get(f"{API}/me").data["username"] == org.operator.username


@pytest.mark.django_db
def test_openapi_document_lists_every_endpoint(org):
    client = APIClient()
    client.force_login(org.admin)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in [
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/units/",
        "/api/v1/units/{code}/",
        "/api/v1/innovations/",
        "/api/v1/innovations/{id}/",
        "/api/v1/innovations/{id}/actions/",
        "/api/v1/innovations/{id}/actions/{name}/",
        "/api/v1/innovations/{id}/history/",
        "/api/v1/innovations/{id}/sessions/",
        "/api/v1/innovations/{id}/evidence/",
        "/api/v1/evidence/{id}/review",
    ]:
        assert path in paths, path
    assert client.get("/api/docs").status_code == 200
