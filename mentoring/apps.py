from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Pendampingan inovasi")

    def ready(self) -> None:
        from .roles import ensure_roles

        # After workflow's permissions exist; dispatch_uid keeps it to one run per migrate.
        post_migrate.connect(ensure_roles, dispatch_uid="mentoring.ensure_roles")
