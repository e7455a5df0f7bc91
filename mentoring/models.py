"""The domain: organisation units, people, mentor assignments, innovations, sessions, evidence."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow import fsm

from . import uploads


class Role(models.TextChoices):
    """Roles are Django groups of these names."""

    ADMIN = "admin", _("Admin BRIDA")
    MENTOR = "mentor", _("Pendamping")
    VERIFIER = "verifier", _("Verifikator")
    OPD_HEAD = "opd_head", _("Kepala OPD")
    OPD_OPERATOR = "opd_operator", _("Operator OPD")
    OBSERVER = "observer", _("Pengamat")


class UnitKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    RSUD = "rsud", _("RSUD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    BUMD = "bumd", _("BUMD")
    # Innovators beyond the offices, for Kukar's Pekan Inovasi (COMMUNITY_KINDS below).
    SEKOLAH = "sekolah", _("Sekolah")
    BUMDES = "bumdes", _("BUMDes")
    KELOMPOK = "kelompok", _("Kelompok masyarakat")


class PekanCategory(models.TextChoices):
    """The Pekan Inovasi category a proposer beyond the offices competes in."""

    SEKOLAH = "sekolah", _("Pelajar/sekolah")
    PETANI_NELAYAN = "petani_nelayan", _("Petani/nelayan")
    PEREMPUAN = "perempuan", _("Perempuan")
    DISABILITAS = "disabilitas", _("Penyandang disabilitas")
    PEMUDA = "pemuda", _("Pemuda")
    BUMDES = "bumdes", _("BUMDes")


# Proposers beyond the government offices (Kukar's Pekan Inovasi): their cases go through the
# same lifecycle, but they count neither for the regent's target (one new innovation per office
# a year) nor in the national IID (n, coverage, the submission). Every other kind is an office.
COMMUNITY_KINDS = (UnitKind.SEKOLAH, UnitKind.BUMDES, UnitKind.KELOMPOK)
OFFICE_KINDS = tuple(kind for kind in UnitKind if kind not in COMMUNITY_KINDS)


class Source(models.Model):
    """Where a rule comes from: a document, its decree number and page. Every yearly rule,
    band, indicator and calendar date names one, and the pages show it beside the rule."""

    key = models.SlugField(_("kode"), max_length=20, unique=True)
    document = models.CharField(_("dokumen"), max_length=300)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    page = models.CharField(_("halaman"), max_length=40, blank=True)
    url = models.URLField(_("tautan"), blank=True)
    confirmed = models.BooleanField(
        _("terkonfirmasi"),
        default=False,
        help_text=_("Dibaca dari dokumen resminya sendiri, bukan dari kutipan pihak lain."),
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("sumber aturan")
        verbose_name_plural = _("sumber aturan")

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """ "Document, number, p. N" as far as each is known."""
        parts = [self.document, self.number]
        if self.page:
            parts.append(_("hlm. %(page)s") % {"page": self.page})
        return ", ".join(part for part in parts if part)


class Region(models.Model):
    """A regency or city whose units innovate; its bounds check an innovation's location."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    # A bounding box in decimal degrees (south and west negative).
    lat_min = models.DecimalField(_("lintang minimum"), max_digits=9, decimal_places=6)
    lat_max = models.DecimalField(_("lintang maksimum"), max_digits=9, decimal_places=6)
    lon_min = models.DecimalField(_("bujur minimum"), max_digits=9, decimal_places=6)
    lon_max = models.DecimalField(_("bujur maksimum"), max_digits=9, decimal_places=6)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("daerah")
        verbose_name_plural = _("daerah")

    def __str__(self) -> str:
        return self.name

    def contains(self, latitude: Decimal, longitude: Decimal) -> bool:
        return (
            self.lat_min <= latitude <= self.lat_max and self.lon_min <= longitude <= self.lon_max
        )

    @classmethod
    def sole(cls) -> "Region | None":
        """The installation's region when it serves exactly one: new units belong to it."""
        regions = list(cls.objects.all()[:2])
        return regions[0] if len(regions) == 1 else None


