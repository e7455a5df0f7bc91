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
