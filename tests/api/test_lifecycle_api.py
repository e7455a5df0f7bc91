"""A whole case driven through the JSON API only, each role with its own token."""

import pytest
from rest_framework.test import APIClient

from mentoring.models import RANCANG_BANGUN_SECTIONS, Indicator, NationalPriority
from tests.factories import YEAR, pdf

API = "/api/v1"


def login(user) -> APIClient:
    """Get a token through the API itself and use it as a Bearer token."""
    anonymous = APIClient()
    response = anonymous.post(
        f"{API}/auth/token", {"username": user.username, "password": "rahasia123"}, format="json"
    )
    assert response.status_code == 200, response.data
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['token']}")
    return client


def act(client, pk, action, comment="", expect=200):
    response = client.post(
        f"{API}/innovations/{pk}/actions/{action}/", {"comment": comment}, format="json"
    )
    assert response.status_code == expect, response.data
    return response.data


@pytest.mark.django_db
def test_whole_lifecycle_through_the_api(org):
    operator, head, mentor = login(org.operator), login(org.head), login(org.mentor)
    verifier, admin = login(org.verifier), login(org.admin)

    # Proposal: the unit defaults to the operator's only unit.
    response = operator.post(
        f"{API}/innovations/",
        {
            "year": YEAR,
            "name": "Layanan Adminduk Keliling",
            "bentuk": "pelayanan_publik",
            "jenis": "digital",
            "inisiator": "asn",
            "main_urusan": "kesehatan",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    case = response.data
    pk = case["id"]
    assert case["unit"] == {"code": org.unit.code, "name": org.unit.name}
    assert (case["stage"], case["awaiting"], case["created_by"]) == (
        "proposal",
        "opd",
        org.operator.username,
    )
    assert "submit" in case["actions"]

    actions = operator.get(f"{API}/innovations/{pk}/actions/").data
    assert {"name": "submit", "label": "Ajukan", "comment_required": False} in actions

    assert act(operator, pk, "submit")["innovation"]["stage"] == "proposal_gate"
    head_actions = {a["name"]: a for a in head.get(f"{API}/innovations/{pk}/actions/").data}
    assert head_actions["return"]["comment_required"] is True
    result = act(head, pk, "approve", "Lanjutkan.")
    assert result["innovation"]["stage"] == "mentoring"
    assert result["event"]["action"] == "approve"
    assert result["event"]["actor"]["username"] == org.head.username

    # Mentoring: a session with a follow-up, then complete.
    response = mentor.post(
        f"{API}/innovations/{pk}/sessions/",
        {
            "date": f"{YEAR}-03-01",
            "mode": "tatap_muka",
            "topic": "Menyusun rancang bangun",
            "notes": "Dasar hukum perlu dilengkapi.",
            "follow_ups": [{"description": "Lengkapi SK tim", "due_date": f"{YEAR}-03-15"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["follow_ups"][0]["description"] == "Lengkapi SK tim"
    assert len(operator.get(f"{API}/innovations/{pk}/sessions/").data) == 1
    assert act(mentor, pk, "complete")["innovation"]["stage"] == "packaging"

    # Packaging: the whole profile (the six sections of the rancang bangun, the location, a
    # national priority) and one evidence item per mandatory indicator.
    priority = NationalPriority.objects.filter(year=YEAR).first()
    response = operator.patch(
        f"{API}/innovations/{pk}/",
        {
            **dict.fromkeys(RANCANG_BANGUN_SECTIONS, " ".join(["kata"] * 55)),
            "tujuan": "Mempercepat layanan.",
            "manfaat": "Warga terlayani lebih cepat.",
            "hasil": "Waktu layanan turun dari 5 hari menjadi 1 hari.",
            "related_urusan": ["sosial"],
            "trial_date": f"{YEAR - 1}-02-01",
            "implementation_date": f"{YEAR - 1}-09-01",
            "maturity": "penerapan",
            "latitude": "-0.420000",
            "longitude": "116.990000",
            "priorities": [priority.pk],
            "budget": 150000000,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["rancang_bangun_words"] == 330
    assert response.data["rancang_bangun"].startswith("dasar hukum\nkata")
    assert response.data["maturity"] == "penerapan"
    assert response.data["related_urusan"] == ["sosial"]
    assert response.data["priorities"] == [priority.pk]
    assert response.data["budget"] == 150000000

    mandatory = list(Indicator.objects.filter(year=YEAR, mandatory=True).order_by("number"))
    assert mandatory
    for indicator in mandatory:
        # The video (35) is given as a link, the usual way; the others as files.
        given = (
            {"link": "https://www.youtube.com/watch?v=abc123"}
            if indicator.accepts_link
            else {"file": pdf(f"bukti-{indicator.number}.pdf")}
        )
        response = operator.post(
            f"{API}/innovations/{pk}/evidence/",
            {"indicator": indicator.number, "parameter": 2, "description": "Bukti", **given},
            format="multipart",
        )
        assert response.status_code == 201, response.data
        assert response.data["indicator"] == indicator.number
        if indicator.accepts_link:
            assert response.data["link"] == given["link"] and response.data["size"] == 0
        else:
            assert response.data["content_type"] == "application/pdf"
            assert response.data["file_url"] == f"/files/evidence/{response.data['id']}/"
    evidence = operator.get(f"{API}/innovations/{pk}/evidence/").data
    assert [item["indicator"] for item in evidence] == [i.number for i in mandatory]
    # The file link serves the upload to someone who may see the case.
    assert operator.get(evidence[0]["file_url"]).status_code in (200, 302)

    assert act(operator, pk, "submit")["innovation"]["stage"] == "packaging_gate"
    assert act(head, pk, "approve")["innovation"]["stage"] == "verification"

    # Verification: every item valid, then accept.
    for item in evidence:
        response = verifier.post(
            f"{API}/evidence/{item['id']}/review", {"valid": True, "note": ""}, format="json"
        )
        assert response.status_code == 200, response.data
        assert response.data["review"] == "valid"
        assert response.data["reviewed_by"] == org.verifier.username
    assert act(verifier, pk, "accept")["innovation"]["stage"] == "reporting"

    # Reporting: the final report, the head's approval, the admin's close.
    response = operator.patch(
        f"{API}/innovations/{pk}/",
        {
            "report_results": "Layanan berjalan di 20 kecamatan.",
            "report_beneficiaries": 1200,
            "report_national_ref": "IID-2026-0001",
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert act(operator, pk, "submit")["innovation"]["stage"] == "report_gate"
    assert act(head, pk, "approve")["innovation"]["stage"] == "close"
    final = act(admin, pk, "close")["innovation"]
    assert (final["stage"], final["awaiting"], final["actions"]) == ("done", "none", [])

    history = operator.get(f"{API}/innovations/{pk}/history/")
    assert history.status_code == 200
    assert [(e["action"], e["from_stage"], e["to_stage"]) for e in history.data] == [
        ("create", "", "proposal"),
        ("submit", "proposal", "proposal_gate"),
        ("approve", "proposal_gate", "mentoring"),
        ("complete", "mentoring", "packaging"),
        ("submit", "packaging", "packaging_gate"),
        ("approve", "packaging_gate", "verification"),
        ("accept", "verification", "reporting"),
        ("submit", "reporting", "report_gate"),
        ("approve", "report_gate", "close"),
        ("close", "close", "done"),
    ]
    assert history.data[2]["comment"] == "Lanjutkan."
    assert history.data[2]["actor"]["username"] == org.head.username
    assert history.data[-1]["to_label"] == "Selesai"
