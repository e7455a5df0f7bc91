"""Bad input: the right status, the field named in the body, and no row written."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mentoring.models import EvidenceItem, Indicator, Innovation, Membership, MentoringSession
from tests.factories import Org, advance, make_user, new_innovation, pdf
from workflow.models import CaseEvent

API = "/api/v1"


def rows() -> dict[str, int]:
    return {
        "innovations": Innovation.objects.count(),
        "events": CaseEvent.objects.count(),
        "evidence": EvidenceItem.objects.count(),
        "sessions": MentoringSession.objects.count(),
    }


@pytest.fixture
def packaging_case(org):
    return advance(org, new_innovation(org), "packaging")


def upload(client, innovation, file, indicator=None):
    number = indicator or Indicator.objects.filter(year=innovation.year, mandatory=True)[0].number
    return client.post(
        f"{API}/innovations/{innovation.pk}/evidence/",
        {"indicator": number, "parameter": 2, "file": file},
        format="multipart",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Ini hanya teks biasa, bukan PDF.\n" * 20, id="text-named-pdf"),
        pytest.param(os.urandom(2048).replace(b"%PDF", b"xxxx"), id="random-bytes"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00", id="exe"),
    ],
)
def test_upload_checked_by_content_not_name(org, packaging_case, as_user, content):
    before = rows()
    file = SimpleUploadedFile("laporan.pdf", content, content_type="application/pdf")
    response = upload(as_user(org.operator), packaging_case, file)
    assert response.status_code == 400, response.data
    assert "file" in response.data["errors"]
    assert "Jenis berkas tidak diterima" in response.data["errors"]["file"][0]
    assert rows() == before


@pytest.mark.django_db
def test_oversized_upload(org, packaging_case, as_user, settings):
    settings.UPLOAD_MAX_BYTES = 16
    before = rows()
    response = upload(as_user(org.operator), packaging_case, pdf())
    assert response.status_code == 400
    assert "melebihi batas" in response.data["errors"]["file"][0]
    assert rows() == before


@pytest.mark.django_db
def test_upload_unknown_indicator_and_missing_file(org, packaging_case, as_user):
    client = as_user(org.operator)
    before = rows()
    response = upload(client, packaging_case, pdf(), indicator=99)
    assert response.status_code == 400
    assert "indicator" in response.data["errors"]
    response = client.post(
        f"{API}/innovations/{packaging_case.pk}/evidence/",
        {"indicator": 16, "parameter": 7},
        format="multipart",
    )
    assert response.status_code == 400
    assert set(response.data["errors"]) >= {"parameter", "file"}
    assert rows() == before


@pytest.mark.django_db
def test_short_rancang_bangun_blocks_packaging_submit(org, packaging_case, as_user):
    client = as_user(org.operator)
    response = client.patch(
        f"{API}/innovations/{packaging_case.pk}/",
        {"permasalahan": "Terlalu pendek.", "tujuan": "a", "manfaat": "b", "hasil": "c"},
        format="json",
    )
    assert response.status_code == 200
    before = rows()
    response = client.post(f"{API}/innovations/{packaging_case.pk}/actions/submit/", format="json")
    assert response.status_code == 400
    assert "300" in response.data["errors"]["rancang_bangun"][0]
    # Each section is named with its own count against the year's minimum (30 words).
    assert "2 dari minimal 30 kata" in response.data["errors"]["permasalahan"][0]
    assert rows() == before
    packaging_case.refresh_from_db()
    assert packaging_case.stage == "packaging"


@pytest.mark.django_db
def test_gate_return_needs_a_comment(org, as_user):
    innovation = advance(org, new_innovation(org), "proposal_gate")
    before = rows()
    response = as_user(org.head).post(
        f"{API}/innovations/{innovation.pk}/actions/return/", {"comment": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "comment" in response.data["errors"]
    assert rows() == before
    innovation.refresh_from_db()
    assert innovation.stage == "proposal_gate"


@pytest.mark.django_db
def test_malformed_json(org, as_user):
    client = as_user(org.operator)
    innovation = new_innovation(org)
    before = rows()
    for method, url in [
        ("post", f"{API}/innovations/"),
        ("patch", f"{API}/innovations/{innovation.pk}/"),
        ("post", f"{API}/innovations/{innovation.pk}/actions/submit/"),
    ]:
        response = getattr(client, method)(
            url, data='{"name": "tanpa penutup', content_type="application/json"
        )
        assert response.status_code == 400, (url, response.data)
        assert "JSON" in response.data["detail"]
    assert rows() == before
    innovation.refresh_from_db()
    assert innovation.stage == "proposal"


@pytest.mark.django_db
def test_unknown_action(org, as_user):
    innovation = new_innovation(org)
    before = rows()
    response = as_user(org.operator).post(
        f"{API}/innovations/{innovation.pk}/actions/terbang/", format="json"
    )
    assert response.status_code == 400
    assert "action" in response.data["errors"]
    assert rows() == before


@pytest.mark.django_db
def test_action_in_wrong_stage_is_a_conflict(org, as_user):
    innovation = new_innovation(org)
    before = rows()
    response = as_user(org.head).post(
        f"{API}/innovations/{innovation.pk}/actions/approve/", format="json"
    )
    assert response.status_code == 409
    assert "Usulan" in response.data["detail"]
    assert rows() == before


@pytest.mark.django_db
def test_missing_case_is_404(org, as_user):
    client = as_user(org.admin)
    for method, url in [
        ("get", f"{API}/innovations/999999/"),
        ("get", f"{API}/innovations/999999/history/"),
        ("post", f"{API}/innovations/999999/actions/approve/"),
        ("post", f"{API}/evidence/999999/review"),
    ]:
        response = getattr(client, method)(url, {"valid": True}, format="json")
        assert response.status_code == 404, url
        assert response.data["detail"]


@pytest.mark.django_db
def test_401_without_credentials(org):
    innovation = new_innovation(org)
    client = APIClient()
    before = rows()
    for method, url in [
        ("get", f"{API}/me"),
        ("get", f"{API}/innovations/"),
        ("post", f"{API}/innovations/"),
        ("post", f"{API}/innovations/{innovation.pk}/actions/submit/"),
    ]:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Bearer"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.get(f"{API}/me").status_code == 401
    assert rows() == before


@pytest.mark.django_db
def test_bad_credentials_for_token(org):
    client = APIClient()
    response = client.post(
        f"{API}/auth/token", {"username": org.operator.username, "password": "salah"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.data["errors"]
    response = client.post(f"{API}/auth/token", {}, format="json")
    assert set(response.data["errors"]) == {"username", "password"}


@pytest.mark.django_db
def test_another_units_operator_is_refused(org, as_user):
    innovation = advance(org, new_innovation(org), "packaging")
    other = Org()
    client = as_user(other.operator)
    before = rows()
    base = f"{API}/innovations/{innovation.pk}"
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/history/").status_code == 403
    assert client.get(f"{base}/evidence/").status_code == 403
    assert client.patch(f"{base}/", {"name": "Dibajak"}, format="json").status_code == 403
    assert client.post(f"{base}/actions/submit/", format="json").status_code == 403
    assert upload(client, innovation, pdf()).status_code == 403
    response = client.post(
        f"{API}/innovations/",
        {
            "unit": org.unit.code,
            "year": org.year,
            "name": "Inovasi unit lain",
            "bentuk": "pelayanan_publik",
            "jenis": "digital",
            "inisiator": "asn",
            "main_urusan": "kesehatan",
        },
        format="json",
    )
    assert response.status_code == 403
    assert response.data["detail"]
    assert rows() == before
    innovation.refresh_from_db()
    assert innovation.name != "Dibajak"
    # The list simply does not show it.
    listed = client.get(f"{API}/innovations/").data
    assert innovation.pk not in [item["id"] for item in listed["results"]]


@pytest.mark.django_db
def test_patch_refuses_fields_not_editable_now(org, as_user):
    innovation = new_innovation(org)
    client = as_user(org.operator)
    before = innovation.updated_at
    response = client.patch(
        f"{API}/innovations/{innovation.pk}/",
        {"name": "Nama baru", "report_results": "Belum waktunya"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.data["errors"]) == ["report_results"]
    response = client.patch(
        f"{API}/innovations/{innovation.pk}/", {"stage": "done", "unit": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"stage", "unit"}
    response = client.patch(
        f"{API}/innovations/{innovation.pk}/",
        {"trial_date": "2026-05-01", "implementation_date": "2026-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "implementation_date" in response.data["errors"]
    innovation.refresh_from_db()
    assert innovation.updated_at == before
    assert innovation.trial_date is None
    assert innovation.name != "Nama baru"

    # Once it waits for the head, the operator may edit nothing: 403.
    advance(org, innovation, "proposal_gate")
    response = client.patch(f"{API}/innovations/{innovation.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_create_needs_a_unit_when_the_caller_has_several(org, as_user):
    second = Org()
    Membership.objects.create(unit=second.unit, user=org.operator, position="operator")
    before = rows()
    payload = {
        "year": org.year,
        "name": "Dua unit",
        "bentuk": "pelayanan_publik",
        "jenis": "digital",
        "inisiator": "asn",
        "main_urusan": "kesehatan",
    }
    client = as_user(org.operator)
    response = client.post(f"{API}/innovations/", payload, format="json")
    assert response.status_code == 400
    assert "unit" in response.data["errors"]
    response = client.post(
        f"{API}/innovations/",
        {**payload, "bentuk": "lain", "main_urusan": "tidak-ada"},
        format="json",
    )
    assert response.status_code == 400
    assert {"bentuk", "main_urusan"} <= set(response.data["errors"])
    assert rows() == before
    response = client.post(
        f"{API}/innovations/", {**payload, "unit": second.unit.code}, format="json"
    )
    assert response.status_code == 201
    assert response.data["unit"]["code"] == second.unit.code


@pytest.mark.django_db
def test_session_and_review_input_errors(org, as_user):
    innovation = advance(org, new_innovation(org), "mentoring")
    before = rows()
    response = as_user(org.mentor).post(
        f"{API}/innovations/{innovation.pk}/sessions/",
        {"date": "kemarin", "mode": "telepati", "follow_ups": [{"description": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert {"date", "mode", "topic", "follow_ups.0.due_date"} <= set(response.data["errors"])
    # Only the unit's mentor logs sessions.
    stranger = make_user(None, "mentor")
    response = as_user(stranger).post(
        f"{API}/innovations/{innovation.pk}/sessions/",
        {"date": "2026-03-01", "mode": "daring", "topic": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert rows() == before

    innovation = advance(org, new_innovation(org), "verification")
    item = EvidenceItem.objects.filter(innovation=innovation).first()
    response = as_user(org.verifier).post(
        f"{API}/evidence/{item.pk}/review", {"valid": False, "note": ""}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.data["errors"]
    # The mentor of the case may not verify it.
    response = as_user(org.mentor).post(
        f"{API}/evidence/{item.pk}/review", {"valid": True}, format="json"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.review == "pending"


@pytest.mark.django_db
def test_review_may_lower_the_parameter_but_not_raise_it(org, as_user):
    innovation = advance(org, new_innovation(org), "verification")
    item = EvidenceItem.objects.filter(innovation=innovation).first()  # chosen parameter 2
    url = f"{API}/evidence/{item.pk}/review"
    response = as_user(org.verifier).post(
        url, {"valid": True, "verified_parameter": 3}, format="json"
    )
    assert response.status_code == 400
    assert "verified_parameter" in response.data["errors"]
    item.refresh_from_db()
    assert item.review == "pending"
    response = as_user(org.verifier).post(
        url, {"valid": True, "verified_parameter": 1}, format="json"
    )
    assert response.status_code == 200
    assert (response.data["review"], response.data["verified_parameter"]) == ("valid", 1)


@pytest.mark.django_db
def test_create_refuses_report_fields_at_the_proposal_stage(org, as_user):
    before = rows()
    payload = {
        "name": "Laporan terlalu dini",
        "bentuk": "pelayanan_publik",
        "jenis": "digital",
        "inisiator": "asn",
        "main_urusan": "kesehatan",
        "report_results": "Sudah selesai",
        "report_beneficiaries": 10,
    }
    response = as_user(org.operator).post(f"{API}/innovations/", payload, format="json")
    assert response.status_code == 400
    assert {"report_results", "report_beneficiaries"} <= set(response.data["errors"])
    assert rows() == before


@pytest.mark.django_db
def test_national_profile_bad_input_is_named_and_writes_nothing(org, packaging_case, as_user):
    from mentoring.models import Region

    org.unit.region = Region.objects.get(code="kutai-kartanegara")
    org.unit.save()
    client = as_user(org.operator)
    url = f"{API}/innovations/{packaging_case.pk}/"
    for body, field in [
        ({"latitude": "-6.200000", "longitude": "106.816666"}, "latitude"),  # Jakarta
        ({"latitude": "-0.420000"}, "longitude"),  # half a coordinate
        ({"related_urusan": ["kesehatan"]}, "related_urusan"),  # the main urusan again
    ]:
        response = client.patch(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.data["errors"], response.data
    packaging_case.refresh_from_db()
    assert packaging_case.latitude is None and not packaging_case.related_urusan.exists()
    before = rows()
    response = client.post(
        f"{API}/innovations/{packaging_case.pk}/evidence/",
        {"indicator": 35, "parameter": 2, "link": "video kami di youtube"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "link" in response.data["errors"]
    assert rows() == before
