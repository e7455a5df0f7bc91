"""Live pushes: one channel-layer message per batch, handed to this process's sockets directly.

Why not a group per user: a push to N people then costs N Redis publishes, and in every server
process N consumer dispatches, each of which closes stale database connections on a worker
thread first (channels does so for every message). Instead each server process keeps one
subscription (group `notifications.fanout`) and a map user id -> open sockets; a batch of any
size crosses Redis once per process, and each recipient's socket is written to in place.

The wire format lives here on both ends: `publish` (sync, after commit) and `Hub` (in the ASGI
server's event loop).
"""

import asyncio
import atexit
import concurrent.futures
import logging
import threading
import weakref
from collections.abc import Sequence
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from core.tokens import ALL

from . import selectors

log = logging.getLogger(__name__)

FANOUT_GROUP = "notifications.fanout"
# Close code of a socket whose credential is gone: its client must log in again.
CLOSE_REVOKED = 4401
MESSAGE_TYPE = "notifications.fanout"
# Notifications per channel-layer message: a 1,000-recipient batch is two ~170 KB messages.
BATCH = 500
# Every so often each hub renews its group membership (layers with group expiry forget
# members; a restarted Redis forgets everything) and compares its sockets with the database.
CATCH_UP_SECONDS = 30
SEND_TIMEOUT = 5
EXIT_WAIT_SECONDS = 5
WRITE_EVERY = 100


class Socket(Protocol):
    # What the socket was opened with (core.tokens: "session:<key>", "token:<digest>").
    credential: str | None
    # The newest notification id the socket has sent its client.
    last_id: int

    async def catch_up(self) -> None:
        """Send what the database holds after last_id (pushes were lost)."""

    async def push_notification(self, notification_id: int, prev: int | None, text: str) -> None:
        """`prev`: the recipient's notification before this one (None: their first)."""

    async def push_unread(self, count: int) -> None: ...

    async def end(self, code: int) -> None:
        """Close the socket with `code` (its credential was revoked)."""


def publish(
    *,
    notifications: Sequence[tuple[int, int, int | None, str]] = (),
    unread: Sequence[tuple[int, int]] = (),
    revoked: Sequence[tuple[int, str]] = (),
) -> None:
    """Send (user id, notification id, previous id, JSON text), (user id, unread count) and
    (user id, revoked credential or core.tokens.ALL) to every server process, without waiting:
    called after commit, when the database already holds the truth, so a slow or stopped Redis
    delays or drops a push but never the request (a socket that sees a gap in the previous ids
    replays it; each hub's catch-up round finds the rest, in order).
    Pushes from one process leave in the order they were published."""
    layer = get_channel_layer()
    if layer is None or not (notifications or unread or revoked):
        return
    messages = [
        {"type": MESSAGE_TYPE, "notifications": [list(n) for n in notifications[i : i + BATCH]]}
        for i in range(0, len(notifications), BATCH)
    ]
    if unread:
        # Counts go last: every recipient's notification frame before anyone's count frame.
        messages.append({"type": MESSAGE_TYPE, "unread": [list(u) for u in unread]})
    if revoked:
        messages.append({"type": MESSAGE_TYPE, "revoked": [list(r) for r in revoked]})

    async def send() -> None:
        async with order:
            for message in messages:
                try:
                    # Bounded: a hung Redis connection must not hold every later push.
                    await asyncio.wait_for(layer.group_send(FANOUT_GROUP, message), SEND_TIMEOUT)
                except Exception:
                    log.exception("notifications: push through the channel layer failed")
                    return

    try:
        loop, order = _push_loop()
        pending = asyncio.run_coroutine_threadsafe(send(), loop)
    except Exception:
        log.exception("notifications: could not schedule a push")
        return
    _pending.add(pending)
    pending.add_done_callback(_pending.discard)


_own_loop: asyncio.AbstractEventLoop | None = None
# Pushes not sent yet; a short-lived process (a management command) waits for them at exit.
_pending: set[concurrent.futures.Future] = set()
# Guards _hubs, _own_loop and _push_order: the server loop and publishing threads share them.
_guard = threading.Lock()
_push_order: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = (
    weakref.WeakKeyDictionary()
)


def _push_loop() -> tuple[asyncio.AbstractEventLoop, asyncio.Lock]:
    """Where pushes run: the server's loop when this process serves sockets (the in-memory
    layer's queues belong to it, and a Redis layer keeps its connection there); else a loop
    thread of this process's own (the worker, the timers), created once."""
    global _own_loop
    with _guard:
        loop = next((lp for lp in list(_hubs) if lp.is_running() and not lp.is_closed()), None)
        if loop is None:
            if _own_loop is None or _own_loop.is_closed():
                _own_loop = asyncio.new_event_loop()
                threading.Thread(
                    target=_own_loop.run_forever, name="notifications-push", daemon=True
                ).start()
            loop = _own_loop
        order = _push_order.get(loop)
        if order is None:
            order = _push_order[loop] = asyncio.Lock()
    return loop, order


