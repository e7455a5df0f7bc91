"""Every write on a case, each one transaction: opening and moving it (the only code that moves
a case), and the edits the lifecycle allows in its stages (profile, attachments, evidence and
its review, mentoring sessions)."""

import datetime as dt
import hashlib
import json
import logging
import operator
import random
import time
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from core.errors import ActionConflict, ActionForbidden, GuardFailed, UnknownAction
from mentoring.models import (
    LINK_MAX_LENGTH,
    RANCANG_BANGUN_SECTIONS,
    Attachment,
    EvidenceItem,
    FollowUp,
    Indicator,
    Innovation,
    MentoringSession,
    NationalPriority,
    SessionAttendee,
    SessionFile,
    Stage,
    SubmissionRules,
    Unit,
)
from mentoring.people import Actor, actor_for
from mentoring.profile import ProfileChanges, apply_profile
from mentoring.uploads import delete_after_commit, stored_file_fields

from . import deadlines, events, lifecycle, policy
from .flows import InnovationFlow
from .lifecycle import Action, EventKind
from .models import ActionReceipt, CaseEvent, InnovationProcess, SlaPolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionResult:
    innovation: Innovation
    event: CaseEvent
    # True when the idempotency key had already been used for this action: nothing moved now.
    replayed: bool = False


# Field errors, as services raise them: {field: [messages]}.
Errors = dict[str, list[str]]

# An idempotency key: what clients put in `Idempotency-Key` (a UUID, usually).
KEY_MAX_LENGTH = 255


# --- opening a case ---------------------------------------------------------------------------

REQUIRED_ON_CREATE = ("name", "bentuk", "jenis", "inisiator", "main_urusan")


@transaction.atomic
def create_innovation(
    *, user: User, unit: Unit, year: int, profile: ProfileChanges
) -> ActionResult:
    """Propose a new innovation of `unit` for `year`: its case opens in the proposal stage."""
    if not actor_for(user).works_in(unit.pk):
        raise ActionForbidden(
            _("Hanya kepala atau operator unit ini yang dapat mengusulkan inovasi.")
        )
    errors = {
        name: [_("Kolom ini diisi pada tahap berikutnya.")]
        for name in sorted(set(profile) - policy.EDITABLE_BY_STAGE[Stage.PROPOSAL])
    }
    errors.update(
        {
            name: [_("Kolom ini wajib diisi.")]
            for name in REQUIRED_ON_CREATE
            if not profile.get(name)
        }
    )
    if errors:
        raise GuardFailed(_("Usulan inovasi belum dapat disimpan."), fields=errors)
    stage = Stage.PROPOSAL
    innovation = Innovation(
        unit=unit, year=year, created_by=user, stage=stage, awaiting=lifecycle.holder_of(stage)
    )
    links = apply_profile(innovation, profile)
    innovation.save()
    links.save(innovation)
    InnovationFlow.start.run(innovation=innovation)
    event = events.created(innovation=innovation, actor=user)
    deadlines.enter_stage(innovation=innovation, at=event.at, first=True)
    return ActionResult(innovation=innovation, event=event)


# --- continuing an innovation into a later year ------------------------------------------------

# What a continuation carries over from the closed case: the profile, not the year's own
# records (report, evidence, sessions); the national priorities are the new year's of the same
# kind and number (each year has its own list).
CARRIED_FIELDS = (
    "name",
    "bentuk",
    "jenis",
    "inisiator",
    "inisiator_name",
    "main_urusan_id",
    "trial_date",
    "implementation_date",
    *RANCANG_BANGUN_SECTIONS,
    "tujuan",
    "manfaat",
    "hasil",
    "budget",
    "latitude",
    "longitude",
    "maturity",
)


