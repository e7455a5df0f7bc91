"""Yearly IID rulesets (aturan penilaian): every number of the formula is data, never code.

The per-innovation indicators 16-35 and their weights live in mentoring.Indicator (also yearly);
a Ruleset holds the rest: the divisor minimum, the jumlah-inovasi formula, the basic-service
(yandas) coverage rule, the maxima, the predicate thresholds and the SPD score the admin enters.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import Indicator, Innovation, Source

YANDAS_AFFAIRS = 6  # UU 23/2014 art. 12: six basic-service affairs

_score: dict[str, Any] = {"max_digits": 7, "decimal_places": 2}
_nonnegative = [MinValueValidator(Decimal("0"))]


class Ruleset(models.Model):
    """The scoring rules of one year (aturan penilaian IID per tahun)."""

    year = models.PositiveIntegerField(_("tahun"), unique=True)
    divisor_minimum = models.PositiveSmallIntegerField(
        _("pembagi minimum (k)"),
        validators=[MinValueValidator(1)],
        help_text=_("Jumlah skor inovasi dibagi MAX(k, n)."),
    )
    jumlah_coefficient = models.DecimalField(
        _("koefisien jumlah inovasi"),
        max_digits=6,
        decimal_places=3,
        validators=_nonnegative,
        help_text=_("Skor jumlah inovasi = koefisien x MIN(n, batas)."),
    )
    jumlah_cap = models.PositiveIntegerField(_("batas jumlah inovasi dihitung"))
    spd_max = models.DecimalField(_("maksimum SPD"), validators=_nonnegative, **_score)
    sid_indicator_max = models.DecimalField(
        _("maksimum indikator SID (16-35)"), validators=_nonnegative, **_score
    )
    jumlah_max = models.DecimalField(
        _("maksimum jumlah inovasi"), validators=_nonnegative, **_score
    )
    total_max = models.DecimalField(
        _("maksimum total"), validators=[MinValueValidator(Decimal("0.01"))], **_score
    )
    yandas_min_covered = models.PositiveSmallIntegerField(
        _("minimum urusan pelayanan dasar tercakup"),
        validators=[MaxValueValidator(YANDAS_AFFAIRS)],
        help_text=_("Di bawah jumlah ini skor jumlah inovasi = 0 (dari 6 urusan yandas)."),
    )
    coverage_counts_related = models.BooleanField(
        _("urusan terkait ikut dihitung"),
        default=False,
        help_text=_("Jika tidak dicentang, hanya urusan utama inovasi yang menghitung cakupan."),
    )
    spd_score = models.DecimalField(
        _("skor SPD (diisi admin)"), null=True, blank=True, validators=_nonnegative, **_score
    )
    confirmed = models.BooleanField(_("terkonfirmasi"), default=False)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )
    note = models.TextField(
        _("catatan"), blank=True, help_text=_("Sumber nilai dan apa yang belum terkonfirmasi.")
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("aturan penilaian IID")
        verbose_name_plural = _("aturan penilaian IID")

    def __str__(self) -> str:
        return f"IID {self.year}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        parts = (self.spd_max, self.sid_indicator_max, self.jumlah_max, self.total_max)
        if None not in parts and self.spd_max + self.sid_indicator_max + self.jumlah_max != (
            self.total_max
        ):
            errors["total_max"] = _(
                "Maksimum total harus sama dengan maksimum SPD + indikator SID + jumlah inovasi."
            )
        if (
            self.spd_score is not None
            and self.spd_max is not None
            and self.spd_score > (self.spd_max)
        ):
            errors["spd_score"] = _("Skor SPD tidak boleh melebihi maksimum SPD (%s).") % (
                self.spd_max
            )
        if errors:
            raise ValidationError(errors)


class PredicateThreshold(models.Model):
    """One predicate band of a year: name and inclusive IID bounds (two decimals)."""

    ruleset = models.ForeignKey(Ruleset, on_delete=models.CASCADE, related_name="thresholds")
    name = models.CharField(_("predikat"), max_length=60)
    lower = models.DecimalField(
        _("batas bawah"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    upper = models.DecimalField(
        _("batas atas"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )

    class Meta:
        ordering = ["ruleset", "lower"]
        verbose_name = _("ambang predikat")
        verbose_name_plural = _("ambang predikat")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "name"], name="threshold_unique_name"),
            models.CheckConstraint(
                condition=models.Q(lower__lte=models.F("upper")), name="threshold_lower_le_upper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lower}-{self.upper})"

    def clean(self) -> None:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValidationError({"upper": _("Batas atas tidak boleh di bawah batas bawah.")})


class NationalStatus(models.TextChoices):
    """An innovation's status in the ministry's result (hasil pengukuran nasional)."""

    ASSESSED = "dinilai", _("Dinilai")
    NOMINATED = "nominasi", _("Nominasi")
    NOT_ASSESSED = "tidak_dinilai", _("Tidak dinilai")


class NationalResult(models.Model):
    """The ministry's result of one year for the regency (hasil pengukuran IID nasional).

    The figures are optional so the per-innovation results (the validation results come out
    before the decree) can be recorded first; the decree fields are filled when it is out.
    """

    year = models.PositiveIntegerField(_("tahun"), unique=True)
    spd = models.DecimalField(
        _("skor SPD nasional"), null=True, blank=True, validators=_nonnegative, **_score
    )
    final_iid = models.DecimalField(
        _("IID final"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    predicate = models.CharField(_("predikat"), max_length=60, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diisi oleh"),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("hasil IID nasional")
        verbose_name_plural = _("hasil IID nasional")

    def __str__(self) -> str:
        return _("Hasil IID nasional %d") % self.year


class InnovationResult(models.Model):
    """One innovation's national result: its score and status (per-indicator parameters in
    IndicatorResult)."""

    national_result = models.ForeignKey(
        NationalResult, on_delete=models.CASCADE, related_name="innovations"
    )
    innovation = models.ForeignKey(
        Innovation,
        on_delete=models.PROTECT,
        related_name="national_results",
        verbose_name=_("inovasi"),
    )
    score = models.DecimalField(_("skor nasional"), validators=_nonnegative, **_score)
    status = models.CharField(_("status nasional"), max_length=20, choices=NationalStatus.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diisi oleh"),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["national_result", "innovation"]
        verbose_name = _("hasil nasional inovasi")
        verbose_name_plural = _("hasil nasional inovasi")
        constraints = [
            models.UniqueConstraint(
                fields=["national_result", "innovation"], name="innovation_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} ({self.score})"


class IndicatorResult(models.Model):
    """The parameter (1-3) the national verifiers set for one indicator of one innovation;
    an indicator without a row scored nothing nationally."""

    innovation_result = models.ForeignKey(
        InnovationResult, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indikator")
    )
    parameter = models.PositiveSmallIntegerField(
        _("parameter nasional"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["innovation_result", "indicator__number"]
        verbose_name = _("parameter nasional indikator")
        verbose_name_plural = _("parameter nasional indikator")
        constraints = [
            models.UniqueConstraint(
                fields=["innovation_result", "indicator"], name="indicator_result_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(parameter__gte=1, parameter__lte=3),
                name="indicator_result_parameter_1_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.number}: {self.parameter}"
