"""HTTP plumbing every app shares: error answers in the API's shape or as pages, query strings
that would reach the database as a 500, the headers every response carries, and streamed
bodies that end even when their source fails."""

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The body of every API error: {"detail": message, "errors": {field: [messages]}}."""
    return {"detail": str(detail), "errors": errors or {}}


def error_response(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """An error in the API's JSON shape for API paths, as a page for the others."""
    if is_api(request):
        return JsonResponse(error_body(detail, errors), status=status)
    return render(
        request,
        "error.html",
        {"status": status, "detail": detail, "errors": errors or {}},
        status=status,
    )


# --- Django's error views (config/urls.py), so that the API always answers in JSON ---------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Also what a body over DATA_UPLOAD_MAX_MEMORY_SIZE ends in (RequestDataTooBig).
    return error_response(request, 400, _("Permintaan tidak dapat diproses."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403, _("Anda tidak memiliki akses ke halaman ini."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a stale or foreign form gets our 403 page (with a way home),
    not Django's bare one."""
    return error_response(
        request,
        403,
        _(
            "Formulir sudah kedaluwarsa atau tidak dikirim dari situs ini; "
            "muat ulang lalu coba lagi."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, _("Halaman tidak ditemukan."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, _("Terjadi kesalahan pada server; sudah dicatat."))


# --- middleware ----------------------------------------------------------------------------------


class RejectNulMiddleware:
    """A NUL character in the query string reaches PostgreSQL as an error (it cannot store
    one in text): answered 400 naming the parameter, before any view reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                field = name.replace("\x00", "")
                return error_response(
                    request,
                    400,
                    _("Parameter tidak valid."),
                    {field or "query": [_("Karakter NUL tidak diterima.")]},
                )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """What the browser may do with our pages: nothing from other origins (the CSP comes from
    django-csp, Cross-Origin-Opener-Policy from SecurityMiddleware), no powerful features, and
    pages kept out of shared caches."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_cache_control(response, private=True)
        return response


# --- streamed bodies -----------------------------------------------------------------------------


def _until_failure(blocks: Iterator[bytes], what: str, trailer: bytes) -> Iterator[bytes]:
    """The blocks, ending the body (logged) when the source fails part-way: the client gets
    the file cut short, then `trailer` (what a reader of that format sees as the failure),
    and a closed response, never a connection left open."""
    try:
        yield from blocks
    except Exception:
        log.exception("streamed %s failed part-way; the response ends here", what)
        if trailer:
            yield trailer


def _next_block(blocks: Iterator[bytes]) -> bytes | None:
    return next(blocks, None)


async def as_async(blocks: Iterator[bytes]) -> AsyncIterator[bytes]:
    step = sync_to_async(_next_block, thread_sensitive=False)
    while (block := await step(blocks)) is not None:
        if block:
            yield block


def streamed(
    request: HttpRequest,
    blocks: Iterator[bytes],
    *,
    content_type: str,
    what: str,
    trailer: bytes = b"",
) -> StreamingHttpResponse:
    """A response that sends `blocks` as they come: to an ASGI server through an async
    iterator (Django reads a synchronous one whole first there), to a WSGI one as they are."""
    safe = _until_failure(blocks, what, trailer)
    content = as_async(safe) if isinstance(request, ASGIRequest) else safe
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
