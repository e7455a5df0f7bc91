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
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from core.errors import ServiceError
from core.http import error_body

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def _as_field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """A ValidationError detail as {field: [messages]}: nested errors under dotted names
    (`follow_ups.0.due_date`), messages at the top level under non_field_errors."""
    if isinstance(detail, dict):
        # A nested object's or list's own errors (DRF files them under non_field_errors) are
        # errors of the field that holds it.
        return _merge(
            _as_field_errors(value, prefix if key == NON_FIELD else f"{prefix}{key}.")
            for key, value in detail.items()
        )
    name = prefix.removesuffix(".") or NON_FIELD
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return {name: [str(item) for item in detail]} if detail else {}
        # A list field's errors: one entry per item, empty for the items that were valid.
        return _merge(
            _as_field_errors(item, f"{prefix}{index}.")
            if isinstance(item, (dict, list))
            else {f"{prefix}{index}": [str(item)]}
            for index, item in enumerate(detail)
            if item
        )
    return {name: [str(detail)]}


def _merge(parts) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for name, messages in part.items():
            merged.setdefault(name, []).extend(messages)
    return merged


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(error_body(exc.message, exc.fields), status=exc.status)
    if isinstance(exc, (ObjectDoesNotExist, Http404)):
        set_rollback()
        return Response(error_body(_("Data tidak ditemukan.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response(
            error_body(_("Data yang dikirim tidak valid."), _as_field_errors(exc.detail)),
            status=exc.status_code,
        )
    if isinstance(exc, exceptions.ParseError):
        set_rollback()
        return Response(
            error_body(_("Isi permintaan tidak dapat dibaca: %(reason)s") % {"reason": exc.detail}),
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
        return Response(error_body(detail), status=exc.status_code, headers=headers)
    return None
