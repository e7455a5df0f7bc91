from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The server-rendered web UI inside viewflow's Material shell."""

    name = "portal"
    verbose_name = _("Portal")
