"""Report pages and downloads; thin: selectors read, mentoring.services writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import DownloadKind
from audit.services import record_download
from core import params
from core.errors import ServiceError
from mentoring import services as mentoring_services
from mentoring.models import Role
from mentoring.people import actor_for

from . import exports, selectors
from .forms import ReassignForm
from .pdf import yearly_report_pdf

FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


class BadParameter(Exception):
    pass


def _year(value, *, default: int | None = None) -> int:
    if value in (None, ""):
        return default or timezone.localdate().year
    year = params.year(value)
    if year is None:
        raise BadParameter(_("Tahun tidak valid: isi tahun antara 2000 dan 2100."))
    return year


def _bad_request(request, message: str, status: int = 400) -> TemplateResponse:
    return TemplateResponse(request, "reports/error.html", {"message": message}, status=status)


def _download(request, table: selectors.Table, fmt: str, *, what: str = ""):
    if fmt not in FORMATS:
        raise Http404
    query = what or request.GET.urlencode()
    record_download(
        request=request,
        kind=DownloadKind.EXPORT,
        target=f"{table.title} ({fmt.upper()}){' ' + query if query else ''}",
    )
    return FORMATS[fmt](request, table)


@login_required
def index(request):
    """The reports page: per-unit target compliance of a year and the downloads."""
    try:
        year = _year(request.GET.get("year"))
    except BadParameter as error:
        messages.error(request, str(error))
        year = timezone.localdate().year
    actor = actor_for(request.user)
    summary = selectors.compliance(user=request.user, year=year)
    return TemplateResponse(
        request,
        "reports/index.html",
        {
            "year": year,
            "summary": summary,
            "pekan": selectors.pekan_inovasi(user=request.user, year=year),
            "can_pdf": selectors.can_see_yearly_report(request.user),
            "can_bulk": actor.is_admin,
        },
    )


@login_required
def innovations_export(request, fmt: str):
    """The innovation list with the list page's filters (GET params), as CSV or XLSX."""
    try:
        table = selectors.innovation_export(user=request.user, params=request.GET)
    except ServiceError as error:
        problems = [problem for values in error.fields.values() for problem in values]
        return _bad_request(request, " ".join([error.message, *problems]))
    return _download(request, table, fmt)


@login_required
@require_POST
def innovations_selected_export(request):
    """The rows ticked on the list page (bulk action), as CSV or XLSX; visible rows only."""
    fmt = request.POST.get("format", "csv")
    raw = request.POST.getlist("ids")
    if not raw:
        messages.error(request, _("Pilih sedikitnya satu inovasi untuk diunduh."))
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("portal:innovation-list")
        return redirect(back)
    ids = [number for value in raw if (number := params.whole_number(value)) is not None]
    if len(ids) != len(raw):
        return _bad_request(request, _("Pilihan inovasi tidak valid."))
    if fmt not in FORMATS:
        return _bad_request(request, _("Format unduhan tidak dikenal."))
    table = selectors.innovation_export(user=request.user, params={}, ids=ids)
    return _download(request, table, fmt, what=_("%(count)d inovasi dipilih") % {"count": len(ids)})


@login_required
def compliance_export(request, fmt: str):
    try:
        year = _year(request.GET.get("year"))
    except BadParameter as error:
        return _bad_request(request, str(error))
    return _download(request, selectors.compliance_export(user=request.user, year=year), fmt)


@login_required
def yearly_pdf(request):
    """The regent's printable yearly report (admin and observer only)."""
    if not selectors.can_see_yearly_report(request.user):
        raise PermissionDenied
    try:
        year = _year(request.GET.get("year"))
    except BadParameter as error:
        return _bad_request(request, str(error))
    report = selectors.yearly_report(user=request.user, year=year)
    record_download(
        request=request, kind=DownloadKind.YEARLY_REPORT, target=f"laporan-tahunan-{year}.pdf"
    )
    response = HttpResponse(yearly_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-tahunan-{year}.pdf"'
    return response


@login_required
def reassign(request):
    """Bulk action: one mentor becomes the lead of many units for a year (admin only)."""
    if not actor_for(request.user).is_admin:
        raise PermissionDenied
    errors: Mapping[str, Any] = {}
    status = 200
    try:
        year = _year(request.GET.get("year"))
    except BadParameter as error:
        year = timezone.localdate().year
        errors, status = {"year": [str(error)]}, 400
    summary = selectors.compliance(user=request.user, year=year)
    mentors = User.objects.filter(groups__name=Role.MENTOR, is_active=True).order_by("username")
    form = ReassignForm(
        request.POST if request.method == "POST" else None,
        unit_ids=[unit.unit_id for unit in summary.units],
        mentor_ids=[mentor.pk for mentor in mentors],
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        try:
            result = mentoring_services.reassign_lead_mentor(
                user=request.user, unit_ids=data["unit_ids"], year=year, mentor_id=data["mentor_id"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
            errors, status = error.fields, error.status
        else:
            messages.success(
                request,
                _(
                    "Pendamping utama diganti di %(changed)d unit; %(same)d unit sudah "
                    "dipimpin pendamping tersebut. Pendamping lama menjadi pendamping anggota."
                )
                % {"changed": len(result.changed), "same": len(result.unchanged)},
            )
            return redirect(f"{reverse('portal:report-reassign')}?year={year}")
    elif form.is_bound:
        errors, status = form.errors, 400
    return TemplateResponse(
        request,
        "reports/reassign.html",
        {
            "year": year,
            "units": summary.units,
            "mentors": mentors,
            "selected": set(request.POST.getlist("unit_ids")),
            "mentor_value": request.POST.get("mentor_id", ""),
            "errors": errors,
            "error_labels": {
                "unit_ids": _("Unit"),
                "mentor_id": _("Pendamping baru"),
                "year": _("Tahun program"),
            },
        },
        status=status,
    )
