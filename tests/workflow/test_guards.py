import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ActionConflict, GuardFailed, UnknownAction
from mentoring.models import EvidenceItem, Indicator, Innovation, Maturity, MentoringSession, Stage
from tests.factories import act, advance, fill_packaging, log_session, new_innovation, pdf
from workflow import services as workflow_services
from workflow.models import CaseEvent


def _events(innovation):
    return CaseEvent.objects.filter(innovation=innovation).count()


@pytest.mark.django_db
def test_gate_return_without_comment_is_refused_and_writes_nothing(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    before = _events(innovation)
    with pytest.raises(GuardFailed) as exc:
        act(org.head, innovation, "return", "   ")
    assert "comment" in exc.value.fields
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PROPOSAL_GATE
    assert _events(innovation) == before


@pytest.mark.django_db
def test_unknown_action_names_the_field(org):
    innovation = new_innovation(org)
    with pytest.raises(UnknownAction) as exc:
        act(org.operator, innovation, "publish")
    assert "action" in exc.value.fields


@pytest.mark.django_db
def test_action_in_wrong_stage_conflicts(org):
    innovation = new_innovation(org)
    with pytest.raises(ActionConflict):
        act(org.head, innovation, "approve")


@pytest.mark.django_db
def test_complete_needs_a_logged_session(org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    with pytest.raises(GuardFailed) as exc:
        act(org.mentor, innovation, "complete")
    assert "sessions" in exc.value.fields
    log_session(org, innovation)
    assert act(org.mentor, innovation, "complete").stage == Stage.PACKAGING


@pytest.mark.django_db
def test_packaging_submit_needs_300_words_and_mandatory_evidence(org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    workflow_services.update_innovation(
        user=org.operator,
        innovation_id=innovation.pk,
        changes={"dasar_hukum": "terlalu pendek " * 100, "tujuan": "x"},
    )
    before = _events(innovation)
    with pytest.raises(GuardFailed) as exc:
        act(org.operator, innovation, "submit")
    assert set(exc.value.fields) >= {
        "rancang_bangun",
        "permasalahan",
        "manfaat",
        "hasil",
        "evidence",
    }
    assert "200 dari minimal 300 kata" in exc.value.fields["rancang_bangun"][0]
    assert _events(innovation) == before
    fill_packaging(org, innovation)
    assert act(org.operator, innovation, "submit").stage == Stage.PACKAGING_GATE


@pytest.mark.django_db
def test_verification_accept_needs_every_mandatory_item_valid_and_return_lists_invalid(org):
    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    items = list(EvidenceItem.objects.filter(innovation=innovation))
    with pytest.raises(GuardFailed):
        act(org.verifier, innovation, "accept")
    with pytest.raises(GuardFailed):  # nothing marked invalid yet
        act(org.verifier, innovation, "return")
    for item in items[1:]:
        workflow_services.review_evidence(user=org.verifier, evidence_id=item.pk, valid=True)
    with pytest.raises(GuardFailed) as exc:  # an invalid item needs a note
        workflow_services.review_evidence(user=org.verifier, evidence_id=items[0].pk, valid=False)
    assert "note" in exc.value.fields
    workflow_services.review_evidence(
        user=org.verifier, evidence_id=items[0].pk, valid=False, note="SK tidak ditandatangani"
    )
    with pytest.raises(GuardFailed):
        act(org.verifier, innovation, "accept")
    innovation = act(org.verifier, innovation, "return")
    assert innovation.stage == Stage.PACKAGING
    event = CaseEvent.objects.filter(innovation=innovation).last()
    assert [row["id"] for row in event.data["invalid_evidence"]] == [items[0].pk]
    assert event.data["invalid_evidence"][0]["note"] == "SK tidak ditandatangani"


@pytest.mark.django_db
def test_mentor_of_the_case_cannot_verify_it(org):
    from django.contrib.auth.models import Group

    innovation = advance(org, new_innovation(org), Stage.VERIFICATION)
    org.mentor.groups.add(Group.objects.get(name="verifier"))
    del org.mentor._pandu_actor  # roles changed
    from core.errors import ActionForbidden

    with pytest.raises(ActionForbidden):
        act(org.mentor, innovation, "accept")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload, name",
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "program.pdf"),  # a Windows executable renamed .pdf
        (b"just some text pretending", "laporan.pdf"),
    ],
)
def test_upload_checked_by_content_writes_nothing(org, payload, name):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    indicator = Indicator.objects.get(year=innovation.year, number=16)
    with pytest.raises(GuardFailed) as exc:
        workflow_services.add_evidence(
            user=org.operator,
            innovation_id=innovation.pk,
            indicator_id=indicator.pk,
            parameter=1,
            upload=SimpleUploadedFile(name, payload, content_type="application/pdf"),
        )
    assert "file" in exc.value.fields
    assert not EvidenceItem.objects.exists()


