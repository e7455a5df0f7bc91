"""The notifications socket through the real ASGI app (config.asgi), on the configured
channel layer: in-memory by default, channels_redis when REDIS_URL is set."""

import asyncio
import json
import os

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from knox.models import AuthToken

from config.asgi import application
from mentoring.models import Stage
from notifications import services
from notifications.models import Kind, Notification
from tests.factories import Org, act, make_user, new_innovation

# on_commit must really fire and the consumer's database calls close connections:
# transactional tests; serialized_rollback restores the migrations' master data afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


TIMEOUT = 3


def run(scenario):
    """Run an async scenario on one event loop; its database calls run on this thread."""
    return async_to_sync(scenario)()


def session_headers(user, origin: str = "http://testserver") -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return [(b"cookie", cookie.encode()), (b"origin", origin.encode()), (b"host", b"testserver")]


def token_headers(user) -> list[tuple[bytes, bytes]]:
    _token, raw = AuthToken.objects.create(user=user)
    return [(b"authorization", f"Bearer {raw}".encode())]


def socket(headers, since: int | None = None) -> WebsocketCommunicator:
    path = "/ws/notifications/" + (f"?since={since}" if since is not None else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def receive(comm: WebsocketCommunicator) -> dict:
    return json.loads(await comm.receive_from(timeout=TIMEOUT))


async def receive_until_unread(comm: WebsocketCommunicator) -> tuple[list[dict], int]:
    """The replay (notifications) up to the unread count that ends every connect."""
    notes = []
    while True:
        message = await receive(comm)
        if message["type"] == "unread":
            return notes, message["count"]
        notes.append(message)


def make_note(user, n: int = 1, kind: str = Kind.TASK_ASSIGNED) -> list[Notification]:
    return [
        Notification.objects.create(recipient=user, kind=kind, title=f"Catatan {i}")
        for i in range(n)
    ]


async def connect(comm: WebsocketCommunicator) -> None:
    connected, _ = await comm.connect(timeout=TIMEOUT)
    assert connected


def test_an_action_reaches_the_head_live_and_not_the_actor():
    org = Org()
    innovation = new_innovation(org)

    head_session = session_headers(org.head)
    operator_token = token_headers(org.operator)

    async def scenario():
        head = socket(head_session)
        operator = socket(operator_token)
        await connect(head)
        await connect(operator)
        assert await receive(head) == {"type": "unread", "count": 0}
        assert await receive(operator) == {"type": "unread", "count": 0}

        await database_sync_to_async(act)(org.operator, innovation, "submit")

        note = await receive(head)
        row = await database_sync_to_async(Notification.objects.get)()
        assert note == {
            "type": "notification",
            "id": row.pk,
            "kind": "approval_requested",
            "title": row.title,
            "body": row.body,
            "url": f"/innovations/{innovation.pk}/",
            "innovation": innovation.pk,
            "created_at": row.created_at.isoformat(),
            "read": False,
        }
        assert await receive(head) == {"type": "unread", "count": 1}
        assert await operator.receive_nothing(timeout=0.3)  # own action
        await head.disconnect()
        await operator.disconnect()

    run(scenario)


def test_replay_after_since_in_order_then_live_without_duplicates():
    org = Org()
    other = make_user()
    mine = make_note(org.head, 4)
    make_note(other, 2)

    head_session = session_headers(org.head)

    async def scenario():
        comm = socket(head_session, since=mine[0].pk)
        await connect(comm)
        notes, unread = await receive_until_unread(comm)
        assert [n["id"] for n in notes] == [n.pk for n in mine[1:]]
        assert unread == 4
        # A live push of a row the replay already sent (committed around the connect) is
        # dropped; a new one comes through.
        fresh = await database_sync_to_async(make_note)(org.head)
        await database_sync_to_async(services.push_on_commit)([mine[3], fresh[0]])
        assert (await receive(comm))["id"] == fresh[0].pk
        assert (await receive(comm)) == {"type": "unread", "count": 5}
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()

    run(scenario)


def test_without_since_nothing_is_replayed_but_the_count():
    org = Org()
    make_note(org.head, 2)

    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token)
        await connect(comm)
        assert await receive(comm) == {"type": "unread", "count": 2}
        assert await comm.receive_nothing(timeout=0.2)
        await comm.disconnect()

    run(scenario)


