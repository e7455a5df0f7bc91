"""REST: /api/v1/notifications/ (list, read, preferences); everyone sees only their own."""

import pytest
from rest_framework.test import APIClient

from notifications.models import EmailMode, Kind, Notification, NotificationPreference
from tests.api.conftest import bearer
from tests.factories import act, new_innovation

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read"
PREFS = "/api/v1/notifications/preferences"


def notes(user, n: int) -> list[Notification]:
    return [
        Notification.objects.create(recipient=user, kind=Kind.TASK_ASSIGNED, title=f"T{i}")
        for i in range(n)
    ]


def test_anonymous_gets_401():
    client = APIClient()
    assert client.get(LIST).status_code == 401
    assert client.post(READ, {"all": True}, format="json").status_code == 401
    assert client.get(PREFS).status_code == 401


def test_list_shows_only_own_newest_first_paginated(org):
    mine = notes(org.head, 27)
    notes(org.operator, 3)
    body = bearer(org.head).get(LIST).json()
    assert body["count"] == 27
    assert [n["id"] for n in body["results"]] == [n.pk for n in reversed(mine)][:25]
    assert body["next"]
    first = body["results"][0]
    assert set(first) == {
        "id",
        "kind",
        "title",
        "body",
        "url",
        "innovation",
        "created_at",
        "read_at",
        "read",
    }


def test_list_since_is_oldest_first_and_unread_filters(org):
    mine = notes(org.head, 5)
    Notification.objects.filter(pk__in=[mine[2].pk, mine[4].pk]).update(read_at="2026-01-01T00:00Z")
    client = bearer(org.head)
    body = client.get(LIST, {"since": mine[1].pk}).json()
    assert [n["id"] for n in body["results"]] == [n.pk for n in mine[2:]]
    body = client.get(LIST, {"since": mine[1].pk, "unread": "true"}).json()
    assert [n["id"] for n in body["results"]] == [mine[3].pk]
    body = client.get(LIST, {"unread": "false"}).json()
    assert [n["id"] for n in body["results"]] == [mine[4].pk, mine[2].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"since": "abc"}, "since"), ({"since": "-1"}, "since"), ({"unread": "maybe"}, "unread")],
)
def test_bad_list_parameters_are_named(org, params, field):
    response = bearer(org.head).get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_notifications_from_an_action_are_listed_with_their_link(org):
    innovation = act(org.operator, new_innovation(org), "submit")
    body = bearer(org.head).get(LIST).json()
    assert body["count"] == 1
    note = body["results"][0]
    assert note["kind"] == "approval_requested"
    assert note["url"] == f"/innovations/{innovation.pk}/"
    assert note["innovation"] == innovation.pk
    assert bearer(org.operator).get(LIST).json()["count"] == 0


def test_mark_read_by_ids_touches_only_own(org):
    mine = notes(org.head, 3)
    theirs = notes(org.operator, 2)
    response = bearer(org.head).post(
        READ, {"ids": [mine[0].pk, theirs[0].pk, theirs[1].pk, 999999]}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.filter(recipient=org.operator, read_at__isnull=True).count() == 2
    # Marking again changes nothing.
    again = bearer(org.head).post(READ, {"ids": [mine[0].pk]}, format="json").json()
    assert again == {"marked": 0, "unread": 2}


def test_mark_all_read_touches_only_own(org):
    notes(org.head, 3)
    notes(org.operator, 2)
    response = bearer(org.head).post(READ, {"all": True}, format="json")
    assert response.json() == {"marked": 3, "unread": 0}
    assert Notification.objects.filter(recipient=org.operator, read_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": []},
        {"ids": "1"},
        {"ids": [0]},
        {"ids": ["x"]},
        {"ids": [1], "all": True},
        {"ids": list(range(1, 502))},
        {"all": False},
    ],
)
def test_bad_read_requests_are_rejected_and_mark_nothing(org, body):
    notes(org.head, 1)
    response = bearer(org.head).post(READ, body, format="json")
    assert response.status_code == 400
    assert {name.split(".")[0] for name in response.json()["errors"]} == {"ids"}
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_preferences_default_then_update_some_kinds(org):
    client = bearer(org.head)
    body = client.get(PREFS).json()
    modes = {p["kind"]: p["email"] for p in body["preferences"]}
    assert set(modes) == set(Kind.values)
    assert modes["task_assigned"] == "immediate"
    assert modes["stage_advanced"] == "daily"
    assert all(p["label"] for p in body["preferences"])

    response = client.put(
        PREFS,
        {
            "preferences": [
                {"kind": "stage_advanced", "email": "off"},
                {"kind": "task_assigned", "email": "daily"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    modes = {p["kind"]: p["email"] for p in response.json()["preferences"]}
    assert modes["stage_advanced"] == "off"
    assert modes["task_assigned"] == "daily"
    assert modes["returned"] == "immediate"
    # Another user's preferences are untouched.
    other = {p["kind"]: p["email"] for p in bearer(org.operator).get(PREFS).json()["preferences"]}
    assert other["stage_advanced"] == "daily"
    assert NotificationPreference.objects.filter(user=org.operator).count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"preferences": [{"kind": "task_assigned", "email": "weekly"}]},
        {"preferences": [{"kind": "nope", "email": "off"}]},
        {"preferences": [{"kind": "overdue", "email": "off"}, {"kind": "x", "email": "off"}]},
        {"preferences": []},
        {"task_assigned": "off"},
    ],
)
def test_bad_preferences_are_rejected_and_write_nothing(org, body):
    response = bearer(org.head).put(PREFS, body, format="json")
    assert response.status_code == 400
    assert {name.split(".")[0] for name in response.json()["errors"]} == {"preferences"}
    assert NotificationPreference.objects.count() == 0


def test_preferences_can_be_set_back(org):
    client = bearer(org.head)
    client.put(PREFS, {"preferences": [{"kind": "overdue", "email": "off"}]}, format="json")
    client.put(PREFS, {"preferences": [{"kind": "overdue", "email": "daily"}]}, format="json")
    assert (
        NotificationPreference.objects.get(user=org.head, kind="overdue").email == EmailMode.DAILY
    )


def test_the_openapi_schema_lists_the_endpoints(org):
    schema = bearer(org.head).get("/api/openapi.json").json()
    assert {
        "/api/v1/notifications/",
        "/api/v1/notifications/read",
        "/api/v1/notifications/preferences",
    } <= set(schema["paths"])
