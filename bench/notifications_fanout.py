"""Fan-out of live notifications: N authenticated WebSocket clients on one or two daphne
processes with the Redis channel layer, on PostgreSQL. Prints figures; not a test.

Every client is an operator of one unit: each time the head returns the case to the OPD
(after the bench operator's `submit`), all N of them are notified. Measured per recipient:
commit -> receipt latency (p50, p99),
messages lost, and the daphne processes' RSS per open socket; plus the floor, a bare Redis
PUBLISH -> SUBSCRIBE round trip. Both channels_redis layers are compared.

    .venv/bin/python bench/notifications_fanout.py           # N = 200 and 1000, ~5 min
    BENCH_SIZES=200 BENCH_ACTIONS=3 .venv/bin/python bench/notifications_fanout.py
"""

import asyncio
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
ACTIONS = int(os.environ.get("BENCH_ACTIONS", "4"))
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
    from rest_framework.authtoken.models import Token

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
        Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
    clients = list(
        Token.objects.filter(user__username__startswith="bench-client-")
        .order_by("user__username")
        .values_list("user_id", "key")
    )
    return unit, operator, head, clients


def new_case(unit, operator):
    from mentoring.models import Innovation, Urusan
    from workflow import services

    innovation = Innovation(
        unit=unit,
        year=2026,
        name=f"Bench {time.time_ns()}",
        bentuk="pelayanan_publik",
        jenis="digital",
        inisiator="asn",
        main_urusan=Urusan.objects.get(code="kesehatan"),
    )
    return services.open_case(user=operator, innovation=innovation).innovation


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


async def run_config(n: int, procs: int, env: dict, people) -> dict:
    import websockets

    unit, operator, returner, heads = people  # the clients are called heads below
    heads = heads[:n]
    servers = start_daphnes(procs, env)
    time.sleep(1.0)
    base_rss = sum(rss_kb(p.pid) for p, _ in servers)
    received: dict[int, dict[int, float]] = {uid: {} for uid, _ in heads}
    ready = 0
    all_ready = asyncio.Event()

    async def client(index: int, user_id: int, key: str, stop: asyncio.Event) -> None:
        nonlocal ready
        port = servers[index % procs][1]
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/notifications/?since=999999999",
            additional_headers={"Authorization": f"Bearer {key}"},
            open_timeout=60,
            max_queue=None,
        ) as ws:
            first = json.loads(await ws.recv())
            assert first["type"] == "unread", first
            ready += 1
            if ready == len(heads):
                all_ready.set()
            mine = received[user_id]
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                now = time.time()
                msg = json.loads(raw)
                if msg.get("type") == "notification":
                    mine.setdefault(msg["id"], now)

    stop = asyncio.Event()
    started = time.monotonic()
    tasks = []
    for i, (uid, key) in enumerate(heads):
        tasks.append(asyncio.create_task(client(i, uid, key, stop)))
        if i % 50 == 49:
            # Batches of 50 handshakes: each costs a token lookup and a replay query, and
            # a herd of 1,000 at once outlasts daphne's handshake timeout on 2 cores.
            while ready < i - 10 and time.monotonic() - started < 120:
                await asyncio.sleep(0.02)
    await asyncio.wait_for(all_ready.wait(), timeout=180)
    connect_s = time.monotonic() - started
    await asyncio.sleep(1.0)
    open_rss = sum(rss_kb(p.pid) for p, _ in servers)

    from notifications.models import Notification

    commits: list[tuple[float, set[int]]] = []
    innovation = await asyncio.to_thread(new_case, unit, operator)
    for _i in range(ACTIONS):
        await asyncio.to_thread(act_timed, operator, innovation, "submit")  # only the head
        before = await asyncio.to_thread(
            lambda: Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        t_commit = await asyncio.to_thread(act_timed, returner, innovation, "return")
        ids = await asyncio.to_thread(
            lambda b=before: dict(
                Notification.objects.filter(pk__gt=b).values_list("recipient_id", "pk")
            )
        )
        commits.append((t_commit, ids))
        await asyncio.sleep(1.5 if n <= 200 else 3.0)  # let the fan-out drain
    await asyncio.sleep(2.0)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
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
            at = received[uid].get(note_id)
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
            results.append(asyncio.run(run_config(n, procs, env, people)))
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
        f"{os.cpu_count()} CPUs; clients and actions in this process",
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
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
        child(sys.argv[2])
    else:
        main()
