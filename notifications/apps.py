from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Durable in-app notifications, pushed over WebSocket after commit."""

    name = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the case_moved receiver)
