"""Fan-out of live notifications: N authenticated WebSocket clients on one or two daphne
processes with the Redis channel layer, on PostgreSQL. Prints figures; not a test.

Every client is an operator of one unit: each time the head returns the case to the OPD
(after the bench operator's `submit`), all N of them are notified. Measured per recipient:
commit -> receipt latency (p50, p99), messages lost, and the daphne processes' RSS per open
socket; plus the floor, a bare Redis PUBLISH -> SUBSCRIBE round trip. Both channels_redis layers
are compared. The clients run in a process of their own, as a bare WebSocket client that stamps
each frame when its bytes arrive and decodes the JSON after the run (the instrument should not
be what is measured); the actions run in this process.

    .venv/bin/python bench/notifications_fanout.py           # N = 200 and 1000, ~3 min
    BENCH_SIZES=200 BENCH_ACTIONS=3 .venv/bin/python bench/notifications_fanout.py
"""

import asyncio
import base64
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/pandu_bench_fanout")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,1000").split(",")]
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "8"))
LAYERS = {
    "RedisChannelLayer": "channels_redis.core.RedisChannelLayer",
    "RedisPubSubChannelLayer": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(layer: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "BENCH_LAYER": layer,
        "DJANGO_SETTINGS_MODULE": "fanout_settings",
        "PYTHONPATH": f"{BENCH}:{ROOT}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


# --- the child: one channel layer, every N and process count ----------------------------------


def django_setup() -> None:
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()


def make_people(n: int):
    """The unit, its head, the operator who submits, and n client operators (with tokens)."""
    from django.contrib.auth.models import User
    from knox.models import AuthToken

    from mentoring.models import Membership, Unit

    unit, _ = Unit.objects.get_or_create(code="bench-fanout", defaults={"name": "Dinas Bench"})
    operator, _ = User.objects.get_or_create(username="bench-op")
    head, _ = User.objects.get_or_create(username="bench-head")
    Membership.objects.get_or_create(unit=unit, user=operator, position="operator")
    Membership.objects.get_or_create(unit=unit, user=head, position="head")
    from django.contrib.auth.models import Group

    operator.groups.add(Group.objects.get(name="opd_operator"))
    head.groups.add(Group.objects.get(name="opd_head"))
    have = User.objects.filter(username__startswith="bench-client-").count()
    if have < n:
        users = User.objects.bulk_create(
            [User(username=f"bench-client-{i:05d}") for i in range(have, n)]
        )
        Membership.objects.bulk_create(
            [Membership(unit=unit, user=u, position="operator") for u in users]
        )
        # Recipients are members holding the role (a membership alone notifies nobody).
        role = Group.objects.get(name="opd_operator")
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=role.pk) for u in users]
        )
    # Tokens are stored as digests: each run issues fresh ones and keeps the raw keys.
    AuthToken.objects.filter(user__username__startswith="bench-client-").delete()
    clients = [
        (user.pk, AuthToken.objects.create(user=user)[1])
        for user in User.objects.filter(username__startswith="bench-client-").order_by("username")
    ]
    return unit, operator, head, clients


def new_case(unit, operator):
    from mentoring.models import Urusan
    from workflow import services

    profile = {
        "name": f"Bench {time.time_ns()}",
        "bentuk": "pelayanan_publik",
        "jenis": "digital",
        "inisiator": "asn",
        "main_urusan": Urusan.objects.get(code="kesehatan"),
    }
    return services.create_innovation(
        user=operator, unit=unit, year=2026, profile=profile
    ).innovation


def act_timed(user, innovation, action: str) -> float:
    """Perform the action; return the wall time at its commit (before any push)."""
    from django.db import transaction

    from workflow import services

    stamp = {}
    with transaction.atomic():
        # Registered first, so it runs first once the outer transaction commits.
        transaction.on_commit(lambda: stamp.setdefault("t", time.time()))
        services.perform_action(
            user=user, innovation_id=innovation.pk, action=action, comment="bench"
        )
    return stamp["t"]


def start_daphnes(count: int, env: dict) -> list[tuple[subprocess.Popen, int]]:
    procs = []
    for _ in range(count):
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "--websocket_connect_timeout",
                "60",
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append((proc, port))
    for proc, port in procs:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("daphne did not start") from None
                time.sleep(0.1)
    return procs


