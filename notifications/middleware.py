"""WebSocket authentication: the session cookie for browsers, a bearer token for other clients."""

from urllib.parse import unquote

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token


def _bearer_key(scope) -> str | None:
    """The token of an `Authorization: Bearer <token>` handshake header ("" when malformed)."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _sep, key = value.decode("latin1").strip().partition(" ")
            return key.strip() if scheme.lower() == "bearer" else ""
    return None


@database_sync_to_async
def _user_for_token(key: str):
    token = Token.objects.select_related("user").filter(key=unquote(key)).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class BearerTokenMiddleware:
    """Sets scope["user"] from the handshake's bearer token (anonymous when it is invalid)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        key = _bearer_key(scope)
        user = await _user_for_token(key) if key else AnonymousUser()
        return await self.inner({**scope, "user": user}, receive, send)


class WebSocketAuth:
    """Route a handshake to token auth when it carries an Authorization header, else sessions.

    The origin check only guards cookie (session) auth against cross-site WebSocket hijacking;
    a bearer token is not sent by browsers on their own, and native clients send no Origin.
    A header with a bad or unknown token is anonymous (closed with 4401), never a session
    fallback.
    """

    def __init__(self, inner) -> None:
        self.by_token = BearerTokenMiddleware(inner)
        self.by_session = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope, receive, send):
        if _bearer_key(scope) is not None:
            return await self.by_token(scope, receive, send)
        return await self.by_session(scope, receive, send)
