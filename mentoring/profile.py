"""The innovation profile's own rules, whoever edits it: consistent dates, and a maturity that
only moves forward through its machine (inisiatif -> uji coba -> penerapan)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from core.errors import GuardFailed

from .models import RANCANG_BANGUN_SECTIONS, Innovation, Maturity, NationalPriority, Urusan

# The innovation profile in the national form's order (the portal's form and the upload
# package follow it), then the final report of the reporting stage.
PROFILE_FIELDS: tuple[str, ...] = (
    "name",
    "maturity",
    "inisiator",
    "inisiator_name",
    "jenis",
    "bentuk",
    "main_urusan",
    "related_urusan",
    "trial_date",
    "implementation_date",
    *RANCANG_BANGUN_SECTIONS,
    "tujuan",
    "manfaat",
    "hasil",
    "perkembangan",
    "latitude",
    "longitude",
    "priorities",
    "budget",
    "reported_before",
)
REPORT_FIELDS: tuple[str, ...] = ("report_results", "report_beneficiaries", "report_national_ref")


class ProfileChanges(TypedDict, total=False):
    """Parsed profile and report values (forms and serializers parse; services receive these)."""

    name: str
    bentuk: str
    jenis: str
    inisiator: str
    inisiator_name: str
    main_urusan: Urusan
    related_urusan: list[Urusan]
    trial_date: dt.date | None
    implementation_date: dt.date | None
    maturity: str
    dasar_hukum: str
    permasalahan: str
    isu_strategis: str
    metode_pembaharuan: str
    keunggulan: str
    tahapan_penggunaan: str
    tujuan: str
    manfaat: str
    hasil: str
    perkembangan: str
    latitude: Decimal | None
    longitude: Decimal | None
    priorities: list[NationalPriority]
    budget: Decimal | None
    reported_before: int
    report_results: str
    report_beneficiaries: int | None
    report_national_ref: str


Errors = dict[str, list[str]]

_MATURITY_STEPS = {
    Maturity.UJI_COBA: ["start_trial"],
    Maturity.PENERAPAN: ["start_trial", "start_implementation"],
}
_MATURITY_ORDER = [Maturity.INISIATIF, Maturity.UJI_COBA, Maturity.PENERAPAN]


def _advance_maturity(innovation: Innovation, target: str) -> None:
    """Walk the maturity machine forward to `target`, enforcing its guards."""
    current = innovation.maturity
    if _MATURITY_ORDER.index(Maturity(target)) < _MATURITY_ORDER.index(Maturity(current)):
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
    for step in _MATURITY_STEPS.get(Maturity(target), []):
        transition = getattr(innovation, step)
        if transition.can_proceed():
            transition()


@dataclass(frozen=True)
class Links:
    """Many-to-many changes, set once the innovation is saved (None: unchanged)."""

    related_urusan: list[Urusan] | None = None
    priorities: list[NationalPriority] | None = None

    def save(self, innovation: Innovation) -> None:
        if self.related_urusan is not None:
            innovation.related_urusan.set(self.related_urusan)
        if self.priorities is not None:
            innovation.priorities.set(self.priorities)


def _location_errors(innovation: Innovation) -> Errors:
    latitude, longitude = innovation.latitude, innovation.longitude
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        return {missing: [_("Isi lintang dan bujur bersama-sama.")]}
    region = innovation.unit.region
    if region is None or region.contains(latitude, longitude):
        return {}
    return {
        "latitude": [
            _(
                "Koordinat %(lat)s, %(lon)s di luar %(region)s (lintang %(lat_min)s sampai "
                "%(lat_max)s, bujur %(lon_min)s sampai %(lon_max)s)."
            )
            % {
                "lat": latitude,
                "lon": longitude,
                "region": region.name,
                "lat_min": region.lat_min,
                "lat_max": region.lat_max,
                "lon_min": region.lon_min,
                "lon_max": region.lon_max,
            }
        ]
    }


def apply_profile(innovation: Innovation, changes: ProfileChanges) -> Links:
    """Set the changed fields on the (unsaved) innovation, checking the profile's rules; every
    broken rule is named at once, nothing is saved here."""
    values: dict[str, Any] = dict(changes)
    related = values.pop("related_urusan", None)
    priorities = values.pop("priorities", None)
    target_maturity = values.pop("maturity", None)
    for name, value in values.items():
        setattr(innovation, name, value)
    errors: Errors = {}
    if (
        innovation.trial_date
        and innovation.implementation_date
        and innovation.implementation_date < innovation.trial_date
    ):
        errors["implementation_date"] = [_("Waktu penerapan tidak boleh sebelum waktu uji coba.")]
    if related is not None and any(u.pk == innovation.main_urusan_id for u in related):
        errors["related_urusan"] = [_("Urusan utama tidak boleh diulang di urusan terkait.")]
    if priorities is not None and any(p.year != innovation.year for p in priorities):
        errors["priorities"] = [
            _("Pilih prioritas nasional tahun %(year)d.") % {"year": innovation.year}
        ]
    errors.update(_location_errors(innovation))
    if errors:
        raise GuardFailed(_("Profil inovasi belum dapat disimpan."), fields=errors)
    if target_maturity and target_maturity != innovation.maturity:
        _advance_maturity(innovation, str(target_maturity))
    return Links(
        related_urusan=list(related) if related is not None else None,
        priorities=list(priorities) if priorities is not None else None,
    )
