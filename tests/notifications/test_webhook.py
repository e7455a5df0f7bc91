"""The chat-gateway webhook against a real HTTP server on 127.0.0.1 started by the test."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.models import Channel, Delivery, DeliveryStatus, Notification
from tests.factories import Org, act, new_innovation

SECRET = "rahasia-gateway"


class Gateway:
    """A loopback HTTP server answering with the given status codes in turn (then 200)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append({"headers": dict(self.headers), "raw": raw})
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    servers = []

    def start(statuses=()):
        server = Gateway(list(statuses))
        servers.append(server)
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        settings.SITE_URL = "https://pandu.example"
        settings.NOTIFICATIONS_WEBHOOK_URL = server.url
        settings.NOTIFICATIONS_WEBHOOK_SECRET = SECRET
        return server

    yield start
    for server in servers:
        server.close()


def verified(request: dict) -> dict:
    """Check the signature exactly as a gateway would, then decode the body."""
    expected = "sha256=" + hmac.new(SECRET.encode(), request["raw"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-Pandu-Signature"], expected)
    assert abs(int(request["headers"]["X-Pandu-Timestamp"]) - time.time()) < 60
    return json.loads(request["raw"])


def submit(org, capture) -> Notification:
    innovation = new_innovation(org)
    with capture(execute=True):
        act(org.operator, innovation, "submit")
    return Notification.objects.get(recipient=org.head)


@pytest.mark.django_db
def test_one_signed_post_per_notification(gateway, django_capture_on_commit_callbacks):
    server = gateway()
    org = Org()
    org.head.email = "kepala@dinas.example"
    org.head.save()
    note = submit(org, django_capture_on_commit_callbacks)

    assert len(server.received) == 1
    request = server.received[0]
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = verified(request)
    assert body == {
        "id": note.pk,
        "kind": "approval_requested",
        "title": note.title,
        "body": note.body,
        "url": f"https://pandu.example/innovations/{note.innovation_id}/",
        "recipient": {"username": org.head.username, "email": "kepala@dinas.example"},
        "innovation": {"id": note.innovation_id, "name": note.innovation.name},
        "created_at": note.created_at.isoformat(),
    }
    row = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert request["headers"]["X-Pandu-Delivery"] == str(row.pk)
    assert row.status == DeliveryStatus.SENT
    assert list(row.attempt_log.values_list("number", "ok")) == [(1, True)]


@pytest.mark.django_db
def test_a_500_is_retried_and_both_attempts_recorded(gateway, django_capture_on_commit_callbacks):
    server = gateway([500])
    org = Org()
    submit(org, django_capture_on_commit_callbacks)

    assert len(server.received) == 2
    first, second = (verified(r) for r in server.received)
    assert first == second  # the same body, signed again
    assert [r["headers"]["X-Pandu-Attempt"] for r in server.received] == ["1", "2"]
    row = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert row.status == DeliveryStatus.SENT
    assert list(row.attempt_log.values_list("number", "ok", "error")) == [
        (1, False, "RuntimeError: HTTP 500"),
        (2, True, ""),
    ]


@pytest.mark.django_db
def test_a_tampered_body_fails_verification(gateway, django_capture_on_commit_callbacks):
    server = gateway()
    submit(Org(), django_capture_on_commit_callbacks)
    request = dict(server.received[0])
    request["raw"] = request["raw"].replace(b"approval_requested", b"stage_advanced")
    with pytest.raises(AssertionError):
        verified(request)


@pytest.mark.django_db
def test_unreachable_gateway_fails_after_the_last_attempt(
    gateway, settings, django_capture_on_commit_callbacks
):
    server = gateway()
    server.close()  # nothing listens there any more
    submit(Org(), django_capture_on_commit_callbacks)
    row = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert row.status == DeliveryStatus.FAILED
    assert row.attempt_log.count() == 5
    assert "URLError" in row.last_error or "Connection" in row.last_error


@pytest.mark.django_db
def test_webhook_off_without_url_or_secret(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NOTIFICATIONS_WEBHOOK_URL = ""
    submit(Org(), django_capture_on_commit_callbacks)
    settings.NOTIFICATIONS_WEBHOOK_URL = "http://127.0.0.1:9/hook"
    settings.NOTIFICATIONS_WEBHOOK_SECRET = ""  # unsigned would be forgeable: stays off
    submit(Org(), django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(channel=Channel.WEBHOOK).exists()
