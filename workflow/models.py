"""The process record of a case and its history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from mentoring.models import Holder, Innovation, Stage
from mentoring.names import full_name

from .lifecycle import DEFAULT_SLA_DAYS, EventKind


class InnovationProcess(Process):
    """viewflow's process row for one innovation case."""

    innovation = models.OneToOneField(
        Innovation, on_delete=models.CASCADE, related_name="process", verbose_name=_("inovasi")
    )

    class Meta:
        verbose_name = _("proses inovasi")
        verbose_name_plural = _("proses inovasi")
        default_permissions = ("add", "change", "delete", "view", "manage")
        permissions = [
            ("verify_case", "Can verify innovation evidence"),
            ("close_case", "Can close an innovation case"),
        ]

    def __str__(self) -> str:
        return str(self.innovation_id)


class CaseEvent(models.Model):
    """One history entry: who did what to the case, when, and where it went."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The absent head or mentor the actor stood in for (a Plt./Plh. or a mentor's substitute):
    # shown as "<actor> a.n. <on_behalf_of>". Empty when they acted in their own right.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atas nama"),
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    action = models.CharField(_("aksi"), max_length=20, choices=EventKind.choices)
    from_stage = models.CharField(_("dari"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("ke"), max_length=20, choices=Stage.choices)
    comment = models.TextField(_("komentar"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["innovation", "at"])]
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")

    @property
    def actor_label(self) -> str:
        """Who acted, as the history shows it: "Name", or "Substitute a.n. Absent head"."""
        name = full_name(self.actor)
        if self.on_behalf_of_id is None:
            return name
        return gettext("%(actor)s a.n. %(absent)s") % {
            "actor": name,
            "absent": full_name(self.on_behalf_of),
        }


class ActionReceipt(models.Model):
    """An action taken with an idempotency key: a retry with the same key (a client that lost
    the answer) gets the same event back instead of acting again or a 409. Written in the
    action's transaction, so it exists exactly when the action committed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # What the key was first used for (case, action, comment, expected stage), hashed: the
    # same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="action_receipt_unique_key")
        ]


# --- deadlines (design section 6) -------------------------------------------------------------

DEFAULT_REMINDER_LEAD_DAYS = 2
DEFAULT_ESCALATION_GRACE_DAYS = 3


def _sla_field(stage: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        Stage(stage).label,
        default=DEFAULT_SLA_DAYS[stage],
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("Hari kerja."),
    )


