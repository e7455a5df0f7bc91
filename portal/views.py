"""Thin page views: reads through the selectors, writes through the services.

Every ServiceError a service raises is shown on the page (message + field errors), never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from dashboards import charts as dashboard_charts
from dashboards import selectors as dashboard_selectors
from mentoring.models import (
    CANCELLED_STAGES,
    EvidenceItem,
    Innovation,
    MentorAssignment,
    Stage,
    Unit,
)
from mentoring.people import actor_for
from mentoring.selectors import current_mentors
from submission.selectors import PACKAGE_STAGES
from workflow import eligibility, lifecycle, policy, selectors, services
from workflow.flows import InnovationFlow

from . import forms
from .charts import process_chart_svg

PAGE_SIZE = 25


def _page(request, template: str, context: dict, status: int = 200) -> TemplateResponse:
    # TemplateResponse lets viewflow's SiteMiddleware add the app context (menu badges).
    return TemplateResponse(request, template, context, status=status)


EXTRA_LABELS = {
    "evidence": gettext_lazy("Data dukung"),
    "sessions": gettext_lazy("Sesi pendampingan"),
    "comment": gettext_lazy("Komentar"),
    "action": gettext_lazy("Aksi"),
    "note": gettext_lazy("Catatan"),
    "rancang_bangun": gettext_lazy("Rancang bangun"),
    "link": gettext_lazy("Tautan"),
    "file": gettext_lazy("Berkas"),
    "expected_stage": gettext_lazy("Tahap"),
    "Idempotency-Key": gettext_lazy("Pengiriman formulir"),
}


def labelled_errors(fields: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """Service field errors with the field's Indonesian label, for the error box."""
    rows = []
    for name, errors in fields.items():
        label = EXTRA_LABELS.get(name) or Innovation.field_label(name)
        rows.append((str(label).capitalize(), errors))
    return rows


def _error_status(error: ServiceError) -> int:
    # Forbidden/conflict keep their status; a form problem re-renders the page as a normal answer.
    return error.status if error.status in (403, 409) else 200


@login_required
def home(request):
    """Tugas saya (the cases waiting for me, oldest wait first), then each of my roles'
    dashboard for the programme year (`?year=`, default this year)."""
    cases = selectors.waiting_for(user=request.user)
    actor = actor_for(request.user)
    year, year_error = dashboard_selectors.programme_year(raw=request.GET.get("year"))
    if year_error:
        messages.error(request, f"{_('Tahun program')}: {year_error}")
    board = dashboard_selectors.home_dashboard(user=request.user, year=year)
    return _page(
        request,
        "portal/home.html",
        {
            "cases": cases,
            "can_create": bool(actor.own_units),
            "board": board,
            "charts": dashboard_charts.summary_charts(board.summary) if board.summary else {},
        },
    )


@login_required
def innovation_list(request):
    try:
        qs = selectors.innovation_list(user=request.user, params=request.GET)
    except ServiceError as error:
        # A bad filter value (e.g. due_before) is named on the page; the list shows unfiltered.
        for problems in (error.fields or {}).values():
            for problem in problems:
                messages.error(request, f"{error.message} {problem}")
        qs = selectors.innovation_list(user=request.user, params={})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    actor = actor_for(request.user)
    return _page(
        request,
        "portal/innovation_list.html",
        {
            "page": page,
            "filters": request.GET,
            "querystring": params.urlencode(),
            "stages": Stage.choices,
            "units": Unit.objects.filter(
                pk__in=selectors.visible_innovations(user=request.user).values("unit_id")
            ).only("code", "name"),
            "mentors": MentorAssignment.objects.values_list(
                "mentor__username", flat=True
            ).distinct(),
            "can_create": bool(actor.own_units),
        },
    )


def _visible(request, pk: int) -> Innovation:
    try:
        innovation = selectors.innovation_page(pk=pk)
    except Innovation.DoesNotExist as exc:
        raise Http404 from exc
    if not policy.can_view(actor_for(request.user), innovation):
        raise PermissionDenied
    return innovation


