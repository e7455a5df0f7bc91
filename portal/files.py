"""Private case files: served only to people who may see the case."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from audit.models import DownloadKind
from audit.services import record_download
from mentoring.models import Attachment, EvidenceItem, SessionFile
from mentoring.people import actor_for
from workflow import policy


def _serve(request, stored, kind: DownloadKind):
    if not policy.can_view(actor_for(request.user), stored.innovation):
        raise PermissionDenied
    if not stored.file:  # evidence given as a link
        raise Http404
    record_download(
        request=request,
        kind=kind,
        target=f"{stored.download_name} (#{stored.pk})",
        innovation=stored.innovation,
    )
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=stored.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def evidence_file(request, pk: int):
    return _serve(
        request,
        get_object_or_404(EvidenceItem.objects.select_related("innovation"), pk=pk),
        DownloadKind.EVIDENCE,
    )


@login_required
def attachment_file(request, pk: int):
    return _serve(
        request,
        get_object_or_404(Attachment.objects.select_related("innovation"), pk=pk),
        DownloadKind.ATTACHMENT,
    )


@login_required
def session_file(request, pk: int):
    """A mentoring session's photo or document."""
    return _serve(
        request,
        get_object_or_404(SessionFile.objects.select_related("innovation"), pk=pk),
        DownloadKind.SESSION_FILE,
    )