def continuation_errors(*, previous: Innovation, year: int, perkembangan: str) -> Errors:
    """Why `previous` cannot be continued into `year` (empty when it can), per input field.

    Only a closed case (stage done: reported and closed by BRIDA) continues, once, into a later
    year that has its rules (SubmissionRules, with the report limit) and its SLA policy; the
    new case is its (reported_before + 2)-th report, which the year's limit must allow."""
    errors: Errors = {}
    if previous.stage != Stage.DONE:
        errors["stage"] = [
            _(
                "Hanya inovasi yang sudah selesai (dilaporkan dan ditutup) yang dapat "
                "dilanjutkan; inovasi ini masih di tahap %(stage)s."
            )
            % {"stage": previous.get_stage_display()}
        ]
    if not perkembangan.strip():
        errors["perkembangan"] = [
            _("Perkembangan inovasi wajib diisi: apa yang berubah sejak laporan tahun %(year)d.")
            % {"year": previous.year}
        ]
    year_errors: list[str] = []
    later = previous.continued_by.order_by("pk").values_list("pk", "year").first()
    if later is not None:
        year_errors.append(
            _("Inovasi ini sudah dilanjutkan ke tahun %(year)d (kasus #%(id)d).")
            % {"year": later[1], "id": later[0]}
        )
    elif year <= previous.year:
        year_errors.append(
            _("Tahun lanjutan harus setelah tahun %(year)d.") % {"year": previous.year}
        )
    else:
        rules = SubmissionRules.objects.filter(year=year).first()
        if rules is None:
            year_errors.append(
                _("Aturan pengajuan IID tahun %(year)d belum ada; admin BRIDA perlu mengisinya.")
                % {"year": year}
            )
        elif rules.max_reports is not None and previous.reported_before + 2 > rules.max_reports:
            year_errors.append(
                _(
                    "Inovasi ini sudah dilaporkan %(times)d kali; aturan tahun %(year)d "
                    "membolehkan paling banyak %(limit)d kali (batas berapa kali dilaporkan)."
                )
                % {
                    "times": previous.reported_before + 1,
                    "year": year,
                    "limit": rules.max_reports,
                }
            )
        if not SlaPolicy.objects.filter(year=year).exists():
            year_errors.append(
                _("Tenggat tahapan (SLA) tahun %(year)d belum ada; admin BRIDA perlu mengisinya.")
                % {"year": year}
            )
    if year_errors:
        errors["year"] = year_errors
    return errors


@transaction.atomic
def continue_innovation(
    *, user: User, innovation_id: int, year: int, perkembangan: str
) -> ActionResult:
    """Open the `year` case of the innovation whose closed case is `innovation_id`: the profile
    carried over, the "perkembangan inovasi" recorded, one more report counted, both cases'
    histories naming each other. The new case starts in the proposal stage like any other."""
    previous = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=innovation_id)
    )
    actor = actor_for(user)
    if not policy.can_view(actor, previous):
        raise ActionForbidden(_("Anda tidak memiliki akses ke inovasi ini."))
    if not actor.works_in(previous.unit_id):
        raise ActionForbidden(
            _("Hanya kepala atau operator unit ini yang dapat melanjutkan inovasi.")
        )
    errors = continuation_errors(previous=previous, year=year, perkembangan=perkembangan)
    if errors:
        raise GuardFailed(_("Inovasi belum dapat dilanjutkan."), fields=errors)
    stage = Stage.PROPOSAL
    innovation = Innovation(
        unit=previous.unit,
        year=year,
        created_by=user,
        stage=stage,
        awaiting=lifecycle.holder_of(stage),
        continues=previous,
        perkembangan=perkembangan.strip(),
        reported_before=previous.reported_before + 1,
        **{name: getattr(previous, name) for name in CARRIED_FIELDS},
    )
    try:
        with transaction.atomic():
            innovation.save()
    except IntegrityError as exc:  # a concurrent continuation of the same case won
        raise GuardFailed(
            _("Inovasi belum dapat dilanjutkan."),
            fields={"year": [_("Inovasi ini sudah dilanjutkan.")]},
        ) from exc
    innovation.related_urusan.set(previous.related_urusan.all())
    kinds = previous.priorities.values_list("kind", "number")
    if same := [Q(kind=kind, number=number) for kind, number in kinds]:
        innovation.priorities.set(
            NationalPriority.objects.filter(year=year).filter(reduce(operator.or_, same))
        )
    InnovationFlow.start.run(innovation=innovation)
    _previous_entry, event = events.continued(previous=previous, innovation=innovation, actor=user)
    deadlines.enter_stage(innovation=innovation, at=event.at, first=True)
    return ActionResult(innovation=innovation, event=event)