class Unit(models.Model):
    """An organisation unit (OPD, kecamatan, puskesmas, ...) expected to innovate every year."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis unit"), max_length=20, choices=UnitKind.choices)
    # Set for the proposers beyond the offices (COMMUNITY_KINDS) only.
    category = models.CharField(
        _("kategori Pekan Inovasi"),
        max_length=20,
        choices=PekanCategory.choices,
        blank=True,
        help_text=_("Hanya untuk sekolah, BUMDes dan kelompok masyarakat."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("daerah"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        constraints = [
            # A proposer beyond the offices has a Pekan Inovasi category; an office has none.
            models.CheckConstraint(
                condition=(Q(kind__in=COMMUNITY_KINDS) & ~Q(category=""))
                | (~Q(kind__in=COMMUNITY_KINDS) & Q(category="")),
                name="unit_category_only_beyond_offices",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_office(self) -> bool:
        """A government office: counts for the regent's target and the national IID."""
        return self.kind not in COMMUNITY_KINDS

    def clean(self) -> None:
        if self.kind in COMMUNITY_KINDS and not self.category:
            raise ValidationError(
                {"category": _("Sekolah, BUMDes dan kelompok masyarakat wajib punya kategori.")}
            )
        if self.kind not in COMMUNITY_KINDS and self.category:
            raise ValidationError(
                {
                    "category": _(
                        "Kategori Pekan Inovasi hanya untuk pengusul di luar perangkat daerah."
                    )
                }
            )


class Membership(models.Model):
    """A person working in a unit, as its head or as an operator."""

    class Position(models.TextChoices):
        HEAD = "head", _("Kepala")
        OPERATOR = "operator", _("Operator")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("jabatan"), max_length=10, choices=Position.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="membership_unique_person"),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(position="head"), name="membership_one_head"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.position})"


class MentorAssignment(models.Model):
    """A mentor assigned to a unit for one programme year (one lead, optional co-mentors)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="mentor_assignments")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    year = models.PositiveIntegerField(_("tahun program"))
    is_lead = models.BooleanField(_("pendamping utama"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "mentor", "year"], name="assignment_unique_mentor"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=models.Q(is_lead=True),
                name="assignment_one_lead",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "year"])]


class Urusan(models.Model):
    """A government affair (urusan pemerintahan, UU 23/2014 art. 12): master data."""

    class Group(models.TextChoices):
        YANDAS = "wajib_dasar", _("Wajib, pelayanan dasar")
        WAJIB = "wajib_non_dasar", _("Wajib, non pelayanan dasar")
        PILIHAN = "pilihan", _("Pilihan")
        PENUNJANG = "penunjang", _("Fungsi penunjang")

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    group = models.CharField(_("kelompok"), max_length=20, choices=Group.choices)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("urusan pemerintahan")
        verbose_name_plural = _("urusan pemerintahan")

    def __str__(self) -> str:
        return self.name


class Measure(models.TextChoices):
    """What an indicator's parameters count, where the profile can check the chosen one."""

    BENEFICIARIES = "beneficiaries", _("Jumlah penerima manfaat")
    MONTHS_TO_ADOPT = "months_to_adopt", _("Bulan dari uji coba sampai penerapan")
    # Indicator 31 (replikasi): the replications recorded for the innovation (recognition app).
    REPLICATIONS = "replications", _("Jumlah replikasi tercatat")


