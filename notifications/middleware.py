"""WebSocket authentication: the session cookie for browsers, a bearer token for other clients.

Each accepted socket carries its credential in the scope ("session:<key>" or "token:<digest>",
core.tokens) so that revoking the credential closes it (notifications.hub), and a token's
expiry so that the socket ends with the token.
"""

from urllib.parse import urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host

from core import tokens


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _bearer_key(scope) -> str | None:
    """The token of an `Authorization: Bearer <token>` handshake header ("" when malformed)."""
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _sep, key = value.strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


@database_sync_to_async
def _token_scope(key: str) -> dict:
    found = tokens.token_owner(key)
    if found is None:
        return {"user": AnonymousUser()}
    user, token = found
    return {
        "user": user,
        "credential": tokens.token_credential(token),
        "credential_expiry": token.expiry,
    }


class BearerTokenMiddleware:
    """Sets scope["user"] from the handshake's bearer token (anonymous when it is invalid)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        key = _bearer_key(scope)
        found = await _token_scope(key) if key else {"user": AnonymousUser()}
        return await self.inner({**scope, **found}, receive, send)


class SessionCredentialMiddleware:
    """Names the session a cookie-authenticated socket was opened with (after channels' auth)."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        session = scope.get("session")
        key = getattr(session, "session_key", None)
        credential = tokens.session_credential(key) if key else None
        return await self.inner({**scope, "credential": credential}, receive, send)


def own_origin(scope) -> str | None:
    """The origin a page of this server has when it opens this socket: the scheme the client
    used (the proxy's, when one is configured) and the Host it asked for, if allowed."""
    host = _header(scope, b"host")
    if not host or not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") in ("wss", "https")
    if settings.BEHIND_PROXY:
        secure = (_header(scope, b"x-forwarded-proto") or "").strip().lower() == "https"
    return f"{'https' if secure else 'http'}://{host.lower()}"


def same_origin(scope) -> bool:
    """Exact origin match (scheme, host and port), like Django's CSRF origin check: our own
    origin, or one listed in WEBSOCKET_ORIGINS (SITE_URL and the trusted origins)."""
    origin = _header(scope, b"origin")
    if not origin:
        return False
    parsed = urlparse(origin.strip().lower())
    normalised = f"{parsed.scheme}://{parsed.netloc}"
    allowed = {o.lower().rstrip("/") for o in settings.WEBSOCKET_ORIGINS}
    return normalised == own_origin(scope) or normalised in allowed


class SameOriginValidator:
    """Refuses a cookie-authenticated handshake from any other origin (cross-site WebSocket
    hijacking): a page on another port of the same host is another origin."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if same_origin(scope):
            return await self.inner(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)


class WebSocketAuth:
    """Route a handshake to token auth when it carries an Authorization header, else sessions.

    The origin check only guards cookie (session) auth; a bearer token is not sent by browsers
    on their own, and native clients send no Origin. A header with a bad or unknown token is
    anonymous (closed with 4401), never a session fallback.
    """

    def __init__(self, inner) -> None:
        self.by_token = BearerTokenMiddleware(inner)
        self.by_session = SameOriginValidator(
            AuthMiddlewareStack(SessionCredentialMiddleware(inner))
        )

    async def __call__(self, scope, receive, send):
        if _bearer_key(scope) is not None:
            return await self.by_token(scope, receive, send)
        return await self.by_session(scope, receive, send)
