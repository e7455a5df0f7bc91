"""Test data builders: one place for units, people and cases in any stage."""

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from mentoring.models import (
    RANCANG_BANGUN_SECTIONS,
    Bentuk,
    EvidenceItem,
    Indicator,
    Inisiator,
    Innovation,
    Jenis,
    Maturity,
    Membership,
    MentorAssignment,
    NationalPriority,
    Unit,
    UnitKind,
    Urusan,
)
from workflow import services as workflow_services

YEAR = 2026
_seq = itertools.count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_user(username: str | None = None, *roles: str) -> User:
    user = User.objects.create_user(username or f"user{next(_seq)}", password="rahasia123")
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_unit(code: str | None = None, kind: str = UnitKind.DINAS) -> Unit:
    n = next(_seq)
    return Unit.objects.create(code=code or f"unit-{n}", name=f"Dinas Uji {n}", kind=kind)


class Org:
    """A unit with its head, operator and lead mentor, plus a verifier, an admin and an observer."""

    def __init__(self, year: int = YEAR) -> None:
        self.year = year
        self.unit = make_unit()
        self.head = make_user(None, "opd_head")
        self.operator = make_user(None, "opd_operator")
        Membership.objects.create(unit=self.unit, user=self.head, position="head")
        Membership.objects.create(unit=self.unit, user=self.operator, position="operator")
        self.mentor = make_user(None, "mentor")
        MentorAssignment.objects.create(unit=self.unit, mentor=self.mentor, year=year, is_lead=True)
        self.verifier = make_user(None, "verifier")
        self.admin = make_user(None, "admin")
        self.observer = make_user(None, "observer")


def new_innovation(org: Org, *, unit: Unit | None = None, year: int | None = None, **fields):
    profile = {
        "name": f"Inovasi Uji {next(_seq)}",
        "bentuk": Bentuk.PELAYANAN_PUBLIK,
        "jenis": Jenis.DIGITAL,
        "inisiator": Inisiator.ASN,
        "main_urusan": Urusan.objects.get(code="kesehatan"),
        **fields,
    }
    return workflow_services.create_innovation(
        user=org.operator, unit=unit or org.unit, year=year or org.year, profile=profile
    ).innovation


def act(user, innovation: Innovation, action: str, comment: str = "") -> Innovation:
    return workflow_services.perform_action(
        user=user, innovation_id=innovation.pk, action=action, comment=comment
    ).innovation


# 6 sections x 55 words: every section over the yearly minimum (30), 330 over 300 in all.
SECTION_TEXT = " ".join(["kata"] * 55)


def complete_profile(year: int) -> dict:
    """A profile that passes the desk check of `year` (the seeded SubmissionRules)."""
    return {
        **dict.fromkeys(RANCANG_BANGUN_SECTIONS, SECTION_TEXT),
        "tujuan": "Mempercepat layanan.",
        "manfaat": "Warga terlayani lebih cepat.",
        "hasil": "Waktu layanan turun dari 5 hari menjadi 1 hari.",
        "trial_date": dt.date(year - 1, 3, 1),
        "implementation_date": dt.date(year - 1, 9, 1),
        "maturity": Maturity.PENERAPAN,
        "latitude": Decimal("-0.420000"),  # Tenggarong
        "longitude": Decimal("116.990000"),
        "priorities": list(NationalPriority.objects.filter(year=year)[:1]),
    }


def fill_packaging(org: Org, innovation: Innovation) -> None:
    workflow_services.update_innovation(
        user=org.operator, innovation_id=innovation.pk, changes=complete_profile(innovation.year)
    )
    for indicator in Indicator.objects.filter(year=innovation.year, mandatory=True):
        workflow_services.add_evidence(
            user=org.operator,
            innovation_id=innovation.pk,
            indicator_id=indicator.pk,
            parameter=2,
            upload=pdf(),
        )


def log_session(org: Org, innovation: Innovation) -> None:
    workflow_services.log_session(
        user=org.mentor,
        innovation_id=innovation.pk,
        date=dt.date(org.year, 3, 1),
        mode="tatap_muka",
        topic="Menyusun rancang bangun",
        follow_ups=[
            workflow_services.FollowUpInput(
                description="Lengkapi SK tim", due_date=dt.date(org.year, 3, 15)
            )
        ],
    )


def mark_all_evidence(org: Org, innovation: Innovation, valid: bool = True) -> None:
    for item in EvidenceItem.objects.filter(innovation=innovation):
        workflow_services.review_evidence(
            user=org.verifier, evidence_id=item.pk, valid=valid, note="" if valid else "Buram"
        )


def fill_report(org: Org, innovation: Innovation) -> None:
    workflow_services.update_innovation(
        user=org.operator,
        innovation_id=innovation.pk,
        changes={
            "report_results": "Layanan berjalan di 20 kecamatan.",
            "report_beneficiaries": 1200,
            "report_national_ref": "IID-2026-0001",
        },
    )


def advance(org: Org, innovation: Innovation, to_stage: str) -> Innovation:
    """Drive a case along the happy path until it reaches `to_stage`."""
    steps = [
        ("proposal", lambda i: act(org.operator, i, "submit")),
        ("proposal_gate", lambda i: act(org.head, i, "approve")),
        ("mentoring", lambda i: (log_session(org, i), act(org.mentor, i, "complete"))[1]),
        ("packaging", lambda i: (fill_packaging(org, i), act(org.operator, i, "submit"))[1]),
        ("packaging_gate", lambda i: act(org.head, i, "approve")),
        ("verification", lambda i: (mark_all_evidence(org, i), act(org.verifier, i, "accept"))[1]),
        ("reporting", lambda i: (fill_report(org, i), act(org.operator, i, "submit"))[1]),
        ("report_gate", lambda i: act(org.head, i, "approve")),
        ("close", lambda i: act(org.admin, i, "close")),
    ]
    for stage, step in steps:
        if innovation.stage == to_stage:
            return innovation
        assert innovation.stage == stage, (innovation.stage, stage)
        innovation = step(innovation)
    assert innovation.stage == to_stage
    return innovation
