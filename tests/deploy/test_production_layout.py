"""The production process layout (deploy/README.md), run for real: nginx with deploy/nginx.conf
in front (its TLS swapped for a local port), plain HTTP under gunicorn's threaded WSGI workers
(deploy/gunicorn.conf.py), WebSockets upgraded through to a daphne process, both on PostgreSQL
and Redis. A head signed in through the proxy holds a live socket on daphne; the operator's
submission, served by gunicorn, reaches that socket across Redis; the head's "Tugas saya"
lists the case; the readiness probe answers through the proxy.

Running it found that the proxy's `Host $host` drops a non-default port: on a site served on
another port than 443, Django's CSRF check refused every browser login and the socket's origin
check every live connection (now `$http_host`)."""

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import requests
from django.db import connection
from websockets.sync.client import connect

from tests.servers import DAPHNE, ROOT, free_port, fresh_database, serving

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the layout runs on PostgreSQL and Redis (CI)"
    ),
    # .ci/run installs nginx; elsewhere the test needs it installed.
    pytest.mark.skipif(
        not Path(NGINX).exists() and not os.environ.get("CI"), reason="nginx not installed"
    ),
]

SEED = """
import json
import django
django.setup()
from tests.factories import Org, new_innovation
org = Org(year=2026)
case = new_innovation(org, name="Inovasi Lewat Gunicorn")
print(json.dumps({"head": org.head.username, "operator": org.operator.username, "case": case.pk}))
"""
PASSWORD = "rahasia123"  # tests.factories.make_user
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]


def signed_in(base: str, username: str) -> requests.Session:
    """A browser-like session: the login form's CSRF token, then the password."""
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    assert answer.ok and answer.url == f"{base}/", answer.url
    return session


def proxy_config(*, web: str, sockets: str, port: int, run: Path) -> Path:
    """deploy/nginx.conf on plain HTTP at `port`, sending to the servers started here."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("server 127.0.0.1:8001;", f"server {web.removeprefix('http://')};")
    conf = conf.replace("server 127.0.0.1:8101;", f"server {sockets.removeprefix('http://')};")
    conf = re.sub(r"listen 443 ssl;\s*http2 on;", f"listen 127.0.0.1:{port};", conf)
    conf = re.sub(r"\n\s*ssl_certificate(_key)?\s[^;]+;", "", conf)
    conf = conf[: conf.rindex("server {")]  # the port-80 redirect to https
    temp = " ".join(f"{kind}_temp_path {run / kind};" for kind in ("client_body", "proxy"))
    path = run / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # temp files under a private tmp dir
    path.write_text(
        f"{user} daemon off; pid {run / 'nginx.pid'}; error_log {run / 'error.log'};\n"
        f"events {{}}\nhttp {{ access_log off; {temp}\n{conf}\n}}\n"
    )
    return path


@pytest.fixture
def layout(tmp_path):
    """(the proxy's base URL, the seeded people) on a fresh database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the processes share the channel layer through Redis (CI sets REDIS_URL)")
    with fresh_database(tmp_path, SEED, "pandu_layout") as (env, data):
        web_env = {**env, "PANDU_WEB_WORKERS": "2"}
        with (
            serving(DAPHNE, env, tmp_path / "daphne.log") as sockets,
            serving(
                [*GUNICORN, "--bind", "127.0.0.1:{port}"], web_env, tmp_path / "gunicorn.log"
            ) as web,
        ):
            port = free_port()
            conf = proxy_config(web=web, sockets=sockets, port=port, run=tmp_path)
            command = [NGINX, "-c", str(conf), "-e", str(tmp_path / "error.log")]
            with serving(command, env, tmp_path / "nginx.log", port=port) as proxy:
                yield proxy, data


def test_through_the_proxy_pages_on_gunicorn_and_live_pushes_on_daphne(layout):
    web, people = layout
    assert requests.get(f"{web}/health/ready", timeout=10).json()["status"] == "ok"

    head = signed_in(web, people["head"])
    ws_url = web.replace("http://", "ws://") + "/ws/notifications/"
    cookie = f"sessionid={head.cookies['sessionid']}"
    with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": web}) as live:
        assert json.loads(live.recv(timeout=10)) == {"type": "unread", "count": 0}

        # The operator's app: an API token (same database), the submission through gunicorn.
        token = requests.post(
            f"{web}/api/v1/auth/token",
            json={"username": people["operator"], "password": PASSWORD},
            timeout=10,
        ).json()["token"]
        submitted = requests.post(
            f"{web}/api/v1/innovations/{people['case']}/actions/submit/",
            json={},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert submitted.status_code == 200, submitted.text

        note = json.loads(live.recv(timeout=10))
        assert (note["type"], note["kind"], note["innovation"]) == (
            "notification",
            "approval_requested",
            people["case"],
        )
        assert json.loads(live.recv(timeout=10)) == {"type": "unread", "count": 1}

    home = head.get(f"{web}/", timeout=10).text
    tasks = home[home.index('id="my-tasks-card"') :]
    assert "Inovasi Lewat Gunicorn" in tasks[: tasks.index("</div>")]
