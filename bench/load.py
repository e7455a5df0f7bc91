"""Load: N virtual users with a realistic mix against 1 and 2 server processes, on PostgreSQL and
Redis. Prints figures; not a test.

Each virtual user is a person of one role (admin, observer, head, operator, mentor, in turn) with a
signed-in session for the pages and an API token for the writes, and repeats: home page 30 %,
innovation list 20 %, a case's page 20 %, search 10 %, an evidence upload 5 % (its own case in
packaging) and an action 15 % (its own unit's case: the operator submits, the head returns it with
a comment, round and round). The users are spread over the server processes as a load balancer
would (user i -> process i mod k). Measured per process count and think time: requests/s, actions/s
and actions/s per core, p50 and p99 latency overall and per kind, and errors (any status >= 400 or
a failed connection).

Think time (`BENCH_THINK`, default "0,1-5"): "0" is a closed loop, each user sending its next
request the moment the last one answers (the servers' capacity: latency there is users /
throughput); "1-5" has each user read the page for 1 to 5 seconds (uniform) before the next
click, as a busy official on a phone would (Locust's and k6's usual pacing): the latency
people feel at that many users.

The client runs in a process of its own (threads on keep-alive connections): on this 2-core
machine it competes with the servers for the CPU, the same way for every configuration, so
compare the configurations with each other, not with another machine.

    .venv/bin/python bench/load.py                 # 50 users, 1 and 2 processes, 30 s each
    BENCH_USERS=20 BENCH_SECONDS=10 BENCH_PROCESSES=1 BENCH_THINK=0 .venv/bin/python bench/load.py
    BENCH_SERVER=gunicorn .venv/bin/python bench/load.py  # the production HTTP processes
    BENCH_SERVER=uvicorn .venv/bin/python bench/load.py   # uvicorn workers, if installed

`BENCH_SERVER=gunicorn` runs deploy/gunicorn.conf.py (as many threaded WSGI workers as the
process count), as production serves plain HTTP; the default, daphne, is what `make run` serves.
"""

