from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    """Shared plumbing (errors, HTTP, tokens, parameters); no models."""

    name = "core"

    def ready(self) -> None:
        from .params import IdConverter

        # Before any URLconf is read: every app's paths use <id:...>.
        register_converter(IdConverter, "id")