class Indicator(models.Model):
    """An IID per-innovation indicator (16-35) of one year's ruleset: yearly master data."""

    year = models.PositiveIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("bobot"))
    mandatory = models.BooleanField(_("wajib"), default=False)
    parameter_1 = models.CharField(max_length=300, blank=True)
    parameter_2 = models.CharField(max_length=300, blank=True)
    parameter_3 = models.CharField(max_length=300, blank=True)
    evidence_hint = models.CharField(_("data dukung"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("terkonfirmasi"), default=False)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )
    # The evidence file's name in the national upload package: <number>-<short_name>-p<n>.
    short_name = models.SlugField(_("nama singkat"), max_length=40, blank=True)
    accepts_link = models.BooleanField(
        _("boleh berupa tautan"),
        default=False,
        help_text=_("Data dukung boleh tautan (video di YouTube, misalnya) sebagai ganti berkas."),
    )
    measure = models.CharField(
        _("ukuran yang dibandingkan"), max_length=20, choices=Measure.choices, blank=True
    )
    # Per parameter 1..3: [low, high] of `measure` (null: open-ended), for consistency hints.
    parameter_bounds = models.JSONField(_("batas parameter"), default=list, blank=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="indicator_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def parameter_meaning(self, parameter: int) -> str:
        """What choosing parameter 1, 2 or 3 means for this indicator."""
        return {1: self.parameter_1, 2: self.parameter_2, 3: self.parameter_3}.get(parameter, "")

    def parameter_for(self, value: float) -> int | None:
        """The parameter whose bounds hold `value` (None when no bounds or none fits)."""
        for parameter, (low, high) in enumerate(self.parameter_bounds, 1):
            if (low is None or value >= low) and (high is None or value <= high):
                return parameter
        return None


class SubmissionRules(models.Model):
    """What one year's national measurement accepts: yearly master data with its source."""

    year = models.PositiveIntegerField(_("tahun"), unique=True)
    min_words = models.PositiveSmallIntegerField(
        _("minimal kata rancang bangun"), default=300, help_text=_("Seluruh rancang bangun.")
    )
    min_section_words = models.PositiveSmallIntegerField(
        _("minimal kata per bagian rancang bangun"), default=0
    )
    implemented_from = models.DateField(
        _("diterapkan paling awal"), null=True, blank=True, help_text=_("Awal jendela kelayakan.")
    )
    implemented_until = models.DateField(
        _("diterapkan paling akhir"), null=True, blank=True, help_text=_("Akhir jendela kelayakan.")
    )
    max_reports = models.PositiveSmallIntegerField(
        _("batas berapa kali dilaporkan"),
        null=True,
        blank=True,
        help_text=_(
            "Berapa kali satu inovasi boleh dilaporkan ke pengukuran IID (kosong: tanpa batas)."
        ),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )
    confirmed = models.BooleanField(_("terkonfirmasi"), default=False)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("aturan pengajuan IID")
        verbose_name_plural = _("aturan pengajuan IID")

    def __str__(self) -> str:
        return str(self.year)


class Milestone(models.Model):
    """One date range of a year's national calendar (and Kukar's own Pekan Inovasi)."""

    class Kind(models.TextChoices):
        REPORTING = "reporting", _("Penjaringan (pelaporan) IID")
        VERIFICATION = "verification", _("Verifikasi dan validasi teknis")
        PRESENTATION = "presentation", _("Paparan kepala daerah")
        FIELD_VALIDATION = "field_validation", _("Validasi lapangan")
        AWARD = "award", _("Penganugerahan")
        PEKAN_INOVASI = "pekan_inovasi", _("Pekan Inovasi daerah")

    year = models.PositiveIntegerField(_("tahun"))
    kind = models.CharField(_("kegiatan"), max_length=20, choices=Kind.choices)
    starts = models.DateField(
        _("mulai"), null=True, blank=True, help_text=_("Kosong: belum diketahui.")
    )
    ends = models.DateField(
        _("selesai"), help_text=_("Hari terakhir (sama dengan mulai untuk satu hari).")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "ends"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="milestone_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(starts__isnull=True) | models.Q(ends__gte=models.F("starts")),
                name="milestone_ends_after_start",
            ),
        ]
        verbose_name = _("jadwal nasional")
        verbose_name_plural = _("jadwal nasional")

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class NationalPriority(models.Model):
    """A national priority an innovation may serve (Asta Cita missions, yearly themes)."""

    class Kind(models.TextChoices):
        ASTA_CITA = "asta_cita", _("Asta Cita")
        THEME = "theme", _("Inovasi tematik")

    year = models.PositiveIntegerField(_("tahun"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=300)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sumber")
    )

    class Meta:
        ordering = ["year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "number"], name="priority_unique_number"
            )
        ]
        verbose_name = _("prioritas nasional")
        verbose_name_plural = _("prioritas nasional")

    def __str__(self) -> str:
        if self.kind == self.Kind.ASTA_CITA:
            return _("Asta Cita %(n)d: %(name)s") % {"n": self.number, "name": self.name}
        return str(self.name)


