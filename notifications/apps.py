from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Durable in-app notifications and their delivery (built out by the notifications issue)."""

    name = "notifications"
    verbose_name = _("Notifikasi")