def _detail_context(request, innovation: Innovation, **overrides) -> dict:
    actor = actor_for(request.user)
    moves = policy.allowed_transitions(actor, innovation)
    action_forms = overrides.pop("action_forms", {})
    process = getattr(innovation, "process", None)
    review_forms = overrides.pop("review_forms", {})
    can_review = policy.can_review_evidence(actor, innovation)
    evidence = [
        (
            item,
            review_forms.get(item.pk)
            or (forms.ReviewForm(prefix=f"r{item.pk}") if can_review else None),
        )
        for item in innovation.evidence.all()
    ]
    # The national desk check, once the case has a profile worth checking.
    desk = None if innovation.stage in CANCELLED_STAGES else eligibility.desk_check(innovation)
    context = {
        "innovation": innovation,
        "mentors": current_mentors(unit=innovation.unit, year=innovation.year),
        "history": list(innovation.history.all()),
        "visits": dashboard_selectors.visit_rows(innovation=innovation),
        "sessions": list(innovation.sessions.all()),
        "evidence": evidence,
        "attachments": list(innovation.attachments.all()),
        "actions": [
            {
                "name": move.action.value,
                "label": move.action.label,
                "form": action_forms.get(move.action) or forms.ActionForm(move=move),
                "danger": move.ends_process,
            }
            for move in moves
        ],
        "can_edit": bool(policy.editable_fields(actor, innovation)),
        "can_log_session": policy.can_log_session(actor, innovation),
        "can_upload_evidence": policy.can_upload_evidence(actor, innovation),
        "can_add_attachment": bool(policy.editable_fields(actor, innovation)),
        "can_review": can_review,
        "desk": desk,
        "has_package": innovation.stage in PACKAGE_STAGES,
        "national_entry": getattr(innovation, "national_entry", None),
        "sections": [
            {
                "label": Innovation.field_label(name).capitalize(),
                "text": getattr(innovation, name),
                "words": words,
            }
            for name, words in innovation.section_words().items()
        ],
        "chart_svg": process_chart_svg(process) if process else "",
        "process_url": (
            InnovationFlow.instance.reverse("process_detail", args=[process.pk])
            if process and InnovationFlow.instance.has_view_permission(request.user)
            else ""
        ),
        "error": None,
    }
    context.update(overrides)
    return context


@login_required
def innovation_detail(request, pk: int):
    innovation = _visible(request, pk)
    return _page(request, "portal/innovation_detail.html", _detail_context(request, innovation))


@login_required
@require_POST
def innovation_action(request, pk: int, action: str):
    innovation = _visible(request, pk)
    # An action the stage does not have is refused by the service (409), with the page.
    form = forms.ActionForm(request.POST, move=lifecycle.transition(innovation.stage, action))
    if form.is_valid():
        try:
            result = services.perform_action(
                user=request.user,
                innovation_id=innovation.pk,
                action=action,
                comment=form.cleaned_data["comment"],
                precondition=services.Precondition(
                    expected_stage=form.cleaned_data["expected_stage"],
                    key=form.cleaned_data["request_key"],
                ),
            )
        except ServiceError as error:
            forms.set_service_errors(form, {"comment": error.fields.pop("comment", [])})
            context = _detail_context(
                request,
                innovation,
                action_forms={action: form},
                error={
                    "message": error.message,
                    "fields": labelled_errors(error.fields),
                    "action": action,
                },
            )
            return _page(
                request, "portal/innovation_detail.html", context, status=_error_status(error)
            )
        messages.success(
            request,
            _("%(action)s: tahap sekarang %(stage)s.")
            % {
                "action": result.event.get_action_display(),
                "stage": result.innovation.get_stage_display(),
            },
        )
        return redirect("portal:innovation-detail", pk=innovation.pk)
    context = _detail_context(request, innovation, action_forms={action: form})
    return _page(request, "portal/innovation_detail.html", context)


def _form_page(request, *, form, save, success_message: str, context: dict, ready=None):
    """A form page: on a valid POST run `save()` (returns the URL to go to) through the services;
    a ServiceError re-renders the form with its message and field errors."""
    error, status = None, 200
    if request.method == "POST" and (ready() if ready else form.is_valid()):
        try:
            target = save()
        except ServiceError as exc:
            error = exc.message
            forms.set_service_errors(form, exc.fields)
            status = _error_status(exc)
        else:
            messages.success(request, success_message)
            return redirect(target)
    return _page(
        request, "portal/form_page.html", {"form": form, "error": error, **context}, status=status
    )


def _case_context(innovation: Innovation, title: str, submit_label: str, **extra) -> dict:
    return {
        "innovation": innovation,
        "title": title % {"name": innovation.name},
        "submit_label": submit_label,
        "cancel_url": reverse("portal:innovation-detail", args=[innovation.pk]),
        **extra,
    }


