"""The innovation profile's own rules, whoever edits it: consistent dates, and a maturity that
only moves forward through its machine (inisiatif -> uji coba -> penerapan)."""

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from core.errors import GuardFailed

from .models import Innovation, Maturity, Urusan


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
    rancang_bangun: str
    tujuan: str
    manfaat: str
    hasil: str
    budget: Decimal | None
    report_results: str
    report_beneficiaries: int | None
    report_national_ref: str


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


def apply_profile(innovation: Innovation, changes: ProfileChanges) -> list[Urusan] | None:
    """Set the changed fields on the (unsaved) innovation, checking the profile's rules.

    Returns the related urusan to set once the innovation is saved (None: unchanged).
    """
    values: dict[str, Any] = dict(changes)
    related = values.pop("related_urusan", None)
    target_maturity = values.pop("maturity", None)
    for name, value in values.items():
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
        _advance_maturity(innovation, str(target_maturity))
    return list(related) if related is not None else None
