"""Finding 11: answers that broke the OpenAPI document. Innovations lacked the `unit_detail` the
document required, nested field errors were objects where the document promises lists of
strings, and the action endpoint took form bodies the JSON API does not read."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import YEAR, advance, new_innovation

API = "/api/v1"
UNREADABLE = "Isi permintaan tidak dapat dibaca"


@pytest.fixture
def document(db):
    return json.loads(APIClient().get("/api/openapi.json").content)


def documented_statuses(document, method: str, path: str) -> set[int]:
    return {int(code) for code in document["paths"][path][method.lower()]["responses"]}


def assert_error_shape(response) -> dict:
    """The documented error body: {"detail": str, "errors": {field: [str, ...]}}, as JSON."""
    assert response["Content-Type"] == "application/json", response.content
    body = json.loads(response.content)
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    for field, messages in body["errors"].items():
        assert isinstance(field, str)
        assert isinstance(messages, list) and messages, (field, messages)
        assert all(isinstance(message, str) for message in messages), (field, messages)
    return body


# --- 1. an innovation reads as documented, in every answer that carries one -----------------------


@pytest.mark.django_db
def test_every_answer_with_an_innovation_has_exactly_the_documented_fields(org, as_user, document):
    component = document["components"]["schemas"]["Innovation"]
    operator = as_user(org.operator)
    created = operator.post(
        f"{API}/innovations/",
        {
            "name": "Layanan Adminduk Keliling",
            "bentuk": "pelayanan_publik",
            "jenis": "digital",
            "inisiator": "asn",
            "main_urusan": "kesehatan",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = operator.patch(f"{API}/innovations/{pk}/", {"tujuan": "Cepat."}, format="json")
    acted = operator.post(f"{API}/innovations/{pk}/actions/submit/", format="json")
    answers = {
        "create": created.json(),
        "list": operator.get(f"{API}/innovations/").json()["results"][0],
        "detail": operator.get(f"{API}/innovations/{pk}/").json(),
        "patch": patched.json(),
        "action": acted.json()["innovation"],
    }
    for name, innovation in answers.items():
        assert set(component["required"]) <= set(innovation), name
        assert set(innovation) <= set(component["properties"]), name
        assert innovation["unit"] == {"code": org.unit.code, "name": org.unit.name}, name
    # The request takes the unit's code under the same name.
    request = document["components"]["schemas"]["InnovationRequest"]
    assert request["properties"]["unit"]["type"] == "string"
    assert "unit_detail" not in request["properties"]
    assert "unit_detail" not in component["properties"]


# --- 2. nested field errors are dotted names with lists of strings --------------------------------


def test_the_document_promises_lists_of_strings_per_field(document):
    errors = document["components"]["schemas"]["Error"]["properties"]["errors"]
    assert errors["type"] == "object"
    assert errors["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


@pytest.mark.django_db
def test_nested_field_errors_are_dotted_names_with_lists_of_strings(org, as_user):
    mentoring = advance(org, new_innovation(org), "mentoring")
    session = {"date": f"{YEAR}-03-01", "mode": "tatap_muka", "topic": "Rancang bangun"}
    sessions = f"{API}/innovations/{mentoring.pk}/sessions/"
    cases = [
        (
            as_user(org.mentor).post,
            sessions,
            {**session, "follow_ups": [{"description": "SK tim", "due_date": "besok"}]},
            {"follow_ups.0.due_date"},
        ),
        (
            as_user(org.mentor).post,
            sessions,
            {**session, "follow_ups": [{"description": "SK tim", "due_date": f"{YEAR}-03-15"}, 5]},
            {"follow_ups.1"},
        ),
        (
            as_user(org.head).post,
            f"{API}/notifications/read",
            {"ids": [1, "dua", 0]},
            {"ids.1", "ids.2"},
        ),
        (
            as_user(org.head).put,
            f"{API}/notifications/preferences",
            {"preferences": [{"kind": "overdue", "email": "daily"}, {"kind": "x", "email": "y"}]},
            {"preferences.1.kind", "preferences.1.email"},
        ),
    ]
    for send, url, body, fields in cases:
        response = send(url, body, format="json")
        assert response.status_code == 400, (url, response.content)
        assert set(assert_error_shape(response)["errors"]) == fields, (url, body)


# --- 3. a body the operation does not read is a JSON error, never an empty answer -----------------

BOUNDARY = "----pandu"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM_BODY = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nx\r\n--{BOUNDARY}--\r\n'
).encode()
BODIES = {
    # (content type, body): the status it gets from an operation that reads JSON only
    "multipart": (MULTIPART, FORM_BODY, 415),
    "multipart, no parts": (MULTIPART, f"--{BOUNDARY}--\r\n".encode(), 415),
    "multipart, no boundary": ("multipart/form-data", b"comment=x", 415),
    "multipart, bad boundary": ("multipart/form-data; boundary=\u00ff", b"--x", 415),
    "form": ("application/x-www-form-urlencoded", b"comment=x", 415),
    "text": ("text/plain", b"comment", 415),
    "xml": ("application/xml", b"<comment/>", 415),
    "JSON, not UTF-8": ("application/json", b'{"comment": "\xff"}', 400),
    "JSON, cut short": ("application/json", b'{"comment": ', 400),
}


@pytest.fixture
def mentoring_case(org):
    return advance(org, new_innovation(org), "mentoring")


def json_operations(org, mentoring) -> list[tuple[object, str, str, str]]:
    """(user, method, path template, url) of every operation that reads a JSON body, each
    where the caller may use it, so that the body is what decides."""
    proposal = new_innovation(org)
    evidence = advance(org, new_innovation(org), "packaging_gate").evidence.first()
    return [
        (org.operator, "POST", "/innovations/", f"{API}/innovations/"),
        (org.operator, "PATCH", "/innovations/{id}/", f"{API}/innovations/{proposal.pk}/"),
        (
            org.mentor,
            "POST",
            "/innovations/{id}/actions/{name}/",
            f"{API}/innovations/{mentoring.pk}/actions/complete/",
        ),
        (
            org.mentor,
            "POST",
            "/innovations/{id}/sessions/",
            f"{API}/innovations/{mentoring.pk}/sessions/",
        ),
        (org.verifier, "POST", "/evidence/{id}/review", f"{API}/evidence/{evidence.pk}/review"),
        (org.head, "POST", "/notifications/read", f"{API}/notifications/read"),
        (org.head, "PUT", "/notifications/preferences", f"{API}/notifications/preferences"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BODIES))
def test_a_body_the_operation_cannot_read_is_a_documented_json_error(
    org, as_user, mentoring_case, document, kind
):
    content_type, body, status = BODIES[kind]
    for user, method, template, url in json_operations(org, mentoring_case):
        response = as_user(user).generic(method, url, body, content_type=content_type)
        assert response.status_code == status, (kind, method, url, response.content)
        assert status in documented_statuses(document, method, f"{API}{template}"), (method, url)
        assert_error_shape(response)
    mentoring_case.refresh_from_db()
    assert mentoring_case.stage == "mentoring"


@pytest.mark.django_db
def test_the_action_endpoint_documents_json_only(document):
    operation = document["paths"][f"{API}/innovations/{{id}}/actions/{{name}}/"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data", b"--x"),
        ("multipart/form-data; boundary=", b"--x"),
        ("application/json", b"{}"),
        ("text/plain", b"x"),
    ],
)
def test_a_broken_upload_is_a_json_error_that_does_not_blame_json(org, as_user, content_type, body):
    packaging = advance(org, new_innovation(org), "packaging")
    response = as_user(org.operator).generic(
        "POST", f"{API}/innovations/{packaging.pk}/evidence/", body, content_type=content_type
    )
    assert response.status_code in (400, 415), response.content
    detail = assert_error_shape(response)["detail"]
    if response.status_code == 400:
        assert UNREADABLE in detail and "JSON" not in detail, detail


@pytest.mark.django_db
def test_an_empty_action_body_is_read_as_no_comment(org, as_user, mentoring_case):
    """No body at all (whatever its declared type) is an action without a comment."""
    for content_type in ("application/json", "multipart/form-data", "text/plain"):
        response = as_user(org.admin).generic(
            "POST",
            f"{API}/innovations/{mentoring_case.pk}/actions/close/",
            b"",
            content_type=content_type,
        )
        assert response.status_code == 409, (content_type, response.content)
        assert_error_shape(response)
