"""Two deployments (or two parallel test runs, each on its own database) may share one Redis:
their live pushes must not cross. User ids repeat across databases, so a push for user 3 of
one reached user 3's socket of the other (seen when the browser and layout tests ran side by
side). The channel layer's prefix now names the database, as the cache's keys do."""

import asyncio
import json
import os
import subprocess
import sys

import pytest
from asgiref.sync import async_to_sync
from channels_redis.pubsub import RedisPubSubChannelLayer

from notifications.hub import FANOUT_GROUP
from tests.servers import ROOT

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="a Redis setting (CI sets REDIS_URL)")

READ_LAYER = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.CHANNEL_LAYERS["default"]))
"""


def layer_of(database_url: str) -> RedisPubSubChannelLayer:
    """The channel layer a process on `database_url` builds from the settings."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", READ_LAYER], cwd=ROOT, env=env, check=True, capture_output=True
    )
    config = json.loads(out.stdout.decode().strip().splitlines()[-1])
    assert config["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    return RedisPubSubChannelLayer(**config["CONFIG"])


def test_pushes_of_two_databases_on_one_redis_do_not_cross():
    one = layer_of("postgres://postgres@127.0.0.1:5432/pandu_one")
    other = layer_of("postgres://postgres@127.0.0.1:5432/pandu_other")

    async def scenario():
        channels = {}
        for name, layer in (("one", one), ("other", other)):
            channels[name] = await layer.new_channel("notifications-hub.")
            await layer.group_add(FANOUT_GROUP, channels[name])
        try:
            await one.group_send(FANOUT_GROUP, {"type": "notifications.fanout", "unread": [[3, 1]]})
            got = await asyncio.wait_for(one.receive(channels["one"]), timeout=5)
            assert got["unread"] == [[3, 1]]
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(other.receive(channels["other"]), timeout=0.5)
        finally:
            for layer in (one, other):
                await layer.flush()

    async_to_sync(scenario)()
