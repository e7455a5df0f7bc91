"""Settings for bench/notifications_fanout.py: the app's settings with the channel layer class
chosen by BENCH_LAYER (RedisChannelLayer or RedisPubSubChannelLayer)."""

import os

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {"BACKEND": os.environ["BENCH_LAYER"], "CONFIG": {"hosts": [REDIS_URL]}}
}