def test_replay_larger_than_one_chunk_is_complete(monkeypatch):
    from notifications import consumers

    monkeypatch.setattr(consumers, "REPLAY_CHUNK", 3)
    org = Org()
    mine = make_note(org.head, 8)

    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token, since=0)
        await connect(comm)
        notes, _ = await receive_until_unread(comm)
        assert [n["id"] for n in notes] == [n.pk for n in mine]
        await comm.disconnect()

    run(scenario)


def test_another_users_notifications_are_never_sent_nor_markable():
    org = Org()
    theirs = make_note(org.operator, 2)
    mine = make_note(org.head, 1)

    head_session = session_headers(org.head)

    async def scenario():
        comm = socket(head_session, since=0)
        await connect(comm)
        notes, unread = await receive_until_unread(comm)
        assert [n["id"] for n in notes] == [mine[0].pk]
        # A push addressed to someone else's group never reaches this socket.
        await database_sync_to_async(services.push_on_commit)(theirs)
        await comm.send_to(text_data=json.dumps({"type": "read", "ids": [n.pk for n in theirs]}))
        assert await receive(comm) == {"type": "unread", "count": 1}
        await comm.send_to(text_data=json.dumps({"type": "read", "all": True}))
        assert await receive(comm) == {"type": "unread", "count": 0}
        await comm.disconnect()

    run(scenario)
    assert Notification.objects.filter(recipient=org.operator, read_at__isnull=True).count() == 2
    assert Notification.objects.filter(recipient=org.head, read_at__isnull=True).count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        [(b"origin", b"http://testserver")],  # a browser without a session
        [(b"authorization", b"Bearer not-a-real-token")],
        [(b"authorization", b"Basic dXNlcjpwYXNz")],
        [(b"authorization", b"Bearer ")],
    ],
    ids=["anonymous-browser", "bad-token", "other-scheme", "empty-token"],
)
def test_anonymous_or_bad_token_is_closed_with_4401(headers):
    async def scenario():
        comm = socket([*headers, (b"host", b"testserver")])
        # Accepted, then closed with the application's code (a refusal before accept would
        # reach browsers as a bare HTTP 403 with no code to read).
        connected, _ = await comm.connect(timeout=TIMEOUT)
        assert connected
        assert await comm.receive_output(timeout=TIMEOUT) == {
            "type": "websocket.close",
            "code": 4401,
        }

    run(scenario)


def test_no_origin_and_no_token_is_refused_by_the_origin_check():
    async def scenario():
        comm = socket([(b"host", b"testserver")])
        connected, _ = await comm.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_inactive_users_token_is_refused():
    org = Org()
    headers = token_headers(org.head)
    org.head.is_active = False
    org.head.save()

    async def scenario():
        comm = socket(headers)
        await connect(comm)
        assert (await comm.receive_output(timeout=TIMEOUT))["code"] == 4401

    run(scenario)


def test_a_session_from_a_foreign_origin_is_refused():
    org = Org()

    head_foreign_session = session_headers(org.head, origin="https://evil.example")

    async def scenario():
        comm = socket(head_foreign_session)
        connected, _ = await comm.connect(timeout=TIMEOUT)
        assert not connected

    run(scenario)


def test_malformed_and_huge_frames_are_ignored_and_the_socket_stays_usable():
    org = Org()
    mine = make_note(org.head, 2)

    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token)
        await connect(comm)
        assert await receive(comm) == {"type": "unread", "count": 2}
        junk = [
            "not json",
            "[1, 2, 3]",
            "null",
            '{"type": "read"}',
            '{"type": "read", "ids": "1"}',
            '{"type": "read", "ids": [true]}',
            '{"type": "read", "ids": [1.5]}',
            '{"type": "read", "ids": [-1]}',
            '{"type": "read", "ids": [99999999999999999999999]}',
            '{"type": "read", "all": "yes"}',
            '{"type": "read", "ids": [' + ",".join(["1"] * 1000) + "]}",
            '{"type": "explode"}',
            "[" * 10000 + "]" * 10000,
            '{"type": "read", "ids": [' + "1," * 500_000 + "1]}",  # ~1 MB
            "x" * (1024 * 1024),
        ]
        for frame in junk:
            await comm.send_to(text_data=frame)
        await comm.send_to(bytes_data=b"\x00" * 1024)
        assert await comm.receive_nothing(timeout=0.3)
        # Still open and serving: a valid frame is answered.
        await comm.send_to(text_data=json.dumps({"type": "read", "ids": [mine[0].pk]}))
        assert await receive(comm) == {"type": "unread", "count": 1}
        await comm.send_to(text_data='{"type": "ping"}')
        assert await receive(comm) == {"type": "pong"}
        await comm.disconnect()

    run(scenario)


