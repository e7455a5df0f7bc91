"""Pages and downloads of the national submission; thin: selectors read, services write."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import DownloadKind
from audit.services import record_download
from core import params
from core.errors import ServiceError
from core.http import streamed
from mentoring.models import Innovation, Unit
from mentoring.people import actor_for
from workflow import policy

from . import package, selectors, services

ZIP_TYPE = "application/zip"


def _year(request: HttpRequest) -> int:
    return params.year(request.GET.get("year")) or timezone.localdate().year


def _zip(
    request: HttpRequest, cases: list[Innovation], filename: str, *, by_unit: bool = True
) -> StreamingHttpResponse:
    record_download(
        request=request,
        kind=DownloadKind.PACKAGE,
        target=filename,
        innovation=cases[0] if not by_unit else None,
    )
    packages = package.plan(cases, by_unit=by_unit)
    blocks = package.stream(package.members(packages, summary=by_unit))
    response = streamed(request, blocks, content_type=ZIP_TYPE, what=filename)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The window's board: every case of the year by unit, not ready / ready / entered."""
    year = _year(request)
    return TemplateResponse(
        request,
        "submission/board.html",
        {
            "board": selectors.board(user=request.user, year=year),
            "year": year,
            "can_enter": actor_for(request.user).is_admin,
        },
    )


@login_required
def case_package(request: HttpRequest, pk: int) -> HttpResponseBase:
    innovation = get_object_or_404(Innovation.objects.select_related("unit", "main_urusan"), pk=pk)
    if not policy.can_view(actor_for(request.user), innovation):
        raise PermissionDenied
    name = f"paket-iid-{innovation.year}-{innovation.pk}.zip"
    return _zip(request, [innovation], name, by_unit=False)


@login_required
def unit_package(request: HttpRequest, code: str) -> HttpResponseBase:
    unit = get_object_or_404(Unit, code=code)
    year = _year(request)
    if not policy.can_view_unit(actor_for(request.user), unit.pk, year):
        raise PermissionDenied
    cases = selectors.package_cases(user=request.user, year=year, unit=unit)
    return _zip(request, cases, f"paket-iid-{year}-{unit.code}.zip")


@login_required
def regency_package(request: HttpRequest) -> HttpResponseBase:
    year = _year(request)
    cases = selectors.package_cases(user=request.user, year=year)
    return _zip(request, cases, f"paket-iid-{year}.zip")


@login_required
@require_POST
def record_entry(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = get_object_or_404(Innovation, pk=pk)
    try:
        entry = services.record_entry(
            user=cast(User, request.user),  # login_required
            innovation_id=pk,
            reference=request.POST.get("reference", ""),
        )
    except ServiceError as error:
        detail = " ".join(m for messages_ in error.fields.values() for m in messages_)
        messages.error(request, f"{innovation.name}: {error.message} {detail}".strip())
    else:
        messages.success(
            request,
            _("%(name)s tercatat di portal nasional: %(ref)s.")
            % {"name": innovation.name, "ref": entry.reference},
        )
    target = reverse("portal:national-board") + f"?year={innovation.year}#case-{innovation.pk}"
    return redirect(target)
