"""One error body for the whole API: {"detail": message, "errors": {field: [messages]}}.

DRF's own exceptions, the workflow's ServiceError (raised by every service) and Django's
DoesNotExist all come out in that shape, so a client reads every failure the same way.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import ServiceError


def _as_field_errors(detail) -> dict:
    """A ValidationError detail as {field: [messages]} (a bare list: non_field_errors)."""
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {"non_field_errors": [detail]}


def _body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": str(detail), "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(_body(exc.message, exc.fields), status=exc.status)
    if isinstance(exc, (ObjectDoesNotExist, Http404)):
        set_rollback()
        return Response(_body(_("Data tidak ditemukan.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response(
            _body(_("Data yang dikirim tidak valid."), _as_field_errors(exc.detail)),
            status=exc.status_code,
        )
    if isinstance(exc, exceptions.ParseError):
        set_rollback()
        return Response(
            _body(
                _("Isi permintaan tidak dapat dibaca (JSON tidak valid): %(reason)s")
                % {"reason": exc.detail}
            ),
            status=exc.status_code,
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        # NotAuthenticated-like errors carry a challenge; Throttled carries a wait.
        if auth_header := getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = auth_header
        if wait := getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(wait))
        set_rollback()
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return Response(_body(detail), status=exc.status_code, headers=headers)
    return None
