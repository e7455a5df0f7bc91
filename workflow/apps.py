from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from .roles import ensure_roles

        # After the process permissions exist; dispatch_uid keeps it to one run per migrate.
        post_migrate.connect(ensure_roles, dispatch_uid="workflow.ensure_roles")