class Client(asyncio.Protocol):
    """A bare WebSocket client: the instrument, so it does as little as it can while
    measuring. It stamps every text frame with the time its last bytes arrived, answers
    pings, and decodes the JSON only after the run."""

    def __init__(self, port: int, key: str, on_ready) -> None:
        self.request = (
            f"GET /ws/notifications/?since=999999999 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            f"Authorization: Bearer {key}\r\n\r\n"
        ).encode()
        self.on_ready = on_ready
        self.buffer = b""
        self.upgraded = False
        self.frames: list[tuple[float, bytes]] = []

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        buf = self.buffer + data
        if not self.upgraded:
            head, sep, buf = buf.partition(b"\r\n\r\n")
            if not sep:
                self.buffer = head
                return
            if not head.startswith(b"HTTP/1.1 101"):
                raise RuntimeError(head.decode(errors="replace"))
            self.upgraded = True
        while len(buf) >= 2:
            size, at = buf[1] & 0x7F, 2
            if size == 126:
                size, at = int.from_bytes(buf[2:4], "big"), 4
            elif size == 127:
                size, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + size:
                break
            opcode, payload, buf = buf[0] & 0x0F, buf[at : at + size], buf[at + size :]
            if opcode == 0x1:
                if not self.frames:
                    self.on_ready()  # the unread count that ends every connect
                self.frames.append((now, payload))
            elif opcode == 0x9 and size < 126:  # pong, masked with a zero key
                self.transport.write(bytes([0x8A, 0x80 | size]) + b"\0\0\0\0" + payload)
        self.buffer = buf