class Bentuk(models.TextChoices):
    TATA_KELOLA = "tata_kelola", _("Inovasi tata kelola pemerintahan daerah")
    PELAYANAN_PUBLIK = "pelayanan_publik", _("Inovasi pelayanan publik")
    LAINNYA = "lainnya", _("Inovasi daerah lainnya sesuai urusan pemerintahan")


class Jenis(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    NON_DIGITAL = "non_digital", _("Non-digital")


class Inisiator(models.TextChoices):
    KEPALA_DAERAH = "kepala_daerah", _("Kepala daerah")
    DPRD = "dprd", _("Anggota DPRD")
    ASN = "asn", _("ASN")
    PERANGKAT_DAERAH = "perangkat_daerah", _("Perangkat daerah")
    MASYARAKAT = "masyarakat", _("Masyarakat")


class Maturity(models.TextChoices):
    """Tahapan inovasi: inisiatif -> uji coba -> penerapan."""

    INISIATIF = "inisiatif", _("Inisiatif")
    UJI_COBA = "uji_coba", _("Uji coba")
    PENERAPAN = "penerapan", _("Penerapan")


class Stage(models.TextChoices):
    """Where a case stands in the lifecycle; kept on the innovation so lists can filter on it."""

    PROPOSAL = "proposal", _("Usulan")
    PROPOSAL_GATE = "proposal_gate", _("Persetujuan usulan")
    MENTORING = "mentoring", _("Pendampingan")
    PACKAGING = "packaging", _("Pengemasan")
    PACKAGING_GATE = "packaging_gate", _("Persetujuan pengemasan")
    VERIFICATION = "verification", _("Verifikasi")
    REPORTING = "reporting", _("Pelaporan")
    REPORT_GATE = "report_gate", _("Persetujuan laporan")
    CLOSE = "close", _("Penutupan")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik")


class Holder(models.TextChoices):
    """Who the case waits for now."""

    OPD = "opd", _("OPD")
    HEAD = "head", _("Kepala OPD")
    MENTOR = "mentor", _("Pendamping")
    VERIFIER = "verifier", _("Verifikator")
    ADMIN = "admin", _("Admin BRIDA")
    NONE = "none", _("Tidak ada")


# The rancang bangun's sections, in the national form's order.
RANCANG_BANGUN_SECTIONS = (
    "dasar_hukum",
    "permasalahan",
    "isu_strategis",
    "metode_pembaharuan",
    "keunggulan",
    "tahapan_penggunaan",
)

# A case has ended in these; every other stage is open (in lifecycle order, as Stage lists them).
# A rejected or withdrawn case does not count for a unit's yearly target.
CANCELLED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)
ENDED_STAGES = (Stage.DONE, *CANCELLED_STAGES)
OPEN_STAGES = [stage for stage in Stage if stage not in ENDED_STAGES]
# A case in these has passed BRIDA's verification: its evidence counts for the IID estimate
# and it is ready for the national portal (the lifecycle test checks it against the table).
VERIFIED_STAGES = (Stage.REPORTING, Stage.REPORT_GATE, Stage.CLOSE, Stage.DONE)


def _has_trial_date(innovation: "Innovation") -> bool:
    return innovation.trial_date is not None


def _implementation_not_before_trial(innovation: "Innovation") -> bool:
    return (
        innovation.implementation_date is not None
        and innovation.trial_date is not None
        and innovation.implementation_date >= innovation.trial_date
    )


