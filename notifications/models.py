"""Durable notifications: the database is the truth, the WebSocket only a fast path."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; delivery preferences are kept per kind."""

    TASK_ASSIGNED = "task_assigned", _("Tugas baru untuk Anda")
    APPROVAL_REQUESTED = "approval_requested", _("Persetujuan diminta")
    RETURNED = "returned", _("Dikembalikan kepada Anda")
    STAGE_ADVANCED = "stage_advanced", _("Tahap maju")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik")
    DUE_SOON = "due_soon", _("Tenggat mendekat")
    OVERDUE = "overdue", _("Lewat tenggat")
    ESCALATED = "escalated", _("Eskalasi")
    # Not a notification of its own: the e-mail preference of the weekly deadline digest
    # (notifications.weekly). "off" stops it; any other mode sends it once a week.
    WEEKLY_DIGEST = "weekly_digest", _("Ringkasan tenggat mingguan")


class Notification(models.Model):
    """One message for one person. Ids only grow, so clients resume with `since=<last id>`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    innovation = models.ForeignKey(
        "mentoring.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inovasi"),
    )
    # The history entry that caused it (none for deadline reminders).
    event = models.ForeignKey(
        "workflow.CaseEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # For someone whose substitute (Plt./Plh., a mentor's substitute) is told as well: shown
    # in the inbox and pushed, never e-mailed nor sent to the webhook.
    inbox_only = models.BooleanField(_("hanya di kotak masuk"), default=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Replay (`id > since`) and the per-user list walk this index.
            models.Index(fields=["recipient", "id"], name="notification_recipient_id"),
            # The badge count only touches unread rows.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Segera")
    DAILY = "daily", _("Ringkasan harian")
    OFF = "off", _("Tidak")


# Without a stored preference: what needs the person's action comes at once, news once a day.
DEFAULT_EMAIL_MODE: dict[str, str] = {
    Kind.TASK_ASSIGNED: EmailMode.IMMEDIATE,
    Kind.APPROVAL_REQUESTED: EmailMode.IMMEDIATE,
    Kind.RETURNED: EmailMode.IMMEDIATE,
    Kind.STAGE_ADVANCED: EmailMode.DAILY,
    Kind.REJECTED: EmailMode.IMMEDIATE,
    Kind.WITHDRAWN: EmailMode.IMMEDIATE,
    Kind.DUE_SOON: EmailMode.DAILY,
    Kind.OVERDUE: EmailMode.IMMEDIATE,
    Kind.ESCALATED: EmailMode.IMMEDIATE,
    Kind.WEEKLY_DIGEST: EmailMode.IMMEDIATE,
}


class NotificationPreference(models.Model):
    """A person's e-mail choice for one kind; a missing row means DEFAULT_EMAIL_MODE."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique_kind")
        ]
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    DIGEST = "digest", _("Ringkasan harian")
    WEBHOOK = "webhook", _("Webhook")
    WEEKLY = "weekly", _("Ringkasan tenggat mingguan")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Dilewati")


class Delivery(models.Model):
    """One notification (or one day's digest) to send over one channel, tried until it is sent.

    Written in the same transaction as the notification, so a crash between commit and the
    task never loses it: stale pending rows are enqueued again by the timer.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    # One notification for e-mail and webhook; none for a digest (its ids are listed instead).
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # Daily digest: its day. Weekly deadline digest: the Monday of its ISO week.
    digest_date = models.DateField(_("tanggal ringkasan"), null=True, blank=True)
    notification_ids = models.JSONField(default=list, blank=True)
    # Weekly deadline digest: the cases as they stood when it was scheduled (a retry on
    # Wednesday still sends Monday's list).
    content = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # A worker holds the row until then; a crashed worker's claim simply expires.
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=models.Q(notification__isnull=False),
                name="delivery_once_per_channel",
            ),
            # The digest command may run many times a day: one digest per person per day.
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=models.Q(channel="digest"),
                name="delivery_one_digest_per_day",
            ),
            # One weekly deadline digest per person per ISO week (digest_date = its Monday).
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=models.Q(channel="weekly"),
                name="delivery_one_weekly_digest",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_pending",
            )
        ]
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} -> {self.recipient_id}: {self.status}"


class DeliveryAttempt(models.Model):
    """Every try of a delivery, successful or not (the audit trail of e-mail and webhooks)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("percobaan ke"))
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    ok = models.BooleanField(_("berhasil"))
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="delivery_attempt_once")
        ]
        verbose_name = _("percobaan pengiriman")
        verbose_name_plural = _("percobaan pengiriman")

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}: {'ok' if self.ok else self.error[:60]}"
