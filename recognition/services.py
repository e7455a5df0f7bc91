"""Writes of replications, awards, HKI filings and the inovasi unggulan picks.

Each is one transaction with keyword-only, typed arguments: it checks who may record, checks
every field (a GuardFailed names each wrong field, in Indonesian, and nothing is written), then
writes. Who may record on an innovation: the people of its unit (operator or head, a Plt./Plh.
too) and BRIDA admins; the inovasi unggulan is picked by admins only.
"""

import datetime as dt
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ActionForbidden, GuardFailed
from mentoring.models import CANCELLED_STAGES, LINK_MAX_LENGTH, Innovation, Unit
from mentoring.people import Actor, actor_for
from mentoring.uploads import delete_after_commit, stored_file_fields

from .models import (
    Award,
    AwardLevel,
    FeaturedInnovation,
    HkiFiling,
    HkiKind,
    HkiStatus,
    RecognitionYear,
    Replication,
)

Errors = dict[str, list[str]]
RecordT = TypeVar("RecordT", Replication, Award, HkiFiling)
# An award year is sensible from this year up to the current one (awards are not promised).
FIRST_AWARD_YEAR = 2000
TEXT_MAX = 200


def may_record(actor: Actor, innovation: Innovation) -> bool:
    """The unit's own people (operator or head, a Plt./Plh. too) and admins."""
    return actor.is_admin or actor.works_in(innovation.unit_id)


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _locked_for_recording(user: User, innovation_id: int) -> Innovation:
    innovation = Innovation.objects.select_for_update().get(pk=innovation_id)
    if not may_record(actor_for(user), innovation):
        raise ActionForbidden(
            _("Hanya operator atau kepala unit inovasi ini dan admin BRIDA yang dapat mencatat.")
        )
    if innovation.stage in CANCELLED_STAGES:
        raise GuardFailed(
            _("Inovasi ini sudah ditolak atau ditarik: tidak ada yang dicatat."),
            fields={"innovation": [_("Kasus sudah berakhir tanpa selesai.")]},
        )
    return innovation


def _link_errors(link: str) -> list[str]:
    if not link:
        return []
    if len(link) > LINK_MAX_LENGTH:
        return [
            _("Tautan terlalu panjang (paling banyak %(n)d karakter).") % {"n": LINK_MAX_LENGTH}
        ]
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return [_("Tautan harus alamat web lengkap (https://...).")]
    return []


def _check_evidence(
    errors: Errors, *, upload: UploadedFile | None, link: str, required: bool, what: str
) -> None:
    """Evidence is a file (checked by content when stored) and/or a link; errors added in
    place. The file is stored only after every other field is known good."""
    if link_errors := _link_errors(link):
        errors["link"] = link_errors
    if upload is None and not link and required:
        errors["file"] = [
            _("Bukti %(what)s wajib: unggah berkas atau isi tautan.") % {"what": what}
        ]


def _stored(upload: UploadedFile | None) -> dict:
    """The file fields of an accepted upload (GuardFailed naming `file` for a refused one)."""
    return stored_file_fields(upload, field="file") if upload is not None else {}


def _create_record(
    model: type[RecordT],
    errors: Errors,
    *,
    refused: str,
    what: str,
    evidence_required: bool,
    innovation: Innovation,
    user: User,
    upload: UploadedFile | None,
    link: str,
    **fields,
) -> RecordT:
    """Check the evidence, refuse with every field's errors, or store the record and its file."""
    _check_evidence(errors, upload=upload, link=link, required=evidence_required, what=what)
    if errors:
        raise GuardFailed(refused, fields=errors)
    return model.objects.create(
        innovation=innovation, link=link, uploaded_by=user, **fields, **_stored(upload)
    )


def _text(errors: Errors, field: str, value: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("%(label)s wajib diisi.") % {"label": label}]
    elif len(value) > TEXT_MAX:
        errors[field] = [
            _("%(label)s terlalu panjang (paling banyak %(n)d karakter).")
            % {"label": label, "n": TEXT_MAX}
        ]
    return value


