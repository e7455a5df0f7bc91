"""Writes on an innovation that do not move the case: profile edits, sessions, evidence."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import policy
from workflow.errors import ActionConflict, ActionForbidden, GuardFailed

from .models import (
    Attachment,
    EvidenceItem,
    FollowUp,
    Indicator,
    Innovation,
    Maturity,
    MentorAssignment,
    MentoringSession,
    Role,
    Unit,
)
from .uploads import upload_errors

_MATURITY_STEPS = {
    Maturity.UJI_COBA: ["start_trial"],
    Maturity.PENERAPAN: ["start_trial", "start_implementation"],
}
_MATURITY_ORDER = [Maturity.INISIATIF, Maturity.UJI_COBA, Maturity.PENERAPAN]


def _locked(innovation_id: int) -> Innovation:
    return Innovation.objects.select_for_update().get(pk=innovation_id)


def _apply_maturity(innovation: Innovation, target: str) -> None:
    """Walk the maturity machine forward to `target`, enforcing its guards."""
    current = innovation.maturity
    if _MATURITY_ORDER.index(target) < _MATURITY_ORDER.index(current):
        raise GuardFailed(
            _("Tahapan tidak dapat mundur."),
            fields={
                "maturity": [_("Tahapan tidak dapat mundur dari %s.") % Maturity(current).label]
            },
        )
    errors = innovation.maturity_errors(target)
    if errors:
        raise GuardFailed(
            _("Syarat tahapan belum terpenuhi."), fields={k: [v] for k, v in errors.items()}
        )
    for step in _MATURITY_STEPS.get(target, []):
        transition = getattr(innovation, step)
        if transition.can_proceed():
            transition()


@transaction.atomic
def update_innovation(
    *, user: AbstractBaseUser, innovation_id: int, changes: dict[str, Any]
) -> Innovation:
    """Apply validated profile changes; only fields the caller may edit in this stage."""
    innovation = _locked(innovation_id)
    actor = policy.actor_for(user)
    if not policy.can_view(actor, innovation):
        raise ActionForbidden(_("Anda tidak memiliki akses ke inovasi ini."))
    editable = policy.editable_fields(actor, innovation)
    if not editable:
        raise ActionForbidden(_("Anda tidak dapat mengubah inovasi ini pada tahap sekarang."))
    refused = sorted(set(changes) - editable)
    if refused:
        raise GuardFailed(
            _("Sebagian kolom tidak dapat diubah pada tahap ini."),
            fields={name: [_("Kolom ini tidak dapat diubah pada tahap ini.")] for name in refused},
        )
    related = changes.pop("related_urusan", None)
    target_maturity = changes.pop("maturity", None)
    for name, value in changes.items():
        setattr(innovation, name, value)
    if (
        innovation.trial_date
        and innovation.implementation_date
        and innovation.implementation_date < innovation.trial_date
    ):
        raise GuardFailed(
            _("Tanggal tidak konsisten."),
            fields={
                "implementation_date": [_("Waktu penerapan tidak boleh sebelum waktu uji coba.")]
            },
        )
    if target_maturity and target_maturity != innovation.maturity:
        _apply_maturity(innovation, target_maturity)
    innovation.save()
    if related is not None:
        innovation.related_urusan.set(related)
    return innovation


def _stored_file_fields(upload: UploadedFile, user: AbstractBaseUser, field: str) -> dict:
    content_type, errors = upload_errors(upload)
    if errors:
        raise GuardFailed(errors[0], fields={field: errors})
    return {
        "file": upload,
        "original_name": upload.name[:255],
        "content_type": content_type,
        "size": upload.size,
        "uploaded_by": user,
    }


@transaction.atomic
def add_evidence(
    *,
    user: AbstractBaseUser,
    innovation_id: int,
    indicator_id: int,
    parameter: int,
    upload: UploadedFile | None,
    description: str = "",
) -> EvidenceItem:
    innovation = _locked(innovation_id)
    if not policy.can_upload_evidence(policy.actor_for(user), innovation):
        raise ActionForbidden(_("Data dukung hanya dapat diunggah oleh OPD pada tahap pengemasan."))
    indicator = Indicator.objects.filter(pk=indicator_id, year=innovation.year).first()
    errors: dict[str, list[str]] = {}
    if indicator is None:
        errors["indicator"] = [_("Indikator tidak ada untuk tahun %d.") % innovation.year]
    if parameter not in (1, 2, 3):
        errors["parameter"] = [_("Parameter harus 1, 2 atau 3.")]
    if errors:
        raise GuardFailed(_("Data dukung tidak valid."), fields=errors)
    return EvidenceItem.objects.create(
        innovation=innovation,
        indicator=indicator,
        parameter=parameter,
        description=description,
        **_stored_file_fields(upload, user, "file"),
    )


@transaction.atomic
def add_attachment(
    *, user: AbstractBaseUser, innovation_id: int, kind: str, upload: UploadedFile | None
) -> Attachment:
    innovation = _locked(innovation_id)
    if not policy.editable_fields(policy.actor_for(user), innovation):
        raise ActionForbidden(
            _("Lampiran hanya dapat ditambahkan oleh OPD saat inovasi di tangannya.")
        )
    if kind not in Attachment.Kind.values:
        raise GuardFailed(
            _("Jenis lampiran tidak dikenal."), fields={"kind": [_("Pilih jenis lampiran.")]}
        )
    return Attachment.objects.create(
        innovation=innovation, kind=kind, **_stored_file_fields(upload, user, "file")
    )


@transaction.atomic
def review_evidence(
    *,
    user: AbstractBaseUser,
    evidence_id: int,
    valid: bool,
    note: str = "",
    verified_parameter: int | None = None,
) -> EvidenceItem:
    """Mark an evidence item valid or invalid.

    A valid item's `verified_parameter` confirms the chosen parameter (the default) or lowers it;
    it may never exceed the parameter the OPD chose. An invalid item has none.
    """
    item = EvidenceItem.objects.select_related("indicator").get(pk=evidence_id)
    innovation = _locked(item.innovation_id)
    if not policy.can_review_evidence(policy.actor_for(user), innovation):
        raise ActionForbidden(
            _("Hanya verifikator yang tidak mendampingi inovasi ini dapat memeriksa data dukung.")
        )
    if not valid and not note.strip():
        raise GuardFailed(
            _("Catatan wajib diisi."),
            fields={"note": [_("Jelaskan mengapa data dukung tidak valid.")]},
        )
    if (
        valid
        and verified_parameter is not None
        and verified_parameter not in range(1, item.parameter + 1)
    ):
        raise GuardFailed(
            _("Parameter terverifikasi tidak valid."),
            fields={
                "verified_parameter": [
                    _("Parameter terverifikasi harus antara 1 dan %d (parameter yang dipilih OPD).")
                    % item.parameter
                ]
            },
        )
    item.review = EvidenceItem.Review.VALID if valid else EvidenceItem.Review.INVALID
    item.verified_parameter = (verified_parameter or item.parameter) if valid else None
    item.review_note = note.strip()
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.save(
        update_fields=[
            "review",
            "verified_parameter",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]
    )
    return item


@transaction.atomic
def log_session(
    *,
    user: AbstractBaseUser,
    innovation_id: int,
    date: date,
    mode: str,
    topic: str,
    notes: str = "",
    follow_ups: list[dict] | None = None,
) -> MentoringSession:
    """Record a mentoring session with its follow-up items (each: description, due_date)."""
    innovation = _locked(innovation_id)
    actor = policy.actor_for(user)
    if not actor.mentors(innovation):
        raise ActionForbidden(_("Hanya pendamping unit ini yang dapat mencatat sesi."))
    if not policy.can_log_session(actor, innovation):
        raise ActionConflict(_("Sesi hanya dapat dicatat pada tahap pendampingan atau pengemasan."))
    session = MentoringSession.objects.create(
        innovation=innovation, mentor=user, date=date, mode=mode, topic=topic, notes=notes
    )
    FollowUp.objects.bulk_create(
        FollowUp(session=session, description=item["description"], due_date=item["due_date"])
        for item in follow_ups or []
    )
    return session


@dataclass(frozen=True)
class ReassignResult:
    """What reassign_lead_mentor changed: units that got the new lead, and former leads kept on
    as co-mentors (unit id -> username)."""

    changed: list[int]
    unchanged: list[int]
    demoted: dict[int, str]


@transaction.atomic
def reassign_lead_mentor(
    *, user: AbstractBaseUser, unit_ids: list[int], year: int, mentor_id: int
) -> ReassignResult:
    """Make `mentor_id` the lead mentor of every unit in `unit_ids` for `year`: all or nothing.

    The former lead is demoted to co-mentor, not removed: they keep seeing the cases they
    mentored and the session history stays with a current mentor of the unit; an admin removes
    a co-mentor separately when that is wanted. A unit where the mentor already leads is left
    as it is; one where they are a co-mentor is promoted.
    """
    if not policy.actor_for(user).is_admin:
        raise ActionForbidden(_("Hanya admin BRIDA yang dapat mengganti pendamping."))
    errors: dict[str, list[str]] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Tahun program harus antara 2000 dan 2100.")]
    try:
        wanted = sorted({int(unit_id) for unit_id in unit_ids or []})
    except (TypeError, ValueError):
        wanted = []
        errors["unit_ids"] = [_("Pilihan unit tidak valid.")]
    if not wanted and "unit_ids" not in errors:
        errors["unit_ids"] = [_("Pilih sedikitnya satu unit.")]
    units = list(Unit.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    if len(units) != len(wanted) and "unit_ids" not in errors:
        errors["unit_ids"] = [_("Sebagian unit yang dipilih tidak ditemukan.")]
    mentor = (
        User.objects.filter(pk=mentor_id, is_active=True, groups__name=Role.MENTOR).first()
        if str(mentor_id).isdigit()
        else None
    )
    if mentor is None:
        errors["mentor_id"] = [_("Pilih pengguna aktif yang berperan sebagai pendamping.")]
    if errors:
        raise GuardFailed(_("Penggantian pendamping tidak dapat disimpan."), fields=errors)

    assignments = list(
        MentorAssignment.objects.select_for_update()
        .filter(unit_id__in=wanted, year=year)
        .select_related("mentor")
    )
    current_lead = {a.unit_id: a for a in assignments if a.is_lead}
    existing = {a.unit_id: a for a in assignments if a.mentor_id == mentor.pk}
    changed, unchanged, demoted = [], [], {}
    for unit_id in wanted:
        lead = current_lead.get(unit_id)
        if lead is not None and lead.mentor_id == mentor.pk:
            unchanged.append(unit_id)
            continue
        if lead is not None:
            # Demote first: the one-lead-per-unit-and-year constraint holds at every statement.
            lead.is_lead = False
            lead.save(update_fields=["is_lead"])
            demoted[unit_id] = lead.mentor.username
        if (mine := existing.get(unit_id)) is not None:
            mine.is_lead = True
            mine.save(update_fields=["is_lead"])
        else:
            MentorAssignment.objects.create(unit_id=unit_id, mentor=mentor, year=year, is_lead=True)
        changed.append(unit_id)
    return ReassignResult(changed=changed, unchanged=unchanged, demoted=demoted)
