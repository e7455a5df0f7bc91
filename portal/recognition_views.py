"""Replications, awards, HKI and the inovasi unggulan in the web UI: the forms on their own
pages (portal/form_page.html), the case page's section (templates/portal/includes/
recognition.html, filled by the `case_recognition` tag), the award points report with the
unggulan picks (/recognition/), and the evidence files through the permission-checked path.

Thin: the forms parse input, recognition.services decides and writes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import DownloadKind
from core import params
from core.errors import ServiceError
from mentoring.models import Innovation, Unit
from mentoring.people import actor_for
from recognition import selectors, services
from recognition.models import AwardLevel, FeaturedInnovation, HkiKind, HkiStatus

from . import files
from .forms import DATE, _apply_widgets, set_service_errors
from .views import _case_context, _form_page, _page, _visible

LINK_HELP = gettext_lazy(
    "Alamat web bukti (berita, sertifikat daring), bila tidak mengunggah berkas."
)


class _EvidenceFields(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas bukti"), required=False)
    link = forms.CharField(
        label=gettext_lazy("atau tautan bukti"), required=False, help_text=LINK_HELP
    )


class ReplicationForm(_EvidenceFields):
    date = forms.DateField(label=gettext_lazy("Tanggal replikasi"))
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit di kabupaten yang mereplikasi"),
        queryset=Unit.objects.none(),
        required=False,
    )
    region_name = forms.CharField(
        label=gettext_lazy("atau daerah lain"),
        required=False,
        help_text=gettext_lazy("Mis. Kabupaten Paser, bila yang mereplikasi di luar kabupaten."),
    )
    replicator_name = forms.CharField(label=gettext_lazy("Instansi di daerah lain"), required=False)
    note = forms.CharField(label=gettext_lazy("Keterangan"), required=False)
    field_order = ["date", "unit", "region_name", "replicator_name", "note", "file", "link"]

    def __init__(self, *args, innovation: Innovation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(pk=innovation.unit_id)  # type: ignore[attr-defined]
        self.order_fields(self.field_order)
        _apply_widgets(self)


class AwardForm(_EvidenceFields):
    level = forms.ChoiceField(label=gettext_lazy("Tingkat"), choices=AwardLevel.choices)
    year = forms.IntegerField(label=gettext_lazy("Tahun penghargaan"))
    name = forms.CharField(label=gettext_lazy("Nama penghargaan"))
    giver = forms.CharField(label=gettext_lazy("Pemberi"))
    rank = forms.CharField(
        label=gettext_lazy("Peringkat"),
        required=False,
        help_text=gettext_lazy("Mis. Juara I, Terbaik, Top 45."),
    )
    field_order = ["level", "year", "name", "giver", "rank", "file", "link"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        _apply_widgets(self)


class HkiForm(_EvidenceFields):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis HKI"), choices=HkiKind.choices)
    number = forms.CharField(label=gettext_lazy("Nomor permohonan/pencatatan"))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=HkiStatus.choices)
    date = forms.DateField(label=gettext_lazy("Tanggal"))
    field_order = ["kind", "number", "status", "date", "file", "link"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        _apply_widgets(self)


class FeaturedForm(forms.Form):
    innovation = forms.ModelChoiceField(
        label=gettext_lazy("Inovasi"), queryset=Innovation.objects.none()
    )
    presentation_date = forms.DateField(label=gettext_lazy("Tanggal paparan"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Tema/catatan"), required=False)

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = selectors.featured_candidates(year=year)  # type: ignore[attr-defined]
        _apply_widgets(self)


def _recording_case(request: HttpRequest, pk: int) -> Innovation:
    innovation = _visible(request, pk)
    if not services.may_record(actor_for(request.user), innovation):
        raise PermissionDenied
    return innovation


def _back(innovation: Innovation) -> str:
    return reverse("portal:innovation-detail", args=[innovation.pk]) + "#recognition"


def _record_page(
    request, innovation: Innovation, form, record, *, success: str, title: str, submit: str
):
    """A record's form page: `record` gets the form's fields (the file as `upload`)."""

    def save():
        data = dict(form.cleaned_data)
        data["upload"] = data.pop("file")
        record(user=request.user, innovation_id=innovation.pk, **data)
        return _back(innovation)

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=success,
        context=_case_context(innovation, title, submit, multipart=True),
    )


def _record_replication(*, unit: Unit | None, **fields) -> None:
    services.record_replication(unit_id=unit.pk if unit else None, **fields)


@login_required
def replication_create(request, pk: int):
    innovation = _recording_case(request, pk)
    return _record_page(
        request,
        innovation,
        ReplicationForm(request.POST or None, request.FILES or None, innovation=innovation),
        _record_replication,
        success=_("Replikasi tercatat."),
        title=_("Catat replikasi: %(name)s"),
        submit=_("Simpan replikasi"),
    )


@login_required
def award_create(request, pk: int):
    innovation = _recording_case(request, pk)
    return _record_page(
        request,
        innovation,
        AwardForm(request.POST or None, request.FILES or None),
        services.record_award,
        success=_("Penghargaan tercatat."),
        title=_("Catat penghargaan: %(name)s"),
        submit=_("Simpan penghargaan"),
    )


@login_required
def hki_create(request, pk: int):
    innovation = _recording_case(request, pk)
    return _record_page(
        request,
        innovation,
        HkiForm(request.POST or None, request.FILES or None),
        services.record_hki,
        success=_("HKI tercatat."),
        title=_("Catat HKI: %(name)s"),
        submit=_("Simpan HKI"),
    )


@login_required
@require_POST
def record_remove(request, kind: str, pk: int):
    model = services.RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    innovation_id = model.objects.filter(pk=pk).values_list("innovation_id", flat=True).first()
    if innovation_id is None:
        raise Http404
    innovation = _visible(request, int(innovation_id))
    try:
        services.remove_record(user=request.user, kind=kind, record_id=pk)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Catatan dihapus."))
    return redirect(_back(innovation))


@login_required
def record_file(request, kind: str, pk: int):
    """A replication's, award's or HKI filing's evidence file, to the case's viewers (logged)."""
    model = services.RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    stored = get_object_or_404(model.objects.select_related("innovation"), pk=pk)
    return files._serve(request, stored, DownloadKind.RECOGNITION_FILE)


@login_required
def recognition_report(request):
    """Award points per unit and head for a year (`?year=`), and the year's inovasi unggulan:
    admins pick and unpick; observers, verifiers and admins read every unit, heads and
    operators their own."""
    actor = actor_for(request.user)
    year = params.year(request.GET.get("year")) or timezone.localdate().year
    unit_ids = selectors.units_for(actor, year=year)
    form = FeaturedForm(request.POST or None, year=year) if actor.is_admin else None
    error = None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.pick_featured(
                    user=request.user,
                    year=year,
                    innovation_id=form.cleaned_data["innovation"].pk,
                    presentation_date=form.cleaned_data["presentation_date"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as exc:
                error = exc.message
                set_service_errors(form, exc.fields)
            else:
                messages.success(request, _("Inovasi unggulan dipilih."))
                return redirect(reverse("portal:recognition") + f"?year={year}")
    report = selectors.award_points(year=year, unit_ids=unit_ids)
    return _page(
        request,
        "portal/recognition.html",
        {
            "year": year,
            "report": report,
            "levels": selectors.level_points(report.rules),
            "featured": selectors.featured_of_year(year=year),
            "form": form,
            "error": error,
            "is_admin": actor.is_admin,
        },
        status=200,
    )


@login_required
@require_POST
def featured_remove(request, pk: int):
    get_object_or_404(FeaturedInnovation, pk=pk)
    try:
        services.unpick_featured(user=request.user, featured_id=pk)
    except ServiceError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Pilihan inovasi unggulan dibatalkan."))
    year = params.year(request.POST.get("year")) or timezone.localdate().year
    return redirect(reverse("portal:recognition") + f"?year={year}")
