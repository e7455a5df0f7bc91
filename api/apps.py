from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API v1: thin endpoints over the workflow and mentoring services."""

    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import schema  # noqa: F401  # registers the OpenAPI field extension
