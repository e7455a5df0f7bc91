"""The download log: one row per file, export or package someone downloaded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import Innovation


class DownloadKind(models.TextChoices):
    EVIDENCE = "evidence", _("Berkas data dukung")
    ATTACHMENT = "attachment", _("Lampiran profil")
    SESSION_FILE = "session_file", _("Berkas sesi pendampingan")
    EXPORT = "export", _("Ekspor laporan (CSV/XLSX)")
    YEARLY_REPORT = "yearly_report", _("Laporan tahunan (PDF)")
    PACKAGE = "package", _("Paket unggah IID (ZIP)")
    RECOGNITION_FILE = "recognition_file", _("Bukti replikasi, penghargaan atau HKI")


class DownloadRecord(models.Model):
    """Kept when the person or the case goes (the username and the object's name are copied),
    so the log still answers "who took what" afterwards."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    username = models.CharField(_("nama pengguna"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=DownloadKind.choices)
    innovation = models.ForeignKey(
        Innovation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inovasi"),
    )
    target = models.CharField(_("yang diunduh"), max_length=300)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("catatan unduhan")
        verbose_name_plural = _("catatan unduhan")
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["innovation", "at"])]

    def __str__(self) -> str:
        return f"{self.username}: {self.target}"
