"""What happens to an innovation after it is implemented: who replicated it (indicator 31),
the awards it won and its HKI (intellectual property) filings, and the "inovasi unggulan" the
regional head presents nationally; with the yearly award points of heads' performance
agreements as master data.

An app of its own beside `mentoring` (it imports only mentoring and core): these are domain
facts about an innovation, but they are recorded at any time in its life, outside the case's
lifecycle, and keep their own migrations and yearly data apart from the case model.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import LINK_MAX_LENGTH, CaseFile, Innovation, Source, Unit


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    PROVINCIAL = "provincial", _("Provinsi")
    REGENCY = "regency", _("Kabupaten")


class RecognitionYear(models.Model):
    """One year's award points for heads' performance agreements (national / provincial /
    regency) and how many "inovasi unggulan" the year's presentation takes: yearly master
    data, edited by admins."""

    year = models.PositiveIntegerField(_("tahun"), unique=True)
    points_national = models.PositiveSmallIntegerField(_("poin penghargaan nasional"))
    points_provincial = models.PositiveSmallIntegerField(_("poin penghargaan provinsi"))
    points_regency = models.PositiveSmallIntegerField(_("poin penghargaan kabupaten"))
    featured_limit = models.PositiveSmallIntegerField(
        _("batas inovasi unggulan"),
        default=1,
        help_text=_("Berapa inovasi unggulan yang dipaparkan kepala daerah tahun ini."),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("aturan penghargaan tahunan")
        verbose_name_plural = _("aturan penghargaan tahunan")

    def __str__(self) -> str:
        return str(self.year)

    def points_for(self, level: str) -> int:
        return {
            AwardLevel.NATIONAL: self.points_national,
            AwardLevel.PROVINCIAL: self.points_provincial,
            AwardLevel.REGENCY: self.points_regency,
        }[AwardLevel(level)]


class Replication(CaseFile):
    """A unit that took the innovation over: a unit of the regency, or an agency of another
    region (by name); with its date and evidence (a file, or a link)."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="replications"
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit yang mereplikasi"),
    )
    region_name = models.CharField(_("daerah lain"), max_length=200, blank=True)
    replicator_name = models.CharField(_("instansi yang mereplikasi"), max_length=200, blank=True)
    date = models.DateField(_("tanggal replikasi"))
    link = models.URLField(_("tautan bukti"), max_length=LINK_MAX_LENGTH, blank=True)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("replikasi")
        verbose_name_plural = _("replikasi")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False) & models.Q(region_name=""))
                | (models.Q(unit__isnull=True) & ~models.Q(region_name="")),
                name="replication_unit_or_region",
            ),
            models.UniqueConstraint(
                fields=["innovation", "unit"],
                condition=models.Q(unit__isnull=False),
                name="replication_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.replicator_label

    @property
    def replicator_label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return ", ".join(part for part in (self.replicator_name, self.region_name) if part)


class Award(CaseFile):
    """An award the innovation won: level, rank, year, name and giver, with evidence."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    level = models.CharField(_("tingkat"), max_length=12, choices=AwardLevel.choices)
    rank = models.CharField(_("peringkat"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("tahun penghargaan"))
    name = models.CharField(_("nama penghargaan"), max_length=200)
    giver = models.CharField(_("pemberi"), max_length=200)
    link = models.URLField(_("tautan bukti"), max_length=LINK_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class HkiKind(models.TextChoices):
    HAK_CIPTA = "hak_cipta", _("Hak cipta")
    PATEN = "paten", _("Paten")
    PATEN_SEDERHANA = "paten_sederhana", _("Paten sederhana")
    MEREK = "merek", _("Merek")
    DESAIN_INDUSTRI = "desain_industri", _("Desain industri")
    RAHASIA_DAGANG = "rahasia_dagang", _("Rahasia dagang")


class HkiStatus(models.TextChoices):
    FILED = "filed", _("Diajukan")
    GRANTED = "granted", _("Terdaftar / diberikan")
    REFUSED = "refused", _("Ditolak")


class HkiFiling(CaseFile):
    """An intellectual-property (HKI) filing for the innovation; the certificate optional."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="hki_filings")
    kind = models.CharField(_("jenis HKI"), max_length=20, choices=HkiKind.choices)
    number = models.CharField(_("nomor permohonan/pencatatan"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=HkiStatus.choices)
    date = models.DateField(_("tanggal"))
    link = models.URLField(_("tautan bukti"), max_length=LINK_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("HKI")
        verbose_name_plural = _("HKI")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class FeaturedInnovation(models.Model):
    """An "inovasi unggulan": the innovation the regional head presents in the year's
    national presentations, picked by an admin (at most the year's `featured_limit`)."""

    year = models.PositiveIntegerField(_("tahun"))
    innovation = models.ForeignKey(
        Innovation, on_delete=models.PROTECT, related_name="featured", verbose_name=_("inovasi")
    )
    presentation_date = models.DateField(_("tanggal paparan"))
    note = models.CharField(_("tema/catatan"), max_length=300, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    picked_at = models.DateTimeField(_("dipilih pada"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "presentation_date", "id"]
        verbose_name = _("inovasi unggulan")
        verbose_name_plural = _("inovasi unggulan")
        constraints = [
            models.UniqueConstraint(fields=["year", "innovation"], name="featured_unique_pick")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.innovation}"