def test_heartbeat_pings_an_idle_socket(settings):
    settings.NOTIFICATIONS_PING_SECONDS = 0.05
    org = Org()

    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token)
        await connect(comm)
        assert (await receive(comm))["type"] == "unread"
        assert await receive(comm) == {"type": "ping"}
        assert await receive(comm) == {"type": "ping"}
        await comm.disconnect()

    run(scenario)


def test_marking_read_updates_the_users_other_sockets():
    org = Org()
    mine = make_note(org.head, 2)

    head_token = token_headers(org.head)
    head_session = session_headers(org.head)

    async def scenario():
        phone = socket(head_token)
        laptop = socket(head_session)
        await connect(phone)
        await connect(laptop)
        await receive(phone)
        await receive(laptop)
        await phone.send_to(text_data=json.dumps({"type": "read", "ids": [mine[1].pk]}))
        assert await receive(laptop) == {"type": "unread", "count": 1}
        assert await receive(phone) == {"type": "unread", "count": 1}
        # Each socket hears the new count once (the direct answer and the group push agree).
        assert await phone.receive_nothing(timeout=0.2)
        assert await laptop.receive_nothing(timeout=0.05)
        await phone.disconnect()
        await laptop.disconnect()

    run(scenario)


def test_with_the_channel_layer_down_the_action_commits_and_arrives_on_next_connect(
    channel_layer, monkeypatch
):
    org = Org()
    innovation = new_innovation(org)

    async def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(channel_layer, "group_send", broken)
    act(org.operator, innovation, "submit")  # must not raise
    innovation.refresh_from_db()
    assert innovation.stage == Stage.PROPOSAL_GATE
    row = Notification.objects.get(recipient=org.head)
    monkeypatch.undo()

    head_session = session_headers(org.head)

    async def scenario():
        comm = socket(head_session, since=0)
        await connect(comm)
        notes, unread = await receive_until_unread(comm)
        assert [n["id"] for n in notes] == [row.pk]
        assert unread == 1
        await comm.disconnect()

    run(scenario)


def test_with_group_add_failing_the_backlog_is_served_then_try_again_later(
    channel_layer, monkeypatch
):
    org = Org()
    mine = make_note(org.head, 1)

    async def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(channel_layer, "group_add", broken)

    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token, since=0)
        await connect(comm)
        notes, _ = await receive_until_unread(comm)
        assert [n["id"] for n in notes] == [mine[0].pk]
        assert (await comm.receive_output(timeout=TIMEOUT))["code"] == 1013

    run(scenario)


def test_many_sockets_of_one_user_all_get_each_notification_once():
    org = Org()
    innovation = new_innovation(org)

    head_token = token_headers(org.head)

    async def scenario():
        socks = [socket(head_token) for _ in range(5)]
        for comm in socks:
            await connect(comm)
            await receive(comm)
        await database_sync_to_async(act)(org.operator, innovation, "submit")
        got = await asyncio.gather(*(receive(comm) for comm in socks))
        assert {m["kind"] for m in got} == {"approval_requested"}
        assert len({m["id"] for m in got}) == 1
        for comm in socks:
            assert await receive(comm) == {"type": "unread", "count": 1}
            assert await comm.receive_nothing(timeout=0.05)
            await comm.disconnect()

    run(scenario)


def test_the_tests_run_on_the_configured_layer(channel_layer):
    # CI sets REDIS_URL: then these tests must go through channels_redis, not memory.
    expected = "RedisPubSubChannelLayer" if os.environ.get("REDIS_URL") else "InMemoryChannelLayer"
    assert type(channel_layer).__name__ == expected


