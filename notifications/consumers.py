"""The notifications socket: replay from the database after `since`, then live pushes.

Order on connect: register with the process hub first, then read the backlog, so that a row
committed in between arrives at least once; live pushes wait until the replay is out (ids stay
in order on the wire) and ids already sent are dropped. Every push names the recipient's
notification before it: when that is newer than the last one this socket sent, a push was lost
(Redis dropped it) and the socket replays the gap from the database first. So a client that
resumes from the last id it saw never skips one.
"""

import asyncio
import json
import logging
from collections import deque
from datetime import datetime
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from core import params

from . import hub, selectors, services
from .models import Notification

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = hub.CLOSE_REVOKED
# Client frames are tiny ({"type": "read", "ids": [...]}); anything bigger is ignored unread.
MAX_FRAME_CHARS = 16 * 1024
MAX_READ_IDS = 500
REPLAY_CHUNK = 200
# Ids remembered for dropping duplicates (replay/live overlap happens only around connect).
REMEMBER_IDS = 5000


def _since(scope) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get("since")
    return params.whole_number((values or [""])[0])


def _latest_id(user_id: int) -> int:
    return selectors.latest_ids(user_ids={user_id}).get(user_id, 0)


def _backlog(user_id: int, after: int, limit: int) -> list[dict]:
    rows = Notification.objects.filter(recipient_id=user_id, pk__gt=after).order_by("pk")[:limit]
    return [services.as_message(n) for n in rows]


def _read_ids(message: dict) -> list[int] | None:
    ids = message.get("ids")
    if not isinstance(ids, list) or not 0 < len(ids) <= MAX_READ_IDS:
        return None
    if not all(type(i) is int and 0 < i <= params.MAX_ID for i in ids):
        return None
    return ids


class NotificationConsumer(AsyncWebsocketConsumer):
    # No channel of its own (no per-socket Redis subscription): live pushes arrive through
    # the process hub, which calls push_notification / push_unread.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.user_id: int | None = None
        self.heartbeat: asyncio.Task[None] | None = None
        self.last_unread: int | None = None
        self.unread_frames = 0
        self.hub: hub.Hub | None = None
        self.held: list[tuple] | None = []  # live pushes held back until the replay is out
        self.credential: str | None = self.scope.get("credential")
        self.expiry: datetime | None = self.scope.get("credential_expiry")
        self.last_id = 0  # the newest notification id this socket has sent (or skipped past)
        self.order = asyncio.Lock()  # one sender of notification frames at a time
        user = self.scope.get("user")
        # Accept, then close: a refusal before accept reaches browsers as a bare HTTP 403,
        # while 4401 tells a client to log in again instead of retrying.
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.sent: set[int] = set()
        self.sent_order: deque[int] = deque()
        try:
            self.hub = hub.current()
            await self.hub.join(user.pk, self)
        except Exception:
            # Redis down: still serve the backlog, then ask the client to come back later.
            log.exception("notifications: could not subscribe for user %s", user.pk)
            self.hub = None
        since = _since(self.scope)
        if since is not None:
            await self.replay(since)
        else:
            # A client that asks for no replay starts from what exists now.
            self.last_id = await database_sync_to_async(_latest_id)(user.pk)
        await self.send_unread(await self.count_unread())
        if self.hub is None:
            await self.close(code=1013)  # try again later
            return
        held, self.held = self.held, None
        for push in held:
            await push[0](*push[1:])
        self.heartbeat = asyncio.create_task(self.ping_forever())

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when the consumer crashed or was cancelled (channels then skips disconnect):
            # the hub must not keep a dead socket.
            self.leave_hub()

    async def disconnect(self, code) -> None:
        self.leave_hub()

    def leave_hub(self) -> None:
        # Also called before connect() has set these (a consumer that failed early).
        heartbeat, joined = getattr(self, "heartbeat", None), getattr(self, "hub", None)
        if heartbeat is not None:
            heartbeat.cancel()
        if joined is not None and self.user_id is not None:
            joined.leave(self.user_id, self)
            self.hub = None

    # --- server -> client ---------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, ensure_ascii=False))

    def remember(self, notification_id: int) -> bool:
        """False when this socket already sent that id."""
        if notification_id in self.sent:
            return False
        self.sent.add(notification_id)
        self.sent_order.append(notification_id)
        if len(self.sent_order) > REMEMBER_IDS:
            self.sent.discard(self.sent_order.popleft())
        return True

    async def replay(self, since: int) -> None:
        after = since
        self.last_id = max(self.last_id, since)
        while True:
            rows = await database_sync_to_async(_backlog)(self.user_id, after, REPLAY_CHUNK)
            for message in rows:
                if self.remember(message["id"]):
                    await self.send_json(message)
                self.last_id = max(self.last_id, message["id"])
            if len(rows) < REPLAY_CHUNK:
                return
            after = rows[-1]["id"]

    async def count_unread(self) -> int:
        return await database_sync_to_async(selectors.unread_count)(user_id=self.user_id)

    async def ping_forever(self) -> None:
        interval = getattr(settings, "NOTIFICATIONS_PING_SECONDS", 25)
        while True:
            await asyncio.sleep(interval)
            if self.expiry is not None and timezone.now() >= self.expiry:
                # The token it was opened with expired (disconnect leaves the hub).
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
            await self.send_json({"type": "ping"})

    async def push_notification(self, notification_id: int, prev: int | None, text: str) -> None:
        """A live notification from the hub (already JSON, as services.as_message made it)."""
        if self.held is not None:
            self.held.append((self.push_notification, notification_id, prev, text))
            return
        async with self.order:
            if prev is not None and prev > self.last_id:
                # A push before this one never arrived: the database has both, in order.
                await self.replay(self.last_id)
            elif self.remember(notification_id):
                await self.send(text_data=text)
                self.last_id = max(self.last_id, notification_id)

    async def catch_up(self) -> None:
        """Called by the hub when the database has newer notifications than this socket sent."""
        if self.held is not None:
            return  # still connecting: its replay reads the database anyway
        async with self.order:
            await self.replay(self.last_id)

    async def end(self, code: int) -> None:
        """Closed by the hub: the credential it was opened with was revoked."""
        self.leave_hub()
        await self.close(code=code)

    async def push_unread(self, count: int) -> None:
        if self.held is not None:
            self.held.append((self.push_unread, count))
        elif count != self.last_unread:
            # The socket that marked read has already told its client this count.
            await self.send_unread(count)

    async def send_unread(self, count: int) -> None:
        self.last_unread = count
        self.unread_frames += 1
        await self.send_json({"type": "unread", "count": count})

    # --- client -> server ---------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Malformed, oversized or unknown frames are ignored; the socket stays open.
        if self.user_id is None or text_data is None or len(text_data) > MAX_FRAME_CHARS:
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "read":
            await self.mark_read(message)
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    async def mark_read(self, message: dict) -> None:
        before = self.unread_frames
        if message.get("all") is True:
            await database_sync_to_async(services.mark_read)(user=self.scope["user"], all=True)
        else:
            ids = _read_ids(message)
            if ids is None:
                return
            await database_sync_to_async(services.mark_read)(user=self.scope["user"], ids=ids)
        # Every read frame is answered with the count once: directly, unless the hub's push
        # (which tells the user's other sockets) already reached this one with the same count.
        count = await self.count_unread()
        if count != self.last_unread or self.unread_frames == before:
            await self.send_unread(count)
