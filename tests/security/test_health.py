"""Issue 14, health: a liveness probe, and a readiness probe that checks what a request needs."""

import socket

import pytest
from django.db import OperationalError, connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_live_answers_without_a_session(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_checks_the_database_the_storage_and_redis_when_configured(client, settings):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    body = response.json()
    expected = {"database", "storage"} | ({"redis"} if settings.REDIS_URL else set())
    assert set(body["checks"]) == expected
    assert body["status"] == "ok" and all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_ready_is_503_when_the_database_fails(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": False}
    assert "refused" not in response.content.decode()  # the cause stays in the log


@pytest.mark.django_db
def test_ready_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False}
    assert response.json()["checks"]["database"]["ok"]


def test_probes_take_no_other_method(client):
    assert client.post("/health/ready").status_code == 405