def test_a_live_push_during_the_replay_waits_for_it_and_comes_once(monkeypatch):
    from notifications import consumers

    org = Org()
    backlog = make_note(org.head, 2)
    original = consumers.NotificationConsumer.replay
    committed = []

    async def replay_after_a_push(self, since):
        # A notification commits and is pushed after the socket registered, before the
        # backlog is read: the replay has it too.
        fresh = await database_sync_to_async(make_note)(org.head)
        committed.extend(fresh)
        await database_sync_to_async(services.push_on_commit)(fresh)
        await asyncio.sleep(0.3)  # the hub has delivered (and the socket held) the push
        await original(self, since)

    monkeypatch.setattr(consumers.NotificationConsumer, "replay", replay_after_a_push)
    head_token = token_headers(org.head)

    async def scenario():
        comm = socket(head_token, since=0)
        await connect(comm)
        notes, unread = await receive_until_unread(comm)
        # In id order, the live copy dropped: [backlog..., fresh], never fresh first.
        assert [n["id"] for n in notes] == [n.pk for n in [*backlog, *committed]]
        assert unread == 3
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()

    run(scenario)


def test_a_push_to_many_people_crosses_the_channel_layer_once(channel_layer, monkeypatch):
    people = [make_user() for _ in range(30)]
    notes = [make_note(person)[0] for person in people]
    sent = []
    original = channel_layer.group_send

    async def counting(group, message):
        sent.append((group, message))
        await original(group, message)

    monkeypatch.setattr(channel_layer, "group_send", counting)
    headers = token_headers(people[7])

    async def scenario():
        comm = socket(headers)
        await connect(comm)
        assert await receive(comm) == {"type": "unread", "count": 1}
        await database_sync_to_async(services.push_on_commit)(notes)
        assert (await receive(comm))["id"] == notes[7].pk
        # The count (1: the row existed before the connect) is unchanged, so not repeated.
        assert await comm.receive_nothing(timeout=0.3)
        await comm.disconnect()

    run(scenario)
    # One message with the 30 notifications, one with the 30 badge counts.
    assert [len(m.get("notifications", m.get("unread"))) for _g, m in sent] == [30, 30]


def test_deadline_alerts_raised_on_a_thread_of_the_web_process_arrive_live():
    """config.timers runs inside the web process with the in-memory layer (make run): its
    scan, on a plain thread, pushes through the server's event loop to the open sockets."""
    import datetime as dt
    import threading

    import time_machine
    from django.db import connection

    from workflow.scans import scan_deadlines

    org = Org()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        innovation = new_innovation(org)
    head_token = token_headers(org.head)

    def scan():
        try:
            scan_deadlines(today=dt.date(2026, 3, 17))
        finally:
            connection.close()  # the thread's own connection, as the timer loop's would be

    async def scenario():
        comm = socket(head_token)
        await connect(comm)
        assert await receive(comm) == {"type": "unread", "count": 0}
        timers = threading.Thread(target=scan)
        timers.start()
        note = await receive(comm)
        assert (note["kind"], note["innovation"]) == ("overdue", innovation.pk)
        assert await receive(comm) == {"type": "unread", "count": 1}
        await asyncio.get_running_loop().run_in_executor(None, timers.join)
        await comm.disconnect()

    run(scenario)


def test_a_socket_that_crashed_or_was_cancelled_leaves_the_hub(monkeypatch):
    from notifications import consumers, hub

    org = Org()
    headers = token_headers(org.head)

    async def broken_count(self):
        raise RuntimeError("database down")

    async def slow_replay(self, since):
        await asyncio.sleep(5)

    async def scenario():
        with monkeypatch.context() as patch:
            patch.setattr(consumers.NotificationConsumer, "count_unread", broken_count)
            crashed = socket(headers)
            await crashed.connect(timeout=TIMEOUT)
            await asyncio.sleep(0.2)
        assert hub.current().sockets == {}
        with monkeypatch.context() as patch:
            patch.setattr(consumers.NotificationConsumer, "replay", slow_replay)
            stuck = socket(headers, since=0)
            await connect(stuck)  # accepted; the replay hangs
            assert set(hub.current().sockets) == {org.head.pk}
            # The client goes away; the app, still in its replay, is cancelled on the timeout.
            await stuck.disconnect(timeout=0.5)
            await asyncio.sleep(0.1)
        assert hub.current().sockets == {}

    run(scenario)