import collections
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/pandu_bench_load")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
PROCESSES = [int(n) for n in os.environ.get("BENCH_PROCESSES", "1,2").split(",")]
SERVER = os.environ.get("BENCH_SERVER", "daphne")
THINK = os.environ.get("BENCH_THINK", "0,1-5").split(",")
FILLER_CASES = int(os.environ.get("BENCH_CASES", "1000"))
YEAR = 2026
MIX = [
    ("home", 30),
    ("list", 20),
    ("detail", 20),
    ("search", 10),
    ("upload", 5),
    ("action", 15),
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def server_env(media_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_MEDIA_ROOT": media_root,
        "DJANGO_LOG_LEVEL": "ERROR",
        # A pool per server process (config.settings): persistent per-thread connections would
        # exhaust PostgreSQL's max_connections under ASGI.
        "DATABASE_POOL_MAX_SIZE": os.environ.get("BENCH_POOL", "20"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- preparation (a child process with Django) -------------------------------------------------


def prepare(plan_path: str) -> None:
    """People, cases, sessions and tokens for USERS virtual users; the plan as JSON."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.urls import reverse
    from knox.models import AuthToken

    from mentoring.models import Indicator, Membership, MentorAssignment, Unit, Urusan
    from workflow import services

    call_command("migrate", verbosity=0)
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    groups = {g.name: g for g in Group.objects.all()}
    urusan = Urusan.objects.get(code="kesehatan")
    admin = User.objects.create_superuser("load-admin", password=None)
    admin.groups.add(groups["admin"])
    observer = User.objects.create_user("load-observer", first_name="Bupati Bench")
    observer.groups.add(groups["observer"])
    mentor = User.objects.create_user("load-mentor", first_name="Mentor Bench")
    mentor.groups.add(groups["mentor"])

    def person(username: str, unit, position: str, group: str):
        user = User.objects.create_user(username, first_name=username.title())
        user.groups.add(groups[group])
        Membership.objects.create(unit=unit, user=user, position=position)
        return user

    def case(unit, operator, name: str):
        profile = {
            "name": name,
            "bentuk": "pelayanan_publik",
            "jenis": "digital",
            "inisiator": "asn",
            "main_urusan": urusan,
        }
        return services.create_innovation(
            user=operator, unit=unit, year=YEAR, profile=profile
        ).innovation

    def signed_in(user) -> str:
        session = session_store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    words = ["Posyandu", "Layanan", "Sekolah", "Pasar", "Desa", "Air", "Jalan", "Nelayan"]
    indicator = Indicator.objects.filter(year=YEAR, mandatory=True).order_by("number").first()
    users = []
    for i in range(USERS):
        unit = Unit.objects.create(code=f"load-{i}", name=f"Dinas Bench {i:03d}")
        operator = person(f"load-op-{i}", unit, "operator", "opd_operator")
        head = person(f"load-head-{i}", unit, "head", "opd_head")
        MentorAssignment.objects.create(unit=unit, mentor=mentor, year=YEAR)
        moving = case(unit, operator, f"Inovasi Aksi {i}")
        packaging = case(unit, operator, f"Inovasi Berkas {i}")
        services.perform_action(user=operator, innovation_id=packaging.pk, action="submit")
        services.perform_action(user=head, innovation_id=packaging.pk, action="approve")
        # A fresh object: a user's permissions are read once per object (actor_for).
        assigned = User.objects.get(pk=mentor.pk)
        services.log_session(
            user=assigned,
            innovation_id=packaging.pk,
            date=dt.date(YEAR, 3, 2),
            mode="daring",
            topic="Rancang bangun",
        )
        services.perform_action(user=assigned, innovation_id=packaging.pk, action="complete")
        for n in range(FILLER_CASES // USERS):
            case(unit, operator, f"{words[(i + n) % len(words)]} Bench {i}-{n}")
        viewer = [admin, observer, head, operator, mentor][i % 5]
        users.append(
            {
                "session": signed_in(viewer),
                "role": ["admin", "observer", "head", "operator", "mentor"][i % 5],
                "operator_token": AuthToken.objects.create(user=operator)[1],
                "head_token": AuthToken.objects.create(user=head)[1],
                "action_case": moving.pk,
                "upload_case": packaging.pk,
                "detail": reverse("portal:innovation-detail", args=[packaging.pk]),
            }
        )
    plan = {
        "users": users,
        "home": reverse("portal:home"),
        "list": reverse("portal:innovation-list"),
        "search": reverse("portal:innovation-list") + "?q=posyandu",
        "indicator": indicator.number,
    }
    Path(plan_path).write_text(json.dumps(plan))


# --- the client (a process of its own, one thread per virtual user) ----------------------------


class VirtualUser(threading.Thread):
    def __init__(
        self, index: int, plan: dict, port: int, stop_at: float, results: list, think: str
    ) -> None:
        super().__init__(daemon=True)
        low, _, high = think.partition("-")
        self.think = (float(low), float(high or low))
        self.me = plan["users"][index]
        self.plan = plan
        self.port = port
        self.stop_at = stop_at
        self.results = results
        self.random = random.Random(index)
        self.connection: http.client.HTTPConnection | None = None
        self.submitted = False  # where the action case is: proposal (False) or gate (True)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> int:
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    return 599
        return 599

    def page(self, path: str) -> int:
        return self.request("GET", path, headers={"Cookie": f"sessionid={self.me['session']}"})

    def api(self, method: str, path: str, token: str, body: bytes, content_type: str) -> int:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
        return self.request(method, path, body=body, headers=headers)

    def action(self) -> int:
        if self.submitted:
            token, name, body = self.me["head_token"], "return", {"comment": "Perbaiki judul."}
        else:
            token, name, body = self.me["operator_token"], "submit", {}
        path = f"/api/v1/innovations/{self.me['action_case']}/actions/{name}/"
        status = self.api("POST", path, token, json.dumps(body).encode(), "application/json")
        if status == 200:
            self.submitted = not self.submitted
        return status

    def upload(self) -> int:
        boundary = uuid.uuid4().hex
        parts = [
            ("indicator", str(self.plan["indicator"]).encode()),
            ("parameter", b"2"),
        ]
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
            for name, value in parts
        )
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="bukti.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + PDF
            + f"\r\n--{boundary}--\r\n".encode()
        )
        path = f"/api/v1/innovations/{self.me['upload_case']}/evidence/"
        return self.api(
            "POST",
            path,
            self.me["operator_token"],
            body,
            f"multipart/form-data; boundary={boundary}",
        )

    def where_is_my_case(self) -> None:
        """Where the action case is now: a previous configuration's run may have left it at
        the gate."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(
            "GET",
            f"/api/v1/innovations/{self.me['action_case']}/",
            headers={"Authorization": f"Bearer {self.me['operator_token']}"},
        )
        self.submitted = json.loads(connection.getresponse().read())["stage"] != "proposal"
        connection.close()

    def run(self) -> None:
        self.where_is_my_case()
        kinds = [kind for kind, _ in MIX]
        weights = [weight for _, weight in MIX]
        while (now := time.monotonic()) < self.stop_at:
            kind = self.random.choices(kinds, weights)[0]
            started = time.perf_counter()
            if kind == "action":
                status = self.action()
            elif kind == "upload":
                status = self.upload()
            elif kind == "detail":
                status = self.page(self.me["detail"])
            else:
                status = self.page(self.plan[kind])
            self.results.append((now, kind, (time.perf_counter() - started) * 1000, status))
            if self.think[1]:
                pause = self.random.uniform(*self.think)
                time.sleep(max(0.0, min(pause, self.stop_at - time.monotonic())))


def client(plan_path: str, ports: list[int], out_path: str, think: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    stop_at = time.monotonic() + WARMUP + SECONDS
    results: list = []
    users = [
        VirtualUser(i, plan, ports[i % len(ports)], stop_at, results, think)
        for i in range(len(plan["users"]))
    ]
    started = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.join()
    measured = [r[1:] for r in results if r[0] >= started + WARMUP]
    Path(out_path).write_text(json.dumps(measured))


# --- the parent ----------------------------------------------------------------------------------


def start_servers(count: int, env: dict, log: Path) -> tuple[list[subprocess.Popen], list[int]]:
    if SERVER == "uvicorn":
        # One gunicorn with `count` uvicorn workers behind one port (its own balancing).
        port = free_port()
        commands = [
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.asgi:application",
                "-k",
                "uvicorn.workers.UvicornWorker",
                "-w",
                str(count),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ]
        ]
        ports = [port]
    elif SERVER == "gunicorn":
        # The production HTTP processes (deploy/gunicorn.conf.py): `count` threaded WSGI workers.
        port = free_port()
        env = {**env, "PANDU_WEB_BIND": f"127.0.0.1:{port}", "PANDU_WEB_WORKERS": str(count)}
        commands = [[sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]]
        ports = [port]
    else:
        ports = [free_port() for _ in range(count)]
        commands = [
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(p),
                "config.asgi:application",
            ]
            for p in ports
        ]
    # The servers' errors go to a log beside the results (a 500 is counted, and explained there).
    with log.open("a") as errors:
        procs = [
            subprocess.Popen(c, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
            for c in commands
        ]
    for port in ports:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise RuntimeError(f"{SERVER} did not start") from None
                time.sleep(0.2)
    return procs, ports


def report(count: int, think: str, rows: list) -> None:
    latencies = [ms for _, ms, _ in rows]
    errors = sum(1 for _, _, status in rows if status >= 400)
    actions = sum(1 for kind, _, status in rows if kind == "action" and status < 400)
    cores = min(count, os.cpu_count() or 1)
    print(
        f"{SERVER} x{count} think {think} s: {len(rows) / SECONDS:7.1f} req/s  "
        f"actions {actions / SECONDS:5.1f}/s ({actions / SECONDS / cores:5.1f}/s per core)  "
        f"p50 {statistics.median(latencies):6.1f} ms  p99 {pct(latencies, 99):7.1f} ms  "
        f"errors {errors}/{len(rows)}"
    )
    statuses = collections.Counter(status for _, _, status in rows if status >= 400)
    if statuses:
        counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"    errors by status: {counts}")
    for kind, _ in MIX:
        times = [ms for k, ms, _ in rows if k == kind]
        failed = sum(1 for k, _, status in rows if k == kind and status >= 400)
        if times:
            print(
                f"    {kind:<7} n={len(times):5d}  p50 {statistics.median(times):6.1f} ms  "
                f"p99 {pct(times, 99):7.1f} ms  errors {failed}"
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--prepare":
        prepare(sys.argv[2])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5])
        return
    name = PG_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    work = Path(tempfile.mkdtemp(prefix="pandu-load-"))
    env = server_env(str(work / "media"))
    plan = work / "plan.json"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--prepare", str(plan)], env=env, cwd=ROOT, check=True
    )
    took = time.perf_counter() - started
    print(
        f"[postgresql + redis] {USERS} users, {SECONDS:.0f} s measured after {WARMUP:.0f} s "
        f"warm-up, ~{FILLER_CASES + 2 * USERS} cases; prepared in {took:.0f} s"
    )
    for count in PROCESSES:
        for think in THINK:
            procs, ports = start_servers(count, env, work / f"server-{count}.log")
            out = work / f"results-{count}-{think}.json"
            try:
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--client",
                        str(plan),
                        json.dumps(ports),
                        str(out),
                        think,
                    ],
                    env=env,
                    cwd=ROOT,
                    check=True,
                )
            finally:
                for proc in procs:
                    proc.terminate()
                    proc.wait(timeout=30)
            report(count, think, json.loads(out.read_text()))
        print(f"    server log: {work / f'server-{count}.log'}")


if __name__ == "__main__":
    main()
