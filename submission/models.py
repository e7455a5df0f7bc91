"""A case entered in the ministry's IID portal."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import Innovation


class NationalEntry(models.Model):
    """Who entered the case in the national portal, when, and under which reference."""

    innovation = models.OneToOneField(
        Innovation,
        on_delete=models.CASCADE,
        related_name="national_entry",
        verbose_name=_("inovasi"),
    )
    reference = models.CharField(_("nomor/rujukan di portal nasional"), max_length=120)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("entri portal nasional")
        verbose_name_plural = _("entri portal nasional")

    def __str__(self) -> str:
        return f"{self.innovation_id}: {self.reference}"