@pytest.mark.django_db
def test_oversized_upload_is_refused(org, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 1024
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    with pytest.raises(GuardFailed) as exc:
        workflow_services.add_evidence(
            user=org.operator,
            innovation_id=innovation.pk,
            indicator_id=Indicator.objects.get(year=innovation.year, number=16).pk,
            parameter=1,
            upload=big,
        )
    assert "melebihi batas" in exc.value.fields["file"][0]
    assert not EvidenceItem.objects.exists()
    stored = list(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else []
    assert not [path for path in stored if path.is_file()]


@pytest.mark.django_db
def test_valid_pdf_is_stored_with_sniffed_type(org):
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    item = workflow_services.add_evidence(
        user=org.operator,
        innovation_id=innovation.pk,
        indicator_id=Indicator.objects.get(year=innovation.year, number=16).pk,
        parameter=3,
        upload=pdf("perbup.pdf"),
    )
    assert item.content_type == "application/pdf"
    assert item.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_maturity_machine_guards(org):
    innovation = new_innovation(org)
    with pytest.raises(GuardFailed) as exc:
        workflow_services.update_innovation(
            user=org.operator, innovation_id=innovation.pk, changes={"maturity": Maturity.UJI_COBA}
        )
    assert "trial_date" in exc.value.fields
    with pytest.raises(GuardFailed) as exc:
        workflow_services.update_innovation(
            user=org.operator,
            innovation_id=innovation.pk,
            changes={
                "trial_date": dt.date(2026, 5, 1),
                "implementation_date": dt.date(2026, 4, 1),
                "maturity": Maturity.PENERAPAN,
            },
        )
    assert "implementation_date" in exc.value.fields
    assert Innovation.objects.get(pk=innovation.pk).maturity == Maturity.INISIATIF
    updated = workflow_services.update_innovation(
        user=org.operator,
        innovation_id=innovation.pk,
        changes={
            "trial_date": dt.date(2026, 2, 1),
            "implementation_date": dt.date(2026, 4, 1),
            "maturity": Maturity.PENERAPAN,
        },
    )
    assert updated.maturity == Maturity.PENERAPAN
    with pytest.raises(GuardFailed):
        workflow_services.update_innovation(
            user=org.operator, innovation_id=innovation.pk, changes={"maturity": Maturity.INISIATIF}
        )


@pytest.mark.django_db
def test_fields_outside_the_stage_are_refused(org):
    innovation = advance(org, new_innovation(org), Stage.MENTORING)
    from core.errors import ActionForbidden

    with pytest.raises(ActionForbidden):  # the case is with the mentor now
        workflow_services.update_innovation(
            user=org.operator, innovation_id=innovation.pk, changes={"name": "Baru"}
        )
    new = advance(org, new_innovation(org), Stage.PROPOSAL)
    with pytest.raises(GuardFailed) as exc:
        workflow_services.update_innovation(
            user=org.operator, innovation_id=new.pk, changes={"report_results": "x"}
        )
    assert "report_results" in exc.value.fields
    assert not MentoringSession.objects.filter(innovation=new).exists()
