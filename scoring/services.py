"""Writes on IID rulesets: copy a year's rules (with its indicators and submission rules) to a
new year, enter SPD."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import GuardFailed
from mentoring.models import Indicator, SubmissionRules

from .models import PredicateThreshold, Ruleset

_RULESET_FIELDS = (
    "divisor_minimum",
    "jumlah_coefficient",
    "jumlah_cap",
    "spd_max",
    "sid_indicator_max",
    "jumlah_max",
    "total_max",
    "yandas_min_covered",
    "coverage_counts_related",
    "source",
)
_INDICATOR_FIELDS = (
    "number",
    "name",
    "weight",
    "mandatory",
    "parameter_1",
    "parameter_2",
    "parameter_3",
    "evidence_hint",
    "source",
    "short_name",
    "accepts_link",
    "measure",
    "parameter_bounds",
)
_SUBMISSION_FIELDS = (
    "min_words",
    "min_section_words",
    "max_reports",
    "source",
)


@dataclass(frozen=True)
class CopyResult:
    ruleset: Ruleset
    thresholds_copied: int
    indicators_copied: int  # 0 when the new year already had its own indicators


@transaction.atomic
def copy_ruleset(*, from_year: int, to_year: int) -> CopyResult:
    """Start `to_year` from `from_year`'s rules, thresholds and indicators, all unconfirmed.

    SPD is not copied (it is measured per year). Indicators already present for `to_year` are
    kept as they are (evidence may point at them), so only a year without any gets a copy.
    """
    source = Ruleset.objects.filter(year=from_year).first()
    errors: dict[str, list[str]] = {}
    if source is None:
        errors["from_year"] = [_("Aturan penilaian tahun %d tidak ada.") % from_year]
    if from_year == to_year:
        errors["to_year"] = [_("Tahun tujuan harus berbeda dari tahun asal.")]
    elif Ruleset.objects.filter(year=to_year).exists():
        errors["to_year"] = [_("Aturan penilaian tahun %d sudah ada.") % to_year]
    if not 2000 <= to_year <= 2100:
        errors["to_year"] = [_("Tahun tujuan tidak wajar: %d.") % to_year]
    if errors or source is None:
        raise GuardFailed(_("Aturan penilaian tidak dapat disalin."), fields=errors)

    ruleset = Ruleset.objects.create(
        year=to_year,
        confirmed=False,
        spd_score=None,
        note=_("Disalin dari %(year)d; belum terkonfirmasi untuk %(to)d.")
        % {"year": from_year, "to": to_year},
        **{name: getattr(source, name) for name in _RULESET_FIELDS},
    )
    bands = PredicateThreshold.objects.bulk_create(
        PredicateThreshold(
            ruleset=ruleset, name=band.name, lower=band.lower, upper=band.upper, source=band.source
        )
        for band in source.thresholds.all()
    )
    rules = SubmissionRules.objects.filter(year=from_year).first()
    if rules is not None and not SubmissionRules.objects.filter(year=to_year).exists():
        # The eligible window moves with the year; its dates wait for the new year's rules.
        SubmissionRules.objects.create(
            year=to_year,
            confirmed=False,
            note=_("Disalin dari %(year)d; jendela kelayakan belum diisi.") % {"year": from_year},
            **{name: getattr(rules, name) for name in _SUBMISSION_FIELDS},
        )
    copied: list[Indicator] = []
    if not Indicator.objects.filter(year=to_year).exists():
        copied = Indicator.objects.bulk_create(
            Indicator(
                year=to_year,
                confirmed=False,
                **{name: getattr(indicator, name) for name in _INDICATOR_FIELDS},
            )
            for indicator in Indicator.objects.filter(year=from_year).order_by("number")
        )
    return CopyResult(ruleset=ruleset, thresholds_copied=len(bands), indicators_copied=len(copied))


@transaction.atomic
def set_spd_score(*, year: int, spd_score: Decimal | str | None) -> Ruleset:
    """Enter (or clear, with None) the region's SPD score of the year, 0..spd_max."""
    ruleset = Ruleset.objects.select_for_update().filter(year=year).first()
    if ruleset is None:
        raise GuardFailed(
            _("Aturan penilaian tidak ada."),
            fields={"year": [_("Aturan penilaian tahun %d belum ada.") % year]},
        )
    value = None
    if spd_score is not None and str(spd_score).strip() != "":
        try:
            value = Decimal(str(spd_score).strip().replace(",", "."))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= ruleset.spd_max:
            raise GuardFailed(
                _("Skor SPD tidak valid."),
                fields={
                    "spd_score": [_("Skor SPD harus angka antara 0 dan %s.") % ruleset.spd_max]
                },
            )
        value = value.quantize(Decimal("0.01"))
    ruleset.spd_score = value
    ruleset.save(update_fields=["spd_score", "updated_at"])
    return ruleset
