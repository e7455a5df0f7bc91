from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who downloaded which evidence file, export and package: readable by admins."""

    name = "audit"
    verbose_name = _("Audit unduhan")
