"""The domain: organisation units, people, mentor assignments, innovations, sessions, evidence."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow import fsm


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


class Unit(models.Model):
    """An organisation unit (OPD, kecamatan, puskesmas, ...) expected to innovate every year."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis unit"), max_length=20, choices=UnitKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="indicator_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


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


# A case has ended in these; every other stage is open (in lifecycle order, as Stage lists them).
# A rejected or withdrawn case does not count for a unit's yearly target.
CANCELLED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)
ENDED_STAGES = (Stage.DONE, *CANCELLED_STAGES)
OPEN_STAGES = [stage for stage in Stage if stage not in ENDED_STAGES]


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
    rancang_bangun = models.TextField(_("rancang bangun"), blank=True)
    tujuan = models.TextField(_("tujuan"), blank=True)
    manfaat = models.TextField(_("manfaat"), blank=True)
    hasil = models.TextField(_("hasil inovasi"), blank=True)
    budget = models.DecimalField(
        _("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
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
    def rancang_bangun_words(self) -> int:
        return len(self.rancang_bangun.split())


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

    class Meta:
        ordering = ["due_date", "id"]


def case_upload_to(instance: "Attachment | EvidenceItem", filename: str) -> str:
    return f"cases/{instance.innovation.year}/{instance.innovation_id}/{filename}"


class CaseFile(models.Model):
    """A private uploaded file of a case, checked by content and served only to its viewers."""

    file = models.FileField(_("berkas"), upload_to=case_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


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


# An indicator's parameters: 1, 2 or 3 (each indicator says what each one means).
PARAMETERS = [(1, "1"), (2, "2"), (3, "3")]


class EvidenceItem(CaseFile):
    """Data dukung: one file supporting the chosen parameter of one IID indicator."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Tidak valid")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    parameter = models.PositiveSmallIntegerField(_("parameter"), choices=PARAMETERS)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
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
