"""Finding 5: inputs that ended in a 500 (a NUL byte in any list filter on PostgreSQL, JSON
nested 50,000 deep, an upload name over 255 bytes, ids of 2**63 and above on SQLite) and their
siblings: every query parameter of every page and endpoint, every id in a path, every id list,
tried with values a program or a person might send. Each must get a 4xx (JSON on the API),
never a 500. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import new_innovation

BIG = str(2**63)
BAD_VALUES = [
    "\x00",
    "a\x00b",
    BIG,
    "99999999999999999999999999",
    "-9223372036854775809",
    "²",
    "١٢",
    "1e3",
    " ",
    "%",
    "' OR 1=1 --",
    "x" * 3000,
    "🦀",
]
LIST_PARAMS = ["stage", "unit", "year", "mentor", "q", "awaiting", "overdue", "due_before", "page"]
GET_URLS = {
    "/": ["year"],
    "/innovations/": LIST_PARAMS,
    "/reports/": ["year"],
    "/reports/innovations/csv/": LIST_PARAMS,
    "/reports/innovations/xlsx/": LIST_PARAMS,
    "/reports/compliance/csv/": ["year"],
    "/reports/yearly.pdf": ["year"],
    "/reports/mentors/reassign/": ["year"],
    "/national/": ["year"],
    "/national/package.zip": ["year"],
    "/notifications/": ["page"],
    "/api/v1/innovations/": LIST_PARAMS,
    "/api/v1/units/": ["page"],
    "/api/v1/notifications/": ["since", "unread", "page"],
    "/admin/mentoring/indicator/": ["q", "p", "o", "source__id__exact"],
}
ID_PATHS = [
    "/innovations/{id}/",
    "/innovations/{id}/edit/",
    "/innovations/{id}/sessions/new/",
    "/innovations/{id}/evidence/new/",
    "/innovations/{id}/attachments/new/",
    "/evidence/{id}/review/",
    "/files/evidence/{id}/",
    "/files/attachments/{id}/",
    "/national/innovations/{id}/package.zip",
    "/api/v1/innovations/{id}/",
    "/api/v1/innovations/{id}/actions/",
    "/api/v1/innovations/{id}/history/",
    "/api/v1/innovations/{id}/sessions/",
    "/api/v1/innovations/{id}/evidence/",
    "/admin/mentoring/indicator/{id}/change/",
    "/admin/notifications/notification/{id}/change/",
    "/flows/innovation/{id}/",
]
POST_ID_PATHS = [
    "/innovations/{id}/actions/approve/",
    "/innovations/{id}/edit/",
    "/evidence/{id}/review/",
    "/national/innovations/{id}/entry/",
    "/api/v1/innovations/{id}/actions/approve/",
    "/api/v1/evidence/{id}/review",
]
BIG_IDS = [BIG, "9" * 30, str(2**63 - 1)]


@pytest.fixture
def admin_client(org):
    new_innovation(org)
    client = Client(raise_request_exception=False)
    client.force_login(org.admin)
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    return client


def assert_client_error(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code)
    if response.status_code >= 400 and "/api/" in what:
        assert set(json.loads(response.content)) == {"detail", "errors"}, what


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(GET_URLS))
def test_bad_query_values_are_client_errors(admin_client, url):
    for name in GET_URLS[url]:
        for value in BAD_VALUES:
            response = admin_client.get(url, {name: value})
            assert_client_error(response, f"{url}?{name}={value!r}"[:200])


@pytest.mark.django_db
@pytest.mark.parametrize("template", ID_PATHS)
def test_ids_beyond_64_bits_are_not_found(admin_client, template):
    for big in BIG_IDS:
        response = admin_client.get(template.format(id=big))
        assert_client_error(response, template)
        assert response.status_code in (302, 403, 404), (template, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("template", POST_ID_PATHS)
def test_posts_to_ids_beyond_64_bits_are_not_found(admin_client, template):
    for big in BIG_IDS:
        response = admin_client.post(template.format(id=big), {"comment": "x"})
        assert_client_error(response, template)
        assert response.status_code in (403, 404), (template, response.status_code)


@pytest.mark.django_db
def test_id_lists_beyond_64_bits_are_refused(admin_client, org):
    api = APIClient()
    api.force_login(org.admin)
    for big in (int(BIG), 10**30):
        response = api.post("/api/v1/notifications/read", {"ids": [big]}, format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"ids.0"}
    for big in BIG_IDS:
        page = admin_client.post("/notifications/read/", {"id": big})
        assert page.status_code == 302
        export = admin_client.post("/reports/innovations/selected/", {"ids": [big]})
        assert_client_error(export, "selected export")
        reassign = admin_client.post(
            "/reports/mentors/reassign/", {"year": "2026", "mentor_id": big, "unit_ids": [big]}
        )
        assert reassign.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/auth/token",
        "/api/v1/innovations/",
        "/api/v1/notifications/read",
        "/api/v1/notifications/preferences",
    ],
)
def test_json_nested_50000_deep_is_a_400(org, url):
    api = APIClient(raise_request_exception=False)
    api.force_login(org.operator)
    body = "[" * 50_000 + "]" * 50_000
    method = api.put if url.endswith("preferences") else api.post
    response = method(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