async def clients_main(spec: dict) -> None:
    """A client process: open the sockets, say READY, record receipt times until STOP."""
    loop = asyncio.get_running_loop()
    clients = spec["clients"]
    ready = 0
    all_ready = asyncio.Event()

    def on_ready() -> None:
        nonlocal ready
        ready += 1
        if ready == len(clients):
            all_ready.set()

    protocols = []
    for i, (_uid, key) in enumerate(clients):
        port = spec["ports"][i % len(spec["ports"])]
        _t, protocol = await loop.create_connection(
            lambda port=port, key=key: Client(port, key, on_ready), "127.0.0.1", port
        )
        protocols.append(protocol)
        if i % 50 == 49:
            # Batches of 50 handshakes: each costs a token lookup and a count query, and a
            # herd of 1,000 at once outlasts daphne's handshake timeout on 2 cores.
            while ready < i - 10:
                await asyncio.sleep(0.02)
    await asyncio.wait_for(all_ready.wait(), timeout=180)
    print("READY", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    received: dict[str, dict[int, float]] = {}
    for (uid, _key), protocol in zip(clients, protocols, strict=True):
        protocol.transport.close()
        mine = received.setdefault(str(uid), {})
        for at, payload in protocol.frames:
            msg = json.loads(payload)
            if msg.get("type") == "notification":
                mine.setdefault(msg["id"], at)
    print(json.dumps(received), flush=True)


def run_config(n: int, procs: int, env: dict, people) -> dict:
    unit, operator, returner, heads = people  # the clients are called heads below
    heads = heads[:n]
    servers = start_daphnes(procs, env)
    time.sleep(1.0)
    base_rss = sum(rss_kb(p.pid) for p, _ in servers)
    started = time.monotonic()
    # The clients run in a process of their own, as on real devices (not on this one's loop).
    spec = {"ports": [port for _, port in servers], "clients": heads}
    clients = subprocess.Popen(
        [sys.executable, __file__, "--clients"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    clients.stdin.write(json.dumps(spec) + "\n")
    clients.stdin.flush()
    line = clients.stdout.readline()
    if line.strip() != "READY":
        raise RuntimeError(f"clients did not connect: {line!r}")
    connect_s = time.monotonic() - started
    time.sleep(1.0)
    open_rss = sum(rss_kb(p.pid) for p, _ in servers)

    from notifications.models import Notification

    commits: list[tuple[float, dict[int, int]]] = []
    innovation = new_case(unit, operator)
    for _i in range(ACTIONS):
        act_timed(operator, innovation, "submit")  # only the head
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        t_commit = act_timed(returner, innovation, "return")
        ids = dict(Notification.objects.filter(pk__gt=before).values_list("recipient_id", "pk"))
        commits.append((t_commit, ids))
        time.sleep(1.5)  # let the fan-out drain
    clients.stdin.write("STOP\n")
    clients.stdin.flush()
    received = {
        int(k): {int(i): t for i, t in v.items()}
        for k, v in json.loads(clients.stdout.readline()).items()
    }
    clients.wait(timeout=60)
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        proc.wait(timeout=10)

    latencies, lost, expected = [], 0, 0
    for t_commit, ids in commits:
        for uid, _k in heads:
            note_id = ids.get(uid)
            if note_id is None:
                continue
            expected += 1
            at = received.get(uid, {}).get(note_id)
            if at is None:
                lost += 1
            else:
                latencies.append((at - t_commit) * 1000)
    return {
        "n": n,
        "procs": procs,
        "connect_s": connect_s,
        "expected": expected,
        "lost": lost,
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "max": max(latencies) if latencies else float("nan"),
        "rss_per_socket_kb": (open_rss - base_rss) / n,
        "rss_total_mb": open_rss / 1024,
    }


async def redis_floor(samples: int = 2000) -> dict:
    import redis.asyncio as aioredis

    client = aioredis.from_url(REDIS_URL)
    pubsub = client.pubsub()
    await pubsub.subscribe("bench-floor")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    times = []
    for i in range(samples):
        t0 = time.perf_counter()
        await client.publish("bench-floor", str(i))
        while True:
            msg = await pubsub.get_message(timeout=1)
            if msg and msg["type"] == "message":
                break
        times.append((time.perf_counter() - t0) * 1000)
    await pubsub.unsubscribe("bench-floor")
    await pubsub.aclose()
    await client.aclose()
    return {"p50": pct(times, 50), "p99": pct(times, 99)}


def child(layer_name: str) -> None:
    django_setup()
    from asgiref.sync import async_to_sync  # noqa: F401 (Django loaded)

    env = env_for(LAYERS[layer_name])
    people = make_people(max(SIZES))
    results = []
    for n in SIZES:
        for procs in (1, 2):
            subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], capture_output=True)
            results.append(run_config(n, procs, env, people))
            r = results[-1]
            print(
                f"{layer_name:24} N={r['n']:5} daphne×{r['procs']}  "
                f"commit→receipt p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
                f"max {r['max']:7.1f} ms  lost {r['lost']}/{r['expected']}  "
                f"RSS/socket {r['rss_per_socket_kb']:6.1f} KiB  "
                f"(daphne RSS {r['rss_total_mb']:.0f} MiB; connect {r['connect_s']:.1f} s)",
                flush=True,
            )
    floor = asyncio.run(redis_floor())
    print(
        f"{'redis PUBLISH→SUBSCRIBE':24} floor "
        f"p50 {floor['p50']:.3f} ms  p99 {floor['p99']:.3f} ms",
        flush=True,
    )
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps({"results": results, "floor": floor}))


def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    name = PG_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    env = env_for(LAYERS["RedisChannelLayer"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    print(
        f"fan-out benchmark: PostgreSQL, Redis {REDIS_URL}, {ACTIONS} actions per run, "
        f"{os.cpu_count()} CPUs; the clients in a process of their own",
        flush=True,
    )
    summary = {}
    started = time.monotonic()
    for layer_name, layer in LAYERS.items():
        out = Path(f"/tmp/fanout-{layer_name}.json")
        subprocess.run(
            [sys.executable, __file__, "--child", layer_name],
            env={**env_for(layer), "BENCH_OUT": str(out)},
            cwd=ROOT,
            check=True,
        )
        summary[layer_name] = json.loads(out.read_text())
    # Which layer is faster: mean p99 over the same configurations.
    score = {
        name: statistics.mean(r["p99"] for r in data["results"]) for name, data in summary.items()
    }
    best = min(score, key=score.get)
    print("mean p99 over all runs: " + ", ".join(f"{k} {v:.1f} ms" for k, v in score.items()))
    print(f"faster: {best}; total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--clients":
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
        asyncio.run(clients_main(json.loads(sys.stdin.readline())))
    elif len(sys.argv) > 2 and sys.argv[1] == "--child":
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
        child(sys.argv[2])
    else:
        main()
