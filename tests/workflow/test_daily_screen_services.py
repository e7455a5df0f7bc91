"""The services behind the daily screens (issue 12): marking the rest of the evidence valid,
replacing and removing an evidence file, the related-urusan rule, the proposer told of a head's
decision, and the head's "Tugas saya" without the operator's work."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from core.errors import ActionForbidden, GuardFailed
from mentoring.models import EvidenceItem, Indicator, Innovation, Membership, Stage, Urusan
from notifications.models import Kind, Notification
from tests.factories import (
    Org,
    act,
    advance,
    fill_packaging,
    make_user,
    new_innovation,
    pdf,
)
from workflow import selectors, services
from workflow.lifecycle import EventKind
from workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def in_verification(org: Org) -> Innovation:
    return advance(org, new_innovation(org), Stage.VERIFICATION)


def in_packaging(org: Org) -> tuple[Innovation, EvidenceItem]:
    innovation = advance(org, new_innovation(org), Stage.PACKAGING)
    indicator = Indicator.objects.filter(year=innovation.year).first()
    item = services.add_evidence(
        user=org.operator,
        innovation_id=innovation.pk,
        indicator_id=indicator.pk,
        parameter=2,
        upload=pdf("lama.pdf"),
    )
    return innovation, item


# --- mark the rest valid ------------------------------------------------------------------


def test_mark_rest_valid_marks_only_unreviewed_items_in_one_call(org):
    innovation = in_verification(org)
    items = list(innovation.evidence.order_by("pk"))
    assert len(items) >= 3
    services.review_evidence(user=org.verifier, evidence_id=items[0].pk, valid=False, note="Buram")
    services.review_evidence(
        user=org.verifier, evidence_id=items[1].pk, valid=True, verified_parameter=1
    )
    marked = services.mark_rest_valid(user=org.verifier, innovation_id=innovation.pk)
    assert marked == len(items) - 2
    rows = {item.pk: item for item in EvidenceItem.objects.filter(innovation=innovation)}
    # Earlier results are kept.
    assert rows[items[0].pk].review == EvidenceItem.Review.INVALID
    assert rows[items[1].pk].verified_parameter == 1
    for item in items[2:]:
        row = rows[item.pk]
        assert row.review == EvidenceItem.Review.VALID
        assert row.verified_parameter == row.parameter
        assert row.reviewed_by == org.verifier and row.reviewed_at is not None
    assert services.mark_rest_valid(user=org.verifier, innovation_id=innovation.pk) == 0


def test_mark_rest_valid_is_for_the_cases_verifier_only(org):
    innovation = in_verification(org)
    for user in (org.operator, org.head, org.mentor):
        with pytest.raises(ActionForbidden):
            services.mark_rest_valid(user=user, innovation_id=innovation.pk)
    assert not EvidenceItem.objects.filter(innovation=innovation).exclude(review="pending")


def test_mark_rest_valid_is_one_transaction(org, monkeypatch):
    innovation = in_verification(org)
    calls = []
    real = services.EvidenceItem.objects.filter

    def counting(*args, **kwargs):
        calls.append(transaction.get_connection().in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(services.EvidenceItem.objects, "filter", counting)
    services.mark_rest_valid(user=org.verifier, innovation_id=innovation.pk)
    assert calls and all(calls)


# --- replace / remove evidence --------------------------------------------------------------


def test_replace_evidence_swaps_the_file_keeps_history_and_deletes_the_old_after_commit(
    org, django_capture_on_commit_callbacks
):
    innovation, item = in_packaging(org)
    old_name = item.file.name
    assert default_storage.exists(old_name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = services.replace_evidence(
            user=org.operator, evidence_id=item.pk, upload=pdf("baru.pdf")
        )
    # Not before the commit: a rollback would leave the row naming the old file.
    assert default_storage.exists(old_name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(old_name)
    assert default_storage.exists(new.file.name) and new.file.name != old_name
    assert new.original_name == "baru.pdf" and new.review == EvidenceItem.Review.PENDING
    event = CaseEvent.objects.filter(innovation=innovation).latest("pk")
    assert event.action == EventKind.EVIDENCE_REPLACED and event.actor == org.operator
    assert event.data["old_name"] == "lama.pdf" and event.data["new_name"] == "baru.pdf"
    assert event.from_stage == event.to_stage == Stage.PACKAGING


def test_replace_evidence_checks_the_new_file_and_keeps_the_old_one_on_failure(org):
    _innovation, item = in_packaging(org)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(GuardFailed):
        services.replace_evidence(user=org.operator, evidence_id=item.pk, upload=bad)
    item.refresh_from_db()
    assert item.original_name == "lama.pdf" and default_storage.exists(item.file.name)


def test_remove_evidence_deletes_row_and_file_after_commit_and_records_it(
    org, django_capture_on_commit_callbacks
):
    innovation, item = in_packaging(org)
    name = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(user=org.operator, evidence_id=item.pk)
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not default_storage.exists(name)
    event = CaseEvent.objects.filter(innovation=innovation).latest("pk")
    assert event.action == EventKind.EVIDENCE_REMOVED
    assert event.data["old_name"] == "lama.pdf" and event.data["evidence"] == item.pk


def test_evidence_changes_only_by_the_unit_in_packaging(org):
    innovation, item = in_packaging(org)
    stranger = Org()
    for user in (org.mentor, org.verifier, org.admin, stranger.operator):
        with pytest.raises(ActionForbidden):
            services.replace_evidence(user=user, evidence_id=item.pk, upload=pdf())
        with pytest.raises(ActionForbidden):
            services.remove_evidence(user=user, evidence_id=item.pk)
    fill_packaging(org, innovation)
    act(org.operator, innovation, "submit")  # the package goes to the head: no more changes
    with pytest.raises(ActionForbidden):
        services.remove_evidence(user=org.head, evidence_id=item.pk)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


# --- related urusan ---------------------------------------------------------------------------


def test_main_urusan_is_refused_among_the_related(org):
    main = Urusan.objects.get(code="kesehatan")
    with pytest.raises(GuardFailed) as caught:
        new_innovation(org, main_urusan=main, related_urusan=[main])
    assert "related_urusan" in caught.value.fields
    innovation = new_innovation(org, main_urusan=main)
    with pytest.raises(GuardFailed) as caught:
        services.update_innovation(
            user=org.operator, innovation_id=innovation.pk, changes={"related_urusan": [main]}
        )
    assert "related_urusan" in caught.value.fields


def test_the_forms_refuse_the_main_urusan_and_offer_checkboxes(org):
    from portal.forms import InnovationCreateForm

    main, other = Urusan.objects.get(code="kesehatan"), Urusan.objects.get(code="sosial")
    data = {
        "unit": org.unit.pk,
        "year": 2026,
        "name": "Uji",
        "bentuk": "pelayanan_publik",
        "jenis": "digital",
        "inisiator": "asn",
        "main_urusan": main.pk,
    }
    form = InnovationCreateForm(
        {**data, "related_urusan": [main.pk, other.pk]}, units=[org.unit.pk]
    )
    assert not form.is_valid() and "related_urusan" in form.errors
    form = InnovationCreateForm({**data, "related_urusan": [other.pk]}, units=[org.unit.pk])
    assert form.is_valid(), form.errors
    html = str(form["related_urusan"])
    assert 'type="checkbox"' in html and 'data-exclude-from="id_main_urusan"' in html


# --- the proposer hears the head's decision ---------------------------------------------------


def test_head_approval_and_return_reach_the_creator_and_operators(org):
    second_operator = make_user(None, "opd_operator")
    Membership.objects.create(unit=org.unit, user=second_operator, position="operator")
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    act(org.head, innovation, "approve")
    told = Notification.objects.filter(innovation=innovation, kind=Kind.STAGE_ADVANCED)
    assert {org.operator.pk, second_operator.pk} <= set(told.values_list("recipient_id", flat=True))
    assert org.head.pk not in set(told.values_list("recipient_id", flat=True))  # their own act

    returned = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    act(org.head, returned, "return", "Lengkapi tujuan.")
    told = Notification.objects.filter(innovation=returned, kind=Kind.RETURNED)
    assert {org.operator.pk, second_operator.pk} <= set(told.values_list("recipient_id", flat=True))
    assert "Lengkapi tujuan." in told.first().body


def test_creator_who_left_the_operators_still_hears_the_approval(org):
    innovation = advance(org, new_innovation(org), Stage.PROPOSAL_GATE)
    Membership.objects.filter(user=org.operator).delete()
    act(org.head, innovation, "approve")
    assert Notification.objects.filter(
        innovation=innovation, recipient=org.operator, kind=Kind.STAGE_ADVANCED
    ).exists()


# --- the head's Tugas saya ----------------------------------------------------------------------


def test_heads_tasks_leave_out_cases_waiting_for_the_operator(org):
    draft = new_innovation(org, name="Masih Draf")
    gate = advance(org, new_innovation(org, name="Minta Setuju"), Stage.PROPOSAL_GATE)
    names = {case.name for case in selectors.waiting_for(user=org.head).cases}
    assert names == {gate.name}
    # A unit without an operator: its head does the office's own stages too.
    Membership.objects.filter(user=org.operator).delete()
    names = {case.name for case in selectors.waiting_for(user=org.head).cases}
    assert names == {gate.name, draft.name}