class Innovation(models.Model):
    """An innovation of a unit in a programme year: the IID profile and the case's position."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="innovations")
    year = models.PositiveIntegerField(_("tahun program"))
    name = models.CharField(_("nama inovasi"), max_length=255)
    bentuk = models.CharField(_("bentuk inovasi"), max_length=20, choices=Bentuk.choices)
    jenis = models.CharField(_("jenis inovasi"), max_length=20, choices=Jenis.choices)
    inisiator = models.CharField(_("inisiator"), max_length=20, choices=Inisiator.choices)
    inisiator_name = models.CharField(_("nama inisiator"), max_length=200, blank=True)
    main_urusan = models.ForeignKey(
        Urusan,
        on_delete=models.PROTECT,
        related_name="main_innovations",
        verbose_name=_("urusan utama"),
    )
    related_urusan = models.ManyToManyField(
        Urusan, blank=True, related_name="related_innovations", verbose_name=_("urusan terkait")
    )
    trial_date = models.DateField(_("waktu uji coba"), null=True, blank=True)
    implementation_date = models.DateField(_("waktu penerapan"), null=True, blank=True)
    # Rancang bangun, in the national form's six sections (RANCANG_BANGUN_SECTIONS).
    dasar_hukum = models.TextField(_("dasar hukum"), blank=True)
    permasalahan = models.TextField(_("permasalahan"), blank=True)
    isu_strategis = models.TextField(_("isu strategis"), blank=True)
    metode_pembaharuan = models.TextField(_("metode pembaharuan"), blank=True)
    keunggulan = models.TextField(_("keunggulan dan kebaharuan"), blank=True)
    tahapan_penggunaan = models.TextField(_("tahapan penggunaan"), blank=True)
    tujuan = models.TextField(_("tujuan"), blank=True)
    manfaat = models.TextField(_("manfaat"), blank=True)
    hasil = models.TextField(_("hasil inovasi"), blank=True)
    budget = models.DecimalField(
        _("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    perkembangan = models.TextField(
        _("perkembangan inovasi"),
        blank=True,
        help_text=_("Apa yang berubah sejak inovasi ini terakhir dilaporkan."),
    )
    latitude = models.DecimalField(
        _("lintang lokasi"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur lokasi"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    priorities = models.ManyToManyField(
        NationalPriority,
        blank=True,
        related_name="innovations",
        verbose_name=_("prioritas nasional"),
    )
    reported_before = models.PositiveSmallIntegerField(
        _("sudah dilaporkan sebelumnya"),
        default=0,
        help_text=_("Berapa kali inovasi ini sudah dilaporkan ke pengukuran IID tahun-tahun lalu."),
    )
    # The same innovation's case of an earlier year that this one continues ("lanjutan"); each
    # case is continued at most once, so an innovation's years form one chain.
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("melanjutkan kasus"),
    )
    # Final report (pelaporan)
    report_results = models.TextField(_("hasil akhir"), blank=True)
    report_beneficiaries = models.PositiveIntegerField(
        _("jumlah penerima manfaat"), null=True, blank=True
    )
    report_national_ref = models.CharField(
        _("nomor/tautan laporan sistem nasional"), max_length=255, blank=True
    )

    maturity = models.CharField(
        _("tahapan"), max_length=20, choices=Maturity.choices, default=Maturity.INISIATIF
    )

    stage = models.CharField(
        _("tahap"), max_length=20, choices=Stage.choices, default=Stage.PROPOSAL, db_index=True
    )
    awaiting = models.CharField(
        _("menunggu"), max_length=10, choices=Holder.choices, default=Holder.OPD, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # PostgreSQL's text-search vector of the texts above, kept by a trigger (migration 0006)
    # and searched through its GIN index; always empty on SQLite, which searches by substring.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["year", "unit"]),
            models.Index(fields=["year", "stage"]),
            # The list's order (newest year first, then newest case): a page is read off the
            # index, at any size (issue 14).
            models.Index(fields=["-year", "-id"], name="innovation_list_order"),
            # The same for the open cases alone: the overdue list reads these, not the ended
            # cases of every past year (workflow.selectors).
            models.Index(
                fields=["-year", "-id"],
                condition=~models.Q(stage__in=ENDED_STAGES),
                name="innovation_open_list_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["continues"], name="innovation_continued_once"),
        ]
        permissions = [("act_as_admin", "Can administer every innovation case")]

    def __str__(self) -> str:
        return self.name

    # The maturity machine (viewflow.fsm) stored in `maturity`; the guards are conditions.
    maturity_state = fsm.State(Maturity, default=Maturity.INISIATIF)

    @maturity_state.setter()
    def _set_maturity(self, value: str) -> None:
        self.maturity = value

    @maturity_state.getter()
    def _get_maturity(self) -> str:
        return self.maturity

    @maturity_state.transition(
        source=Maturity.INISIATIF, target=Maturity.UJI_COBA, conditions=[_has_trial_date]
    )
    def start_trial(self) -> None:
        """Inisiatif -> uji coba."""

    @maturity_state.transition(
        source=Maturity.UJI_COBA,
        target=Maturity.PENERAPAN,
        conditions=[_has_trial_date, _implementation_not_before_trial],
    )
    def start_implementation(self) -> None:
        """Uji coba -> penerapan."""

    def maturity_errors(self, target: str) -> dict[str, str]:
        """The guards of the maturity machine, as field errors (empty when the move may go)."""
        errors: dict[str, str] = {}
        if target in (Maturity.UJI_COBA, Maturity.PENERAPAN) and not _has_trial_date(self):
            errors["trial_date"] = str(_("Waktu uji coba wajib diisi sebelum tahap uji coba."))
        if target == Maturity.PENERAPAN and not _implementation_not_before_trial(self):
            errors["implementation_date"] = str(
                _("Waktu penerapan wajib diisi dan tidak boleh sebelum waktu uji coba.")
            )
        return errors

    def clean(self) -> None:
        if (
            self.trial_date
            and self.implementation_date
            and self.implementation_date < self.trial_date
        ):
            raise ValidationError(
                {"implementation_date": _("Waktu penerapan tidak boleh sebelum waktu uji coba.")}
            )

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_continuation(self) -> bool:
        """A continued innovation: the next year's case of an innovation reported before."""
        return self.continues_id is not None

    @classmethod
    def field_label(cls, name: str) -> str:
        """A field's label (its verbose name), or the name itself for what is not a field."""
        try:
            field = cls._meta.get_field(name)
        except FieldDoesNotExist:
            return name
        return str(getattr(field, "verbose_name", name))

    @property
    def rancang_bangun(self) -> str:
        """The six sections as one text, each under its title (search, exports, package)."""
        return "\n\n".join(
            f"{self.field_label(name)}\n{getattr(self, name).strip()}"
            for name in RANCANG_BANGUN_SECTIONS
            if getattr(self, name).strip()
        )

    def section_words(self) -> dict[str, int]:
        return {name: len(getattr(self, name).split()) for name in RANCANG_BANGUN_SECTIONS}

    @property
    def rancang_bangun_words(self) -> int:
        return sum(self.section_words().values())


