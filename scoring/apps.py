from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Penilaian IID")

    def ready(self) -> None:
        from . import freshness

        freshness.connect()