# --- moving a case ----------------------------------------------------------------------------


def _checked_transition(
    actor: Actor, innovation: Innovation, action: Action, comment: str
) -> lifecycle.Transition:
    """The table's record for the move, once role, stage, comment and guard allow it."""
    if not policy.can_view(actor, innovation):
        raise ActionForbidden(_("Anda tidak memiliki akses ke inovasi ini."))
    move = lifecycle.transition(innovation.stage, action)
    if move is None:
        raise ActionConflict(
            _("Aksi '%(action)s' tidak dapat dilakukan pada tahap %(stage)s.")
            % {"action": action.label, "stage": innovation.get_stage_display()}
        )
    if not policy.may_hold(actor, innovation, move.holder):
        raise ActionForbidden(
            _("Peran atau unit Anda tidak berwenang melakukan aksi ini (menunggu: %(holder)s).")
            % {"holder": move.holder.label}
        )
    if move.comment_required and not comment.strip():
        raise GuardFailed(
            _("Komentar wajib diisi."),
            fields={"comment": [_("Komentar wajib diisi untuk aksi ini.")]},
        )
    errors = move.guard(innovation) if move.guard else {}
    if errors:
        raise GuardFailed(_("Inovasi belum memenuhi syarat untuk aksi ini."), fields=errors)
    return move