class MentoringSession(models.Model):
    """A mentoring session (sesi pendampingan) logged by the mentor."""

    class Mode(models.TextChoices):
        TATAP_MUKA = "tatap_muka", _("Tatap muka")
        DARING = "daring", _("Daring")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="sessions")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    mode = models.CharField(_("cara"), max_length=12, choices=Mode.choices)
    topic = models.CharField(_("topik"), max_length=255)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]


class FollowUp(models.Model):
    """A follow-up item (tindak lanjut) agreed in a session."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("tindak lanjut"), max_length=300)
    due_date = models.DateField(_("tenggat"))
    done = models.BooleanField(_("selesai"), default=False)
    # Who ticked it done and when (empty again when it is reopened).
    done_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )

    class Meta:
        ordering = ["due_date", "id"]


class SessionAttendee(models.Model):
    """Someone who took part in a mentoring session (peserta sesi): a name and a role."""

    NAME_MAX_LENGTH = 150
    ROLE_MAX_LENGTH = 150

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("nama"), max_length=NAME_MAX_LENGTH)
    role = models.CharField(_("peran/jabatan"), max_length=ROLE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


def case_upload_to(instance: "Attachment | EvidenceItem | SessionFile", filename: str) -> str:
    return f"cases/{instance.innovation.year}/{instance.innovation_id}/{filename}"


class CaseFile(models.Model):
    """A private uploaded file of a case, checked by content and served only to its viewers.

    (An evidence item given as a link has no file: the file fields stay empty.)
    """

    file = models.FileField(_("berkas"), upload_to=case_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def download_name(self) -> str:
        """Shown and downloaded as: the person's name with the extension of the content."""
        return uploads.display_name(self.original_name, self.content_type)


class Attachment(CaseFile):
    """A profile attachment: budget document, business profile, IPR certificate, award."""

    class Kind(models.TextChoices):
        ANGGARAN = "anggaran", _("Dokumen anggaran")
        PROFIL_BISNIS = "profil_bisnis", _("Profil bisnis")
        HKI = "hki", _("Dokumen HKI")
        PENGHARGAAN = "penghargaan", _("Penghargaan")
        LAINNYA = "lainnya", _("Lainnya")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("jenis lampiran"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "id"]


