"""The production process layout (deploy/README.md), run for real: plain HTTP under gunicorn's
threaded WSGI workers (deploy/gunicorn.conf.py), WebSockets on a daphne process, both on
PostgreSQL and Redis. A head signed in through gunicorn holds a live socket on daphne; the
operator's submission, made through gunicorn, reaches that socket across Redis; the head's
"Tugas saya" (gunicorn) lists the case; the readiness probe answers from gunicorn."""

import json
import os
import re
import sys

import pytest
import requests
from django.db import connection
from websockets.sync.client import connect

from tests.servers import DAPHNE, fresh_database, serving

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the layout runs on PostgreSQL and Redis (CI)"
)

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


@pytest.fixture
def layout(tmp_path):
    """(gunicorn's base URL, daphne's, the seeded people) on a fresh database."""
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
            yield web, sockets, data


def test_http_on_gunicorn_and_live_pushes_from_daphne_share_sessions_and_redis(layout):
    web, sockets, people = layout
    assert requests.get(f"{web}/health/ready", timeout=10).json()["status"] == "ok"

    head = signed_in(web, people["head"])
    ws_url = sockets.replace("http://", "ws://") + "/ws/notifications/"
    cookie = f"sessionid={head.cookies['sessionid']}"
    # Behind the proxy both servers share one origin: the page's socket comes from it.
    with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": sockets}) as live:
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