class Hub:
    """This event loop's subscription and its open sockets by user id."""

    def __init__(self, layer) -> None:
        self.layer = layer
        self.sockets: dict[int, set[Socket]] = {}
        self.channel: str | None = None
        self._subscribing: asyncio.Future | None = None
        self._tasks: list[asyncio.Task] = []

    async def join(self, user_id: int, socket: Socket) -> None:
        """Register the socket once this process is subscribed; raises if the layer is down."""
        if self._subscribing is None or (
            self._subscribing.done() and self._subscribing.exception() is not None
        ):
            self._subscribing = asyncio.ensure_future(self._subscribe())
        await asyncio.shield(self._subscribing)
        self.sockets.setdefault(user_id, set()).add(socket)

    def leave(self, user_id: int, socket: Socket) -> None:
        sockets = self.sockets.get(user_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self.sockets[user_id]

    async def _subscribe(self) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel("notifications-hub.")
        await self.layer.group_add(FANOUT_GROUP, self.channel)
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._receive_forever()),
                asyncio.create_task(self._catch_up_forever()),
            ]

    async def _receive_forever(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A timeout under load or an outage: pushes may have been missed meanwhile.
                log.exception("notifications: hub receive failed; retrying")
                await asyncio.sleep(1)
                await self.renew()
                continue
            try:
                await self.deliver(message)
            except Exception:
                # A malformed message must not end this process's live pushes.
                log.exception("notifications: hub could not deliver a message")

    async def _catch_up_forever(self) -> None:
        """The backstop for pushes lost without any error here (Redis restarted between two
        pushes, a publisher that could not reach it): within CATCH_UP_SECONDS every socket
        has what the database has, in order. One grouped query per process per round."""
        while True:
            await asyncio.sleep(
                getattr(settings, "NOTIFICATIONS_CATCH_UP_SECONDS", CATCH_UP_SECONDS)
            )
            await self.renew()

    async def renew(self) -> None:
        """Rejoin the group (a restarted Redis forgot it) and send every socket what the
        database has beyond what it sent; each failure is left for the next round."""
        try:
            await self.layer.group_add(FANOUT_GROUP, self.channel)
        except Exception:
            log.exception("notifications: hub could not renew its group membership")
        try:
            await self.catch_up()
        except Exception:
            log.exception("notifications: hub could not compare its sockets with the database")

    async def catch_up(self) -> None:
        if not self.sockets:
            return
        latest = await database_sync_to_async(selectors.latest_ids)(user_ids=set(self.sockets))
        for user_id, last in latest.items():
            for socket in tuple(self.sockets.get(user_id, ())):
                if last > socket.last_id:
                    await socket.catch_up()

    async def deliver(self, message: dict) -> None:
        pushes = (
            [
                (socket.push_notification, user_id, (notification_id, prev, text))
                for user_id, notification_id, prev, text in message.get("notifications", ())
                for socket in tuple(self.sockets.get(user_id, ()))
            ]
            + [
                (socket.push_unread, user_id, (count,))
                for user_id, count in message.get("unread", ())
                for socket in tuple(self.sockets.get(user_id, ()))
            ]
            + [
                (socket.end, user_id, (CLOSE_REVOKED,))
                for user_id, credential in message.get("revoked", ())
                for socket in tuple(self.sockets.get(user_id, ()))
                if credential in (ALL, socket.credential)
            ]
        )
        for done, (push, user_id, args) in enumerate(pushes, 1):
            try:
                await push(*args)
            except Exception:
                log.exception("notifications: push to a socket of user %s failed", user_id)
            if done % WRITE_EVERY == 0:
                # Writes are buffered until the loop turns: let the first sockets' frames
                # leave while the rest are being prepared.
                await asyncio.sleep(0)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def current() -> Hub:
    """The hub of the running event loop (one per server process; tests get one per loop)."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    with _guard:
        hub = _hubs.get(loop)
        if hub is None or hub.layer is not layer:
            hub = _hubs[loop] = Hub(layer)
    return hub


@atexit.register
def _send_pending_at_exit() -> None:
    # The push thread is a daemon: without this, a command's last pushes die with it.
    if _pending:
        concurrent.futures.wait(list(_pending), timeout=EXIT_WAIT_SECONDS)