class SessionFile(CaseFile):
    """A photo or document of a mentoring session (foto/berkas sesi), checked by content like
    evidence and served only to the case's viewers."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="session_files"
    )
    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="files")

    class Meta:
        ordering = ["id"]

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


LINK_MAX_LENGTH = 500

# An indicator's parameters: 1, 2 or 3 (each indicator says what each one means).
PARAMETERS = [(1, "1"), (2, "2"), (3, "3")]


class EvidenceItem(CaseFile):
    """Data dukung: one file, or a link where the indicator accepts one (the video), supporting
    the chosen parameter of one IID indicator."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Tidak valid")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    parameter = models.PositiveSmallIntegerField(_("parameter"), choices=PARAMETERS)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    link = models.URLField(_("tautan"), max_length=LINK_MAX_LENGTH, blank=True)
    review = models.CharField(
        _("hasil verifikasi"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_note = models.TextField(_("catatan verifikasi"), blank=True)
    # Verification confirms or lowers the chosen parameter; null until the item is found valid.
    verified_parameter = models.PositiveSmallIntegerField(
        _("parameter terverifikasi"), choices=PARAMETERS, null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator__number", "id"]


# --- substitutes (Plt./Plh., a mentor on leave) ------------------------------------------------


class Substitution(models.Model):
    """Someone standing in for an absent person over a range of dates (WITA, both inclusive):
    a Plt./Plh. for a unit's head, or a mentor taking over a mentor's assignment (unit and
    programme year) while they are on leave.

    The dates alone decide when it is in force (`in_force`): it starts and ends by itself, no job
    runs. Ending it early stamps `ended_at`. Names and checks go through
    mentoring.substitutions (who may name whom); people.actor_for gives the substitute the
    absent person's powers while it is in force.
    """

    class Kind(models.TextChoices):
        PLT = "plt", _("Plt. (pelaksana tugas) kepala")
        PLH = "plh", _("Plh. (pelaksana harian) kepala")
        MENTOR_LEAVE = "mentor_leave", _("Pengganti pendamping (cuti)")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="substitutions", verbose_name=_("unit")
    )
    # Mentor leave: the programme year of the assignment taken over (none for a head).
    year = models.PositiveIntegerField(_("tahun program"), null=True, blank=True)
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("yang digantikan"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="substitutions",
        verbose_name=_("pengganti"),
    )
    starts = models.DateField(_("mulai"))
    ends = models.DateField(_("sampai"), help_text=_("Hari terakhir (termasuk)."))
    note = models.CharField(
        _("keterangan"),
        max_length=300,
        blank=True,
        help_text=_("Misalnya nomor surat perintah atau alasan."),
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditunjuk oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    ended_at = models.DateTimeField(_("diakhiri"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diakhiri oleh"),
    )

    class Meta:
        ordering = ["starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")),
                name="substitution_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(substitute=models.F("absent")),
                name="substitution_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="mentor_leave", year__isnull=False)
                | models.Q(kind__in=["plt", "plh"], year__isnull=True),
                name="substitution_year_for_mentor_leave",
            ),
        ]
        indexes = [
            # actor_for: what the person stands in for today.
            models.Index(fields=["substitute", "ends"], name="substitution_substitute"),
            # CasePeople: who stands in for a unit's head or mentors today.
            models.Index(fields=["unit", "ends"], name="substitution_unit"),
        ]
        verbose_name = _("pengganti (Plt./Plh.)")
        verbose_name_plural = _("pengganti (Plt./Plh.)")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.substitute} a.n. {self.absent} ({self.unit})"

    @property
    def for_head(self) -> bool:
        return self.kind in SUBSTITUTE_HEAD_KINDS

    def is_in_force(self, on) -> bool:
        return self.ended_at is None and self.starts <= on <= self.ends

    @classmethod
    def in_force(cls, on) -> models.Q:
        """The substitutions in force on the (WITA) date `on`, as a filter."""
        return models.Q(ended_at__isnull=True, starts__lte=on, ends__gte=on)


SUBSTITUTE_HEAD_KINDS = (Substitution.Kind.PLT, Substitution.Kind.PLH)
