"""National results (hasil IID nasional) and calibration (kalibrasi) pages, admins only.

Thin: forms parse the input, scoring.results writes (the same checks as the import), and
scoring.calibration reads."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import DownloadKind
from audit.services import record_download
from core import params
from core.errors import GuardFailed, ServiceError
from mentoring.imports import ImportReport
from mentoring.models import VERIFIED_STAGES, Innovation
from mentoring.people import actor_for
from reports.exports import CSV_TYPE, XLSX_TYPE
from scoring import calibration as calibration_selectors
from scoring import results
from scoring.models import InnovationResult, NationalResult, NationalStatus

from .forms import set_service_errors


def _admin_only(request: HttpRequest) -> None:
    if not actor_for(request.user).is_admin:
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    return params.year(request.GET.get("year")) or timezone.localdate().year


def _decimal(value: str, message: str) -> Any:
    try:
        return results.parse_decimal(value)
    except ValueError as exc:
        raise forms.ValidationError(message) from exc


class RegencyResultForm(forms.Form):
    """The regency's figures from the ministry's decree."""

    spd = forms.CharField(
        label=gettext_lazy("Skor SPD nasional"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    final_iid = forms.CharField(
        label=gettext_lazy("IID final"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Nilai dari keputusan menteri, misalnya 62,70."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    predicate = forms.ChoiceField(label=gettext_lazy("Predikat"), required=False)
    rank = forms.IntegerField(label=gettext_lazy("Peringkat"), required=False)
    decree_number = forms.CharField(
        label=gettext_lazy("Nomor keputusan"),
        required=False,
        max_length=results.DECREE_NUMBER_MAX,
    )
    decree_date = forms.DateField(
        label=gettext_lazy("Tanggal keputusan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, band_names: tuple[str, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["predicate"].choices = [("", "—"), *((n, n) for n in band_names)]  # type: ignore[attr-defined]

    def clean_spd(self) -> Any:
        return _decimal(self.cleaned_data["spd"], _("Skor SPD bukan angka."))

    def clean_final_iid(self) -> Any:
        return _decimal(self.cleaned_data["final_iid"], _("IID final bukan angka."))


class InnovationResultForm(forms.Form):
    """One innovation's national score, status and parameter per indicator. The innovation and
    the parameters are plain numbers here: scoring.results checks the year and the 1-3 range."""

    innovation = forms.IntegerField(label=gettext_lazy("Inovasi"))
    score = forms.CharField(
        label=gettext_lazy("Skor nasional"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Kosongkan untuk menghitung bobot x parameter."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status nasional"), choices=NationalStatus.choices
    )

    def __init__(self, *args, rules: results.YearRules, innovations: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["innovation"].widget = forms.Select(
            choices=[("", "—"), *((i.pk, f"{i.name} — {i.unit.name}") for i in innovations)]
        )
        for number, indicator in sorted(rules.indicators.items()):
            choices = [("", _("— tidak dinilai"))] + [
                (p, f"{p} · {indicator.parameter_meaning(p)}".rstrip(" ·")) for p in (1, 2, 3)
            ]
            self.fields[results.indicator_column(number)] = forms.IntegerField(
                label=f"{number}. {indicator.name} ({_('bobot')} {indicator.weight})",
                required=False,
                widget=forms.Select(choices=choices),
            )

    def clean_score(self) -> Any:
        return _decimal(self.cleaned_data["score"], _("Skor nasional bukan angka."))

    def indicator_fields(self) -> list:
        return [f for f in self if f.name.startswith(results.INDICATOR_PREFIX)]

    def main_fields(self) -> list:
        return [f for f in self if not f.name.startswith(results.INDICATOR_PREFIX)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        help_text=gettext_lazy(
            "Pakai templat: satu baris per inovasi, kolom indikator_<nomor> berisi 1, 2 atau 3. "
            "Satu baris salah: tidak ada yang disimpan."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _show_errors(form: forms.Form, error: ServiceError) -> None:
    set_service_errors(form, error.fields)
    if not error.fields:
        form.add_error(None, error.message)


def _regency_initial(result: NationalResult | None) -> dict[str, Any]:
    if result is None:
        return {}
    return {
        "spd": formats.localize_input(result.spd) if result.spd is not None else "",
        "final_iid": (
            formats.localize_input(result.final_iid.normalize())
            if result.final_iid is not None
            else ""
        ),
        "predicate": result.predicate,
        "rank": result.rank,
        "decree_number": result.decree_number,
        "decree_date": result.decree_date,
    }


def _innovation_initial(row: InnovationResult | None, innovation_id: int | None) -> dict:
    if row is None:
        return {"innovation": innovation_id} if innovation_id else {}
    initial: dict[str, Any] = {
        "innovation": row.innovation_id,
        "score": row.score,
        "status": row.status,
    }
    for given in row.indicators.select_related("indicator"):
        initial[results.indicator_column(given.indicator.number)] = given.parameter
    return initial


@login_required
def national_results(request: HttpRequest) -> HttpResponse:
    """Enter the year's national results: the regency's figures, one innovation's result, or
    an import of many; and the list of what is recorded."""
    _admin_only(request)
    year = _year(request)
    try:
        rules = results.year_rules(year=year)
    except GuardFailed as missing:
        return TemplateResponse(
            request, "portal/results/national_results.html", {"year": year, "missing": missing}
        )
    result = NationalResult.objects.filter(year=year).first()
    innovations = list(
        Innovation.objects.filter(year=year, stage__in=VERIFIED_STAGES)
        .select_related("unit")
        .order_by("unit__name", "name")
    )
    which = request.POST.get("form") if request.method == "POST" else None
    data = request.POST if request.method == "POST" else None
    regency_form = RegencyResultForm(
        data if which == "regency" else None,
        band_names=rules.band_names,
        initial=_regency_initial(result),
        prefix="kab",
    )
    chosen = params.whole_number(request.GET.get("innovation"))
    chosen_row = (
        InnovationResult.objects.filter(national_result__year=year, innovation_id=chosen).first()
        if chosen
        else None
    )
    innovation_form = InnovationResultForm(
        data if which == "innovation" else None,
        rules=rules,
        innovations=innovations,
        initial=_innovation_initial(chosen_row, chosen),
        prefix="inv",
    )
    import_form = ImportForm(
        data if which == "import" else None,
        request.FILES if which == "import" else None,
        prefix="impor",
    )
    report: ImportReport | None = None
    status = 200
    here = f"{reverse('portal:national-results')}?year={year}"
    if which == "regency" and regency_form.is_valid():
        cleaned = regency_form.cleaned_data
        try:
            results.save_regency_result(
                user=cast(User, request.user),
                year=year,
                spd=cleaned["spd"],
                final_iid=cleaned["final_iid"],
                predicate=cleaned["predicate"],
                rank=cleaned["rank"],
                decree_number=cleaned["decree_number"],
                decree_date=cleaned["decree_date"],
            )
        except ServiceError as exc:
            _show_errors(regency_form, exc)
        else:
            messages.success(request, _("Hasil nasional kabupaten disimpan."))
            return redirect(here)
    elif which == "innovation" and innovation_form.is_valid():
        cleaned = innovation_form.cleaned_data
        try:
            results.save_innovation_result(
                user=cast(User, request.user),
                year=year,
                innovation_id=cleaned["innovation"],
                score=cleaned["score"],
                status=cleaned["status"],
                parameters={
                    number: cleaned.get(results.indicator_column(number))
                    for number in rules.indicators
                },
            )
        except ServiceError as exc:
            _show_errors(innovation_form, exc)
        else:
            messages.success(request, _("Hasil nasional inovasi disimpan."))
            return redirect(here)
    elif which == "import" and import_form.is_valid():
        report = results.import_innovation_results(
            user=cast(User, request.user), year=year, upload=import_form.cleaned_data["file"]
        )
        if report.ok:
            messages.success(
                request,
                _("Impor berhasil: %(created)d hasil baru, %(updated)d diperbarui.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect(here)
    elif which not in (None, "regency", "innovation", "import"):
        raise Http404
    forms_used = (regency_form, innovation_form, import_form)
    if which and (report is not None or any(form.errors for form in forms_used)):
        status = 400
    recorded = (
        InnovationResult.objects.filter(national_result__year=year)
        .select_related("innovation__unit")
        .prefetch_related("indicators__indicator")
        .order_by("innovation__unit__name", "innovation__name")
    )
    numbers = sorted(rules.indicators)
    rows = []
    for row in recorded:
        given = {r.indicator.number: r.parameter for r in row.indicators.all()}
        rows.append((row, [given.get(n) for n in numbers]))
    return TemplateResponse(
        request,
        "portal/results/national_results.html",
        {
            "year": year,
            "result": result,
            "regency_form": regency_form,
            "innovation_form": innovation_form,
            "import_form": import_form,
            "report": report,
            "posted": which,
            "numbers": numbers,
            "rows": rows,
            "verified_count": len(innovations),
        },
        status=status,
    )


@login_required
def national_results_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template of the year (CSV or XLSX) with what is recorded so far."""
    _admin_only(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    year = _year(request)
    try:
        body = results.template_csv(year=year) if fmt == "csv" else results.template_xlsx(year=year)
    except GuardFailed as missing:
        messages.error(request, missing.message)
        return redirect(f"{reverse('portal:national-results')}?year={year}")
    filename = f"hasil-iid-nasional-{year}.{fmt}"
    record_download(request=request, kind=DownloadKind.EXPORT, target=filename)
    response = HttpResponse(body, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def calibration(request: HttpRequest) -> HttpResponse:
    """The estimate against the national result, per indicator and overall."""
    _admin_only(request)
    year = _year(request)
    found = calibration_selectors.calibration(year=year)
    return TemplateResponse(
        request,
        "portal/results/calibration.html",
        {"year": year, "calibration": found, "today": timezone.localdate()},
    )
