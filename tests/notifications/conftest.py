import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings as django_settings


@pytest.fixture(autouse=True)
def channel_layer(settings):
    """A channel layer of this test's own: the configured backend (Redis in CI) with a fresh
    prefix, so parallel workers reusing the same user ids never see each other's groups."""
    config = dict(django_settings.CHANNEL_LAYERS["default"])
    if "redis" in config["BACKEND"].lower():
        config["CONFIG"] = {**config.get("CONFIG", {}), "prefix": f"test-{uuid.uuid4().hex}"}
    settings.CHANNEL_LAYERS = {"default": config}  # setting_changed drops cached layers
    layer = get_channel_layer()
    yield layer
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()
