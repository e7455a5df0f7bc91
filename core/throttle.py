"""Brute force on passwords: django-axes counts failed logins per account and per address
(settings.AXES_*); this module gives its refusal our shape and finds the caller's address."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled

from core.http import error_response


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' check, for logins that come with a request (the web and admin logins, the token
    endpoint). A call without one is code vouching for credentials it already holds (tests,
    commands): there is no address to count, so it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def retry_after_seconds(request: HttpRequest | None = None) -> int:
    """How long a locked-out account or address waits: the whole cool-off, counted from the
    last failure (axes' own rule), so never less than the real wait."""
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit.") % {
        "minutes": minutes
    }


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After, as JSON on API paths and as a page
    elsewhere (the web and admin logins). axes' async path passes (request, credentials)."""
    seconds = retry_after_seconds(request)
    response = error_response(request, 429, lockout_message(seconds))
    response["Retry-After"] = str(seconds)
    return response


def refuse_if_locked_out(request: HttpRequest) -> None:
    """For DRF views that authenticate themselves: axes marks the Django request it was given,
    and this turns the mark into DRF's 429 (Retry-After comes from api.errors)."""
    if getattr(request, "axes_locked_out", False):
        seconds = retry_after_seconds(request)
        raise Throttled(wait=seconds, detail=lockout_message(seconds))


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the peer address, or behind the configured proxy the address
    that proxy saw (the last X-Forwarded-For entry, the only one a client cannot forge)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