@login_required
def innovation_create(request):
    actor = actor_for(request.user)
    units = sorted(actor.own_units)
    if not units:
        raise PermissionDenied
    form = forms.InnovationCreateForm(request.POST or None, units=units)

    def save():
        result = services.create_innovation(
            user=request.user,
            unit=form.cleaned_data["unit"],
            year=form.cleaned_data["year"],
            profile=form.profile(),
        )
        return reverse("portal:innovation-detail", args=[result.innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Inovasi baru tersimpan pada tahap Usulan."),
        context={
            "title": _("Usulkan inovasi baru"),
            "submit_label": _("Simpan usulan"),
            "cancel_url": reverse("portal:home"),
        },
    )


@login_required
def innovation_edit(request, pk: int):
    innovation = _visible(request, pk)
    editable = policy.editable_fields(actor_for(request.user), innovation)
    if not editable:
        raise PermissionDenied
    form = forms.InnovationEditForm(
        request.POST or None,
        instance=innovation,
        editable=editable,
        rules=eligibility.year_basis(innovation.year).rules,
    )

    def save():
        services.update_innovation(
            user=request.user, innovation_id=innovation.pk, changes=form.changes()
        )
        return reverse("portal:innovation-detail", args=[innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Profil inovasi tersimpan."),
        context=_case_context(innovation, _("Ubah profil: %(name)s"), _("Simpan profil")),
    )


@login_required
def session_create(request, pk: int):
    innovation = _visible(request, pk)
    if not policy.can_log_session(actor_for(request.user), innovation):
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None)
    formset = forms.FollowUpFormSet(request.POST or None, prefix="fu")

    def save():
        follow_ups = [
            services.FollowUpInput(description=row["description"], due_date=row["due_date"])
            for row in formset.cleaned_data
            if row.get("description")
        ]
        services.log_session(
            user=request.user,
            innovation_id=innovation.pk,
            follow_ups=follow_ups,
            **form.cleaned_data,
        )
        return reverse("portal:innovation-detail", args=[innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        ready=lambda: form.is_valid() and formset.is_valid(),
        success_message=_("Sesi pendampingan tercatat."),
        context=_case_context(
            innovation,
            _("Catat sesi pendampingan: %(name)s"),
            _("Simpan sesi"),
            formset=formset,
            formset_title=_("Tindak lanjut"),
        ),
    )


@login_required
def evidence_create(request, pk: int):
    innovation = _visible(request, pk)
    if not policy.can_upload_evidence(actor_for(request.user), innovation):
        raise PermissionDenied
    initial = {}
    if indicator := request.GET.get("indicator"):
        initial["indicator"] = indicator
    form = forms.EvidenceForm(
        request.POST or None, request.FILES or None, year=innovation.year, initial=initial
    )

    def save():
        services.add_evidence(
            user=request.user,
            innovation_id=innovation.pk,
            indicator_id=form.cleaned_data["indicator"].pk,
            parameter=form.cleaned_data["parameter"],
            upload=form.cleaned_data["file"],
            link=form.cleaned_data["link"],
            description=form.cleaned_data["description"],
        )
        name = (
            "portal:evidence-create" if "_another" in request.POST else "portal:innovation-detail"
        )
        return reverse(name, args=[innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Data dukung terunggah."),
        context=_case_context(
            innovation,
            _("Unggah data dukung: %(name)s"),
            _("Unggah"),
            multipart=True,
            another_label=_("Simpan dan unggah lagi"),
            parameter_meanings=form.meanings,
        ),
    )


@login_required
def attachment_create(request, pk: int):
    innovation = _visible(request, pk)
    if not policy.editable_fields(actor_for(request.user), innovation):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)

    def save():
        services.add_attachment(
            user=request.user,
            innovation_id=innovation.pk,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        return reverse("portal:innovation-detail", args=[innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Lampiran tersimpan."),
        context=_case_context(
            innovation, _("Tambah lampiran: %(name)s"), _("Simpan lampiran"), multipart=True
        ),
    )


@login_required
def evidence_review(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = get_object_or_404(EvidenceItem.objects.only("innovation_id"), pk=pk)
    innovation = _visible(request, item.innovation_id)
    form = forms.ReviewForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            services.review_evidence(
                user=request.user,
                evidence_id=pk,
                valid=form.cleaned_data["valid"],
                note=form.cleaned_data["note"],
                verified_parameter=form.cleaned_data["verified_parameter"],
            )
        except ServiceError as exc:
            forms.set_service_errors(form, exc.fields)
            context = _detail_context(
                request,
                innovation,
                review_forms={pk: form},
                error={"message": exc.message, "fields": [], "action": ""},
            )
            return _page(
                request, "portal/innovation_detail.html", context, status=_error_status(exc)
            )
        messages.success(request, _("Hasil verifikasi tersimpan."))
        return redirect(reverse("portal:innovation-detail", args=[innovation.pk]) + "#evidence")
    context = _detail_context(request, innovation, review_forms={pk: form})
    return _page(request, "portal/innovation_detail.html", context)
