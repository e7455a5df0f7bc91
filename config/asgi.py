"""ASGI entry point: HTTP through Django, WebSocket notifications through channels."""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from notifications.middleware import WebSocketAuth  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402

if os.environ.get("PANDU_TIMERS_IN_WEB") == "1":
    # Set by scripts/serve.py without Redis: see config/timers.py.
    from config import timers  # noqa: E402

    timers.start_thread()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WebSocketAuth(URLRouter(websocket_urlpatterns)),
    }
)