@transaction.atomic
def record_replication(
    *,
    user: User,
    innovation_id: int,
    date: dt.date,
    unit_id: int | None = None,
    region_name: str = "",
    replicator_name: str = "",
    upload: UploadedFile | None = None,
    link: str = "",
    note: str = "",
) -> Replication:
    """Record that a unit of the regency (`unit_id`) or an agency of another region
    (`region_name`, with `replicator_name`) replicated the innovation on `date`."""
    innovation = _locked_for_recording(user, innovation_id)
    errors: Errors = {}
    link = (link or "").strip()
    region_name = _text(errors, "region_name", region_name, _("Daerah lain"), required=False)
    replicator_name = _text(
        errors, "replicator_name", replicator_name, _("Instansi yang mereplikasi"), required=False
    )
    unit = None
    if unit_id is not None and region_name:
        errors["unit"] = [_("Pilih unit di kabupaten atau isi daerah lain, tidak keduanya.")]
    elif unit_id is None and not region_name:
        errors["unit"] = [_("Unit yang mereplikasi wajib: pilih unit atau isi daerah lain.")]
    elif unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            errors["unit"] = [_("Unit yang mereplikasi tidak ditemukan.")]
        elif unit.pk == innovation.unit_id:
            errors["unit"] = [
                _("Unit yang mereplikasi sama dengan unit pemilik inovasi (%(unit)s).")
                % {"unit": unit.name}
            ]
        elif Replication.objects.filter(innovation=innovation, unit=unit).exists():
            errors["unit"] = [
                _("%(unit)s sudah tercatat mereplikasi inovasi ini.") % {"unit": unit.name}
            ]
    implemented = innovation.implementation_date
    if implemented is None:
        errors["date"] = [
            _(
                "Tanggal replikasi: waktu penerapan inovasi belum diisi, replikasi hanya "
                "dicatat setelah penerapan."
            )
        ]
    elif date < implemented:
        errors["date"] = [
            _("Tanggal replikasi (%(date)s) sebelum waktu penerapan inovasi (%(implemented)s).")
            % {"date": _day(date), "implemented": _day(implemented)}
        ]
    elif date > timezone.localdate():
        errors["date"] = [_("Tanggal replikasi tidak boleh di masa depan.")]
    note = _text(errors, "note", note, _("Keterangan"), required=False)
    return _create_record(
        Replication,
        errors,
        refused=_("Replikasi tidak disimpan: periksa isian yang ditandai."),
        what=_("replikasi"),
        evidence_required=True,
        innovation=innovation,
        user=user,
        upload=upload,
        link=link,
        unit=unit,
        region_name=region_name,
        replicator_name=replicator_name,
        date=date,
        note=note,
    )


@transaction.atomic
def record_award(
    *,
    user: User,
    innovation_id: int,
    level: str,
    year: int,
    name: str,
    giver: str,
    rank: str = "",
    upload: UploadedFile | None = None,
    link: str = "",
) -> Award:
    """Record an award the innovation won (level national / provincial / regency)."""
    innovation = _locked_for_recording(user, innovation_id)
    errors: Errors = {}
    link = (link or "").strip()
    if level not in AwardLevel.values:
        errors["level"] = [
            _(
                "Tingkat penghargaan tidak dikenal (%(level)s): pilih nasional, provinsi atau "
                "kabupaten."
            )
            % {"level": level or "-"}
        ]
    this_year = timezone.localdate().year
    if not FIRST_AWARD_YEAR <= year <= this_year:
        errors["year"] = [
            _("Tahun penghargaan %(year)s di luar rentang %(first)d-%(last)d.")
            % {"year": year, "first": FIRST_AWARD_YEAR, "last": this_year}
        ]
    name = _text(errors, "name", name, _("Nama penghargaan"), required=True)
    giver = _text(errors, "giver", giver, _("Pemberi penghargaan"), required=True)
    rank = _text(errors, "rank", rank, _("Peringkat"), required=False)
    return _create_record(
        Award,
        errors,
        refused=_("Penghargaan tidak disimpan: periksa isian yang ditandai."),
        what=_("penghargaan"),
        evidence_required=True,
        innovation=innovation,
        user=user,
        upload=upload,
        link=link,
        level=level,
        rank=rank,
        year=year,
        name=name,
        giver=giver,
    )