class SlaPolicy(models.Model):
    """How many working days each stage and head gate may take in one programme year.

    One column per stage of lifecycle.STAGES, defaulting to its `days` (a test checks that
    they match). A change applies to stage visits that start afterwards: each visit stores its
    own due date.
    """

    year = models.PositiveIntegerField(_("tahun program"), unique=True)
    proposal = _sla_field(Stage.PROPOSAL)
    proposal_gate = _sla_field(Stage.PROPOSAL_GATE)
    mentoring = _sla_field(Stage.MENTORING)
    packaging = _sla_field(Stage.PACKAGING)
    packaging_gate = _sla_field(Stage.PACKAGING_GATE)
    verification = _sla_field(Stage.VERIFICATION)
    reporting = _sla_field(Stage.REPORTING)
    report_gate = _sla_field(Stage.REPORT_GATE)
    close = _sla_field(Stage.CLOSE)
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("pengingat (hari kerja sebelum tenggat)"),
        default=DEFAULT_REMINDER_LEAD_DAYS,
        validators=[MaxValueValidator(60)],
    )
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("eskalasi (hari kerja setelah tenggat)"),
        default=DEFAULT_ESCALATION_GRACE_DAYS,
        validators=[MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kebijakan tenggat")
        verbose_name_plural = _("kebijakan tenggat")

    def __str__(self) -> str:
        return str(self.year)

    def days_for(self, stage: str) -> int | None:
        """Working days allowed in `stage`; None for the end states (no clock)."""
        return getattr(self, stage) if stage in DEFAULT_SLA_DAYS else None


class StageCutoff(models.Model):
    """BRIDA's internal deadline for one stage of a year, worked back from the national
    reporting window's close: leave the stage `days_before_close` working days before it.
    A year without rows uses the lifecycle table's defaults (lifecycle.DEFAULT_CUTOFFS)."""

    year = models.PositiveIntegerField(_("tahun program"))
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    days_before_close = models.PositiveSmallIntegerField(
        _("hari kerja sebelum penjaringan ditutup"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Kosong: tahap ini tidak mengikuti jadwal nasional."),
    )

    class Meta:
        ordering = ["-year", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["year", "stage"], name="stagecutoff_one_per_stage")
        ]
        verbose_name = _("tenggat internal sebelum penjaringan")
        verbose_name_plural = _("tenggat internal sebelum penjaringan")

    def __str__(self) -> str:
        return f"{self.year} {self.get_stage_display()}: {self.days_before_close}"


class Holiday(models.Model):
    """A day off that the national calendar (`holidays`, ID) does not know: added by admins."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Libur daerah")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.LOCAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class StageVisit(models.Model):
    """One stay of a case in one stage (a return starts a new visit): its own clock.

    `due_date` is the last working day to act; the case counts as overdue from the next working
    day (workflow.deadlines). The reminder and escalation dates are fixed at entry;
    `next_alert_on` is the date of the next alert still to send, so the scan reads only the
    visits that have something to say today.

    `year` (the case's programme year) and the local days `entered_on` / `left_on` copy what
    the cycle-time figures group by, so they read one index instead of joining every visit of
    the year to its case and converting two timestamps per row (issue 14).
    """

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="visits", verbose_name=_("inovasi")
    )
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    holder = models.CharField(_("menunggu"), max_length=10, choices=Holder.choices)
    entered_at = models.DateTimeField(_("masuk"))
    left_at = models.DateTimeField(_("keluar"), null=True, blank=True)
    sla_days = models.PositiveSmallIntegerField(_("batas (hari kerja)"), null=True, blank=True)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    remind_on = models.DateField(_("tanggal pengingat"), null=True, blank=True)
    escalate_on = models.DateField(_("tanggal eskalasi"), null=True, blank=True)
    # The due date is the year's internal deadline before the national close (earlier than
    # the stage's own working days would give).
    national = models.BooleanField(_("tenggat nasional"), default=False)
    alerts_sent = models.PositiveSmallIntegerField(default=0)
    next_alert_on = models.DateField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, editable=False)
    entered_on = models.DateField(null=True, editable=False)
    left_on = models.DateField(null=True, editable=False)

    class Meta:
        ordering = ["entered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation"],
                condition=models.Q(left_at__isnull=True),
                name="stagevisit_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["innovation", "entered_at"], name="stagevisit_history"),
            # Overdue / due-before lists: only open visits are indexed.
            models.Index(
                fields=["due_date"],
                condition=models.Q(left_at__isnull=True),
                name="stagevisit_open_due",
            ),
            # The scan: open visits with an alert still to send.
            models.Index(
                fields=["next_alert_on"],
                condition=models.Q(left_at__isnull=True, next_alert_on__isnull=False),
                name="stagevisit_next_alert",
            ),
            # Cycle times: the finished visits of a year, grouped by stage and days.
            models.Index(
                fields=["year", "stage", "entered_on", "left_on"],
                condition=models.Q(left_on__isnull=False),
                name="stagevisit_cycle",
            ),
        ]
        verbose_name = _("kunjungan tahap")
        verbose_name_plural = _("kunjungan tahap")

    def __str__(self) -> str:
        return f"{self.innovation_id} {self.stage} -> {self.due_date}"

    def save(self, *args, **kwargs) -> None:
        # deadlines.new_visit sets the year without a query; other writers get it here.
        if self.year is None:
            self.year = self.innovation.year
        self.set_days()
        super().save(*args, **kwargs)

    def set_days(self) -> None:
        """Set `entered_on` and `left_on` from the timestamps (after either was moved)."""
        self.entered_on = timezone.localdate(self.entered_at)
        self.left_on = timezone.localdate(self.left_at) if self.left_at else None


class DeadlineAlert(models.Model):
    """One deadline alert sent for one visit: the unique key makes every scan idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Tenggat mendekat")
        OVERDUE = "overdue", _("Lewat tenggat")
        ESCALATED = "escalated", _("Eskalasi")

    visit = models.ForeignKey(StageVisit, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("dikirim"))
    recipients = models.PositiveIntegerField(_("jumlah penerima"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="deadlinealert_once")]
        verbose_name = _("peringatan tenggat")
        verbose_name_plural = _("peringatan tenggat")

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind}"
