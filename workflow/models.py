"""The process record of a case and its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from mentoring.models import Innovation, Stage


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
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    action = models.CharField(_("aksi"), max_length=20)
    from_stage = models.CharField(_("dari"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("ke"), max_length=20, choices=Stage.choices)
    comment = models.TextField(_("komentar"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["innovation", "at"])]
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")