@transaction.atomic
def record_hki(
    *,
    user: User,
    innovation_id: int,
    kind: str,
    number: str,
    status: str,
    date: dt.date,
    upload: UploadedFile | None = None,
    link: str = "",
) -> HkiFiling:
    """Record an HKI filing of the innovation (the certificate or receipt optional)."""
    innovation = _locked_for_recording(user, innovation_id)
    errors: Errors = {}
    link = (link or "").strip()
    if kind not in HkiKind.values:
        errors["kind"] = [_("Jenis HKI tidak dikenal (%(kind)s).") % {"kind": kind or "-"}]
    if status not in HkiStatus.values:
        errors["status"] = [_("Status HKI tidak dikenal (%(status)s).") % {"status": status or "-"}]
    number = _text(errors, "number", number, _("Nomor permohonan/pencatatan"), required=True)
    if date > timezone.localdate():
        errors["date"] = [_("Tanggal HKI tidak boleh di masa depan.")]
    if HkiFiling.objects.filter(innovation=innovation, kind=kind, number=number).exists():
        errors["number"] = [
            _("HKI dengan nomor %(number)s sudah tercatat untuk inovasi ini.") % {"number": number}
        ]
    return _create_record(
        HkiFiling,
        errors,
        refused=_("HKI tidak disimpan: periksa isian yang ditandai."),
        what=_("HKI"),
        evidence_required=False,
        innovation=innovation,
        user=user,
        upload=upload,
        link=link,
        kind=kind,
        number=number,
        status=status,
        date=date,
    )


RECORD_MODELS: dict[str, type[Replication] | type[Award] | type[HkiFiling]] = {
    "replication": Replication,
    "award": Award,
    "hki": HkiFiling,
}


@transaction.atomic
def remove_record(*, user: User, kind: str, record_id: int) -> None:
    """Remove a replication, award or HKI filing recorded by mistake (same people as record;
    the stored file goes with it once the transaction commits)."""
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise GuardFailed(_("Jenis catatan tidak dikenal."), fields={"kind": [kind]})
    found = model.objects.select_related("innovation").get(pk=record_id)
    if not may_record(actor_for(user), found.innovation):
        raise ActionForbidden(
            _("Hanya operator atau kepala unit inovasi ini dan admin BRIDA yang dapat menghapus.")
        )
    stored = found.file
    found.delete()
    delete_after_commit(stored)


@transaction.atomic
def pick_featured(
    *,
    user: User,
    year: int,
    innovation_id: int,
    presentation_date: dt.date,
    note: str = "",
) -> FeaturedInnovation:
    """Pick an "inovasi unggulan" of `year` for the regional head's presentation: an admin's
    choice, a case of that year still standing, at most the year's `featured_limit` picks, the
    same innovation once, the presentation dated within the year."""
    if not actor_for(user).is_admin:
        raise ActionForbidden(_("Hanya admin BRIDA yang memilih inovasi unggulan."))
    errors: Errors = {}
    rules = RecognitionYear.objects.select_for_update().filter(year=year).first()
    if rules is None:
        errors["year"] = [
            _("Aturan penghargaan tahun %(year)s belum diatur (Django admin).") % {"year": year}
        ]
    innovation = Innovation.objects.filter(pk=innovation_id).first()
    if innovation is None:
        errors["innovation"] = [_("Inovasi tidak ditemukan.")]
    elif innovation.year != year:
        errors["innovation"] = [
            _("Inovasi ini kasus tahun %(case)s, bukan tahun %(year)s.")
            % {"case": innovation.year, "year": year}
        ]
    elif innovation.stage in CANCELLED_STAGES:
        errors["innovation"] = [_("Inovasi ini sudah ditolak atau ditarik.")]
    elif FeaturedInnovation.objects.filter(year=year, innovation=innovation).exists():
        errors["innovation"] = [
            _("Inovasi ini sudah dipilih sebagai inovasi unggulan tahun %(year)s.") % {"year": year}
        ]
    elif rules is not None:
        picked = FeaturedInnovation.objects.filter(year=year).count()
        if picked >= rules.featured_limit:
            errors["innovation"] = [
                _("Tahun %(year)s sudah punya %(n)d inovasi unggulan (batas %(limit)d).")
                % {"year": year, "n": picked, "limit": rules.featured_limit}
            ]
    if presentation_date.year != year:
        errors["presentation_date"] = [
            _("Tanggal paparan (%(date)s) harus dalam tahun %(year)s.")
            % {"date": _day(presentation_date), "year": year}
        ]
    note = _text(errors, "note", note, _("Tema/catatan"), required=False)
    if errors or innovation is None:
        raise GuardFailed(
            _("Inovasi unggulan tidak disimpan: periksa isian yang ditandai."), fields=errors
        )
    return FeaturedInnovation.objects.create(
        year=year,
        innovation=innovation,
        presentation_date=presentation_date,
        note=note,
        picked_by=user,
    )


@transaction.atomic
def unpick_featured(*, user: User, featured_id: int) -> None:
    if not actor_for(user).is_admin:
        raise ActionForbidden(_("Hanya admin BRIDA yang memilih inovasi unggulan."))
    FeaturedInnovation.objects.get(pk=featured_id).delete()