def _complete_task(
    process: InnovationProcess, move: lifecycle.Transition, user: User, comment: str
) -> None:
    """Finish the stage's open task with the decision; viewflow then opens the next one."""
    node = getattr(InnovationFlow, move.stage)
    task = (
        InnovationFlow.task_class.objects.filter(
            process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
        .order_by("-id")
        .first()
    )
    if task is None:
        raise ActionConflict(_("Tugas untuk tahap ini tidak ditemukan; muat ulang halaman."))
    # Share our process object (carrying the locked innovation) with every activation.
    task.process = process
    activation = node.activation_class(task)
    # Whoever the policy allowed to act takes the task (an operator for a colleague, say).
    task.owner = user
    task.status = STATUS.ASSIGNED
    activation.start(None)
    task.data = {"action": move.action.value, "comment": comment}
    process.decision = move.action  # read by the Decision node after a gate
    activation.execute()


# PostgreSQL errors after which the whole action may simply run again: it was rolled back.
# 40P01 deadlock detected, 55P03 lock not available (a lock_timeout set by the deployment).
RETRY_SQLSTATES = {"40P01", "55P03"}
ATTEMPTS = 5


def _locked_case(innovation_id: int) -> InnovationProcess:
    """The case's process with its innovation, both rows locked, in one statement.

    PostgreSQL: FOR UPDATE on the process row (the row viewflow's own lock takes) and the
    innovation row, waiting for a concurrent action or edit to commit; the loser then finds
    the case moved and gets ActionConflict. SQLite ignores FOR UPDATE: its IMMEDIATE
    transactions already take the database's write lock when they begin.
    """
    try:
        return (
            InnovationProcess.objects.select_related("innovation")
            .select_for_update(of=("self", "innovation"))
            .get(innovation_id=innovation_id)
        )
    except InnovationProcess.DoesNotExist:
        raise Innovation.DoesNotExist from None


def _moved_meanwhile() -> ActionConflict:
    return ActionConflict(_("Kasus ini baru saja diproses orang lain; muat ulang halaman."))


def _retriable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRY_SQLSTATES


@dataclass(frozen=True)
class Precondition:
    """What the caller saw when they chose the action: the stage it was in (a stale page or a
    retry after someone else moved the case gets 409), and an idempotency key."""

    expected_stage: str = ""
    key: str = ""

    def fingerprint(self, innovation_id: int, action: Action, comment: str) -> str:
        text = json.dumps([innovation_id, action.value, comment, self.expected_stage])
        return hashlib.sha256(text.encode()).hexdigest()


def perform_action(
    *,
    user: User,
    innovation_id: int,
    action: str,
    comment: str = "",
    precondition: Precondition = Precondition(),
) -> ActionResult:
    """Take `action` on the case for `user`: check, move the process, record history.

    One transaction holding the case's rows; a concurrent move that won first makes this one
    fail with ActionConflict, never move twice. A deadlock is retried a few times with back-off.
    With an idempotency key, a repeat of a committed action returns its result (replayed).
    """
    if action not in Action.values:
        raise UnknownAction(
            _("Aksi tidak dikenal: %(action)s.") % {"action": action},
            fields={"action": [_("Pilih salah satu: %s.") % ", ".join(Action.values)]},
        )
    _check_precondition(precondition)
    for attempt in range(ATTEMPTS):
        try:
            return _perform_locked(user, innovation_id, Action(action), comment, precondition)
        except OperationalError as exc:
            if not _retriable(exc):
                raise
            log.warning("perform_action: %s on case %s, attempt %d", exc, innovation_id, attempt)
            if attempt < ATTEMPTS - 1:
                time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise _moved_meanwhile()


def _check_precondition(precondition: Precondition) -> None:
    key, stage = precondition.key, precondition.expected_stage
    if len(key) > KEY_MAX_LENGTH or not key.isprintable():
        raise GuardFailed(
            _("Idempotency-Key tidak valid."),
            fields={"Idempotency-Key": [_("Paling banyak 255 karakter yang dapat dicetak.")]},
        )
    if stage and stage not in Stage.values:
        raise GuardFailed(
            _("Tahap yang diharapkan tidak dikenal."),
            fields={"expected_stage": [_("Pilih salah satu kode tahap.")]},
        )


def _key_reused() -> ActionConflict:
    return ActionConflict(
        _("Idempotency-Key ini sudah dipakai untuk permintaan lain."),
        fields={"Idempotency-Key": [_("Gunakan kunci baru untuk setiap tindakan.")]},
    )


def _replay(
    user: User, innovation: Innovation, fingerprint: str, precondition: Precondition
) -> ActionResult | None:
    """The earlier result of this key, after the case's lock (a concurrent first attempt has
    committed or rolled back by then)."""
    if not precondition.key:
        return None
    receipt = (
        ActionReceipt.objects.select_related("event")
        .filter(user=user, key=precondition.key)
        .first()
    )
    if receipt is None:
        return None
    if receipt.fingerprint != fingerprint:
        raise _key_reused()
    return ActionResult(innovation=innovation, event=receipt.event, replayed=True)


@transaction.atomic
def _perform_locked(
    user: User, innovation_id: int, action: Action, comment: str, precondition: Precondition
) -> ActionResult:
    process = _locked_case(innovation_id)
    innovation = process.innovation
    fingerprint = precondition.fingerprint(innovation_id, action, comment)
    if (earlier := _replay(user, innovation, fingerprint, precondition)) is not None:
        return earlier
    if precondition.expected_stage and innovation.stage != precondition.expected_stage:
        raise ActionConflict(
            _("Tahap kasus sudah berubah menjadi %(stage)s; muat ulang halaman.")
            % {"stage": innovation.get_stage_display()},
            fields={
                "expected_stage": [
                    _("Halaman menampilkan %(seen)s; tahap sekarang %(now)s (%(code)s).")
                    % {
                        "seen": Stage(precondition.expected_stage).label,
                        "now": innovation.get_stage_display(),
                        "code": innovation.stage,
                    }
                ]
            },
        )
    move = _checked_transition(actor_for(user), innovation, action, comment)
    try:
        if move.ends_process:
            InnovationFlow.instance.cancel(process)
        else:
            _complete_task(process, move, user, comment)
    except TransitionNotAllowed as exc:
        raise _moved_meanwhile() from exc
    innovation.stage = move.target
    innovation.awaiting = lifecycle.holder_of(move.target)
    innovation.save(update_fields=["stage", "awaiting", "updated_at"])
    event = events.moved(
        innovation=innovation, actor=user, transition=move, comment=comment.strip()
    )
    deadlines.enter_stage(innovation=innovation, at=event.at)
    if precondition.key:
        try:
            with transaction.atomic():
                ActionReceipt.objects.create(
                    user=user, key=precondition.key, fingerprint=fingerprint, event=event
                )
        except IntegrityError:
            # The same key, at the same moment, on another case.
            raise _key_reused() from None
    return ActionResult(innovation=innovation, event=event)


# --- edits within a stage ---------------------------------------------------------------------


def _locked(innovation_id: int) -> Innovation:
    return Innovation.objects.select_for_update().get(pk=innovation_id)


@transaction.atomic
def update_innovation(*, user: User, innovation_id: int, changes: ProfileChanges) -> Innovation:
    """Apply profile changes; only fields the caller may edit in this stage."""
    innovation = _locked(innovation_id)
    actor = actor_for(user)
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
    links = apply_profile(innovation, changes)
    innovation.save()
    links.save(innovation)
    return innovation


@transaction.atomic
def add_attachment(
    *, user: User, innovation_id: int, kind: str, upload: UploadedFile | None
) -> Attachment:
    innovation = _locked(innovation_id)
    if not policy.editable_fields(actor_for(user), innovation):
        raise ActionForbidden(
            _("Lampiran hanya dapat ditambahkan oleh OPD saat inovasi di tangannya.")
        )
    if kind not in Attachment.Kind.values:
        raise GuardFailed(
            _("Jenis lampiran tidak dikenal."), fields={"kind": [_("Pilih jenis lampiran.")]}
        )
    return Attachment.objects.create(
        innovation=innovation,
        kind=kind,
        uploaded_by=user,
        **stored_file_fields(upload, field="file"),
    )


@transaction.atomic
def add_evidence(
    *,
    user: User,
    innovation_id: int,
    indicator_id: int,
    parameter: int,
    upload: UploadedFile | None,
    link: str = "",
    description: str = "",
) -> EvidenceItem:
    """One evidence item: a file checked by its content, or a link where the indicator takes
    one (the video of indicator 35, usually on a video site)."""
    innovation = _locked(innovation_id)
    if not policy.can_upload_evidence(actor_for(user), innovation):
        raise ActionForbidden(_("Data dukung hanya dapat diunggah oleh OPD pada tahap pengemasan."))
    indicator = Indicator.objects.filter(pk=indicator_id, year=innovation.year).first()
    errors: dict[str, list[str]] = {}
    if indicator is None:
        errors["indicator"] = [_("Indikator tidak ada untuk tahun %d.") % innovation.year]
    if parameter not in (1, 2, 3):
        errors["parameter"] = [_("Parameter harus 1, 2 atau 3.")]
    link = link.strip()
    if link and indicator is not None and not indicator.accepts_link:
        errors["link"] = [_("Indikator ini memerlukan berkas, bukan tautan.")]
    elif link and not _is_web_address(link):
        errors["link"] = [_("Tautan harus alamat web lengkap (https://...).")]
    elif len(link) > LINK_MAX_LENGTH:
        errors["link"] = [
            _("Tautan terlalu panjang (paling banyak %(n)d karakter).") % {"n": LINK_MAX_LENGTH}
        ]
    elif link and upload is not None:
        errors["link"] = [_("Isi tautan atau unggah berkas, tidak keduanya.")]
    if errors or indicator is None:
        raise GuardFailed(_("Data dukung tidak valid."), fields=errors)
    stored = {} if link else stored_file_fields(upload, field="file")
    return EvidenceItem.objects.create(
        innovation=innovation,
        indicator=indicator,
        parameter=parameter,
        description=description,
        link=link,
        uploaded_by=user,
        **stored,
    )


def _is_web_address(text: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return False
    return True


@transaction.atomic
def review_evidence(
    *,
    user: User,
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
    if not policy.can_review_evidence(actor_for(user), innovation):
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
        update_fields=["review", "verified_parameter", "review_note", "reviewed_by", "reviewed_at"]
    )
    return item


@transaction.atomic
def mark_rest_valid(*, user: User, innovation_id: int) -> int:
    """Mark every evidence item of the case not yet reviewed as valid, at the parameter the OPD
    chose ("tandai sisanya valid"); items already reviewed keep their result. One transaction;
    returns how many items were marked."""
    innovation = _locked(innovation_id)
    if not policy.can_review_evidence(actor_for(user), innovation):
        raise ActionForbidden(
            _("Hanya verifikator yang tidak mendampingi inovasi ini dapat memeriksa data dukung.")
        )
    return EvidenceItem.objects.filter(
        innovation=innovation, review=EvidenceItem.Review.PENDING
    ).update(
        review=EvidenceItem.Review.VALID,
        verified_parameter=F("parameter"),
        review_note="",
        reviewed_by=user,
        reviewed_at=timezone.now(),
    )


def _changeable_evidence(user: User, evidence_id: int) -> tuple[Innovation, EvidenceItem]:
    """The item and its locked case, when `user` may change the case's evidence now."""
    innovation_id = (
        EvidenceItem.objects.filter(pk=evidence_id).values_list("innovation_id", flat=True).first()
    )
    if innovation_id is None:
        raise GuardFailed(
            _("Data dukung tidak ditemukan."), fields={"evidence": [_("Muat ulang halaman.")]}
        )
    innovation = _locked(innovation_id)
    if not policy.can_upload_evidence(actor_for(user), innovation):
        raise ActionForbidden(_("Data dukung hanya dapat diubah oleh OPD pada tahap pengemasan."))
    item = EvidenceItem.objects.select_related("indicator").get(pk=evidence_id)
    return innovation, item


@transaction.atomic
def replace_evidence(*, user: User, evidence_id: int, upload: UploadedFile | None) -> EvidenceItem:
    """Put a new file in place of an evidence item's file (pengemasan only, the unit's own
    people). The item keeps its indicator and parameter, goes back to "not yet reviewed", the
    history names both files, and the old file leaves storage after commit."""
    innovation, item = _changeable_evidence(user, evidence_id)
    if item.link:
        raise GuardFailed(
            _("Data dukung ini berupa tautan; hapus lalu unggah yang baru."),
            fields={"file": [_("Tautan tidak dapat diganti dengan berkas.")]},
        )
    stored = stored_file_fields(upload, field="file")
    old_name = item.download_name
    old_file = FieldFile(item, item.file.field, item.file.name)
    for name, value in stored.items():
        setattr(item, name, value)
    item.uploaded_by = user
    item.uploaded_at = timezone.now()
    item.review = EvidenceItem.Review.PENDING
    item.review_note = ""
    item.verified_parameter = None
    item.reviewed_by = None
    item.reviewed_at = None
    item.save()
    events.evidence_changed(
        innovation=innovation,
        actor=user,
        kind=EventKind.EVIDENCE_REPLACED,
        payload=events.EvidencePayload(
            evidence=item.pk,
            indicator=str(item.indicator),
            old_name=old_name,
            new_name=item.download_name,
        ),
    )
    delete_after_commit(old_file)
    return item


@transaction.atomic
def remove_evidence(*, user: User, evidence_id: int) -> None:
    """Remove an evidence item (pengemasan only, the unit's own people); the history keeps
    what it was, and its file leaves storage after commit."""
    innovation, item = _changeable_evidence(user, evidence_id)
    payload = events.EvidencePayload(
        evidence=item.pk,
        indicator=str(item.indicator),
        old_name=item.link or item.download_name,
    )
    old_file = item.file
    item.delete()
    events.evidence_changed(
        innovation=innovation, actor=user, kind=EventKind.EVIDENCE_REMOVED, payload=payload
    )
    delete_after_commit(old_file)


@dataclass(frozen=True)
class FollowUpInput:
    description: str
    due_date: dt.date


@dataclass(frozen=True)
class AttendeeInput:
    """Someone who took part in a session: a name and, optionally, a role (jabatan)."""

    name: str
    role: str = ""


# A session carries at most this many attendees and files (photos, documents).
SESSION_ATTENDEES_MAX = 50
SESSION_FILES_MAX = 10


def _attendee_rows(attendees: list[AttendeeInput]) -> list[tuple[str, str]]:
    """The attendees, trimmed and checked; GuardFailed naming `attendees.<n>.<field>`."""
    if len(attendees) > SESSION_ATTENDEES_MAX:
        raise GuardFailed(
            _("Peserta sesi terlalu banyak."),
            fields={
                "attendees": [
                    _("Paling banyak %(n)d peserta per sesi.") % {"n": SESSION_ATTENDEES_MAX}
                ]
            },
        )
    rows, problems = [], {}
    for index, item in enumerate(attendees):
        name, role = item.name.strip(), item.role.strip()
        if not name:
            problems[f"attendees.{index}.name"] = [_("Nama peserta wajib diisi.")]
        elif len(name) > SessionAttendee.NAME_MAX_LENGTH:
            problems[f"attendees.{index}.name"] = [
                _("Nama peserta paling banyak %(n)d karakter.")
                % {"n": SessionAttendee.NAME_MAX_LENGTH}
            ]
        if len(role) > SessionAttendee.ROLE_MAX_LENGTH:
            problems[f"attendees.{index}.role"] = [
                _("Peran paling banyak %(n)d karakter.") % {"n": SessionAttendee.ROLE_MAX_LENGTH}
            ]
        rows.append((name, role))
    if problems:
        raise GuardFailed(_("Periksa daftar peserta sesi."), fields=problems)
    return rows


@transaction.atomic
def log_session(
    *,
    user: User,
    innovation_id: int,
    date: dt.date,
    mode: str,
    topic: str,
    notes: str = "",
    follow_ups: list[FollowUpInput] | None = None,
    attendees: list[AttendeeInput] | None = None,
    files: list[UploadedFile] | None = None,
) -> MentoringSession:
    """Record a mentoring session with its follow-up items, its attendees (names and roles)
    and its photos and documents (each checked by content, as evidence is)."""
    innovation = _locked(innovation_id)
    actor = actor_for(user)
    if not actor.mentors(innovation):
        raise ActionForbidden(_("Hanya pendamping unit ini yang dapat mencatat sesi."))
    if not policy.can_log_session(actor, innovation):
        raise ActionConflict(_("Sesi hanya dapat dicatat pada tahap pendampingan atau pengemasan."))
    people = _attendee_rows(attendees or [])
    files = files or []
    if len(files) > SESSION_FILES_MAX:
        raise GuardFailed(
            _("Berkas sesi terlalu banyak."),
            fields={
                "files": [_("Paling banyak %(n)d berkas per sesi.") % {"n": SESSION_FILES_MAX}]
            },
        )
    stored = []
    for upload in files:
        try:
            stored.append(stored_file_fields(upload, field="files"))
        except GuardFailed as error:
            name = upload.name or ""
            raise GuardFailed(
                error.message,
                fields={"files": [f"{name}: {text}" for text in error.fields["files"]]},
            ) from error
    session = MentoringSession.objects.create(
        innovation=innovation, mentor=user, date=date, mode=mode, topic=topic, notes=notes
    )
    FollowUp.objects.bulk_create(
        FollowUp(session=session, description=item.description, due_date=item.due_date)
        for item in follow_ups or []
    )
    SessionAttendee.objects.bulk_create(
        SessionAttendee(session=session, name=name, role=role) for name, role in people
    )
    for fields in stored:
        SessionFile.objects.create(
            innovation=innovation, session=session, uploaded_by=user, **fields
        )
    return session


@transaction.atomic
def set_follow_up_done(*, user: User, follow_up_id: int, done: bool) -> FollowUp:
    """Mark a follow-up item (tindak lanjut) done, or open again: the case's mentor or the
    unit's own people (policy.can_mark_follow_up). Marking it as it already is changes nothing."""
    follow_up = FollowUp.objects.select_related("session").get(pk=follow_up_id)
    innovation = _locked(follow_up.session.innovation_id)
    if not policy.can_mark_follow_up(actor_for(user), innovation):
        raise ActionForbidden(
            _("Hanya pendamping atau orang unit ini yang dapat menandai tindak lanjut.")
        )
    if follow_up.done != done:
        follow_up.done = done
        follow_up.done_at = timezone.now() if done else None
        follow_up.done_by = user if done else None
        follow_up.save(update_fields=["done", "done_at", "done_by"])
    return follow_up
