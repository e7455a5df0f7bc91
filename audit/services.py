"""Writes of the download log."""

from django.contrib.auth.models import User
from django.http import HttpRequest

from core.throttle import client_ip
from mentoring.models import Innovation

from .models import DownloadKind, DownloadRecord


def record_download(
    *,
    request: HttpRequest,
    kind: DownloadKind,
    target: str,
    innovation: Innovation | None = None,
) -> DownloadRecord:
    """Log that the requesting person is downloading `target` (written before the body is
    sent: an interrupted download still counts as taken)."""
    user: User = request.user  # type: ignore[assignment]  # the views are login_required
    return DownloadRecord.objects.create(
        user=user,
        username=user.get_username(),
        kind=kind,
        innovation=innovation,
        target=target[:300],
        address=client_ip(request),
    )
