"""Probes for a load balancer or an orchestrator: `live` answers while the process serves
requests; `ready` also checks what a request needs: the database, Redis (when configured) and
the file storage. Unauthenticated, cheap, never cached; a failing check names itself, not its
error's text (which could reveal hosts or credentials)."""

import logging
import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    # Write and remove a few bytes: a lookup alone passes on a missing bucket (S3 answers a
    # HEAD there with the same 404 as for a missing name) or a read-only disk.
    name = default_storage.save("health/probe", ContentFile(b"ok"))
    default_storage.delete(name)


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": _database, "storage": _storage}
    if settings.REDIS_URL:
        found["redis"] = _redis
    return found


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, bool | float]] = {}
    for name, check in checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception:  # any failure makes the process unready; the log keeps the cause
            log.exception("readiness check %s failed", name)
            results[name] = {"ok": False}
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    ok = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503
    )
