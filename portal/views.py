"""Thin page views: reads through the selectors, writes through the services.

Every ServiceError a service raises is shown on the page (message + field errors), never a 500.
"""

import uuid
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from dashboards import charts as dashboard_charts
from dashboards import selectors as dashboard_selectors
from dashboards.operator import operator_dashboard
from mentoring.models import (
    CANCELLED_STAGES,
    EvidenceItem,
    FollowUp,
    Holder,
    Innovation,
    MentorAssignment,
    Role,
    Stage,
    Unit,
)
from mentoring.names import full_name_expression
from mentoring.people import actor_for
from mentoring.selectors import current_mentors
from recognition import selectors as recognition_selectors
from submission.selectors import PACKAGE_STAGES
from workflow import eligibility, lifecycle, policy, selectors, services

from . import forms
from .charts import process_chart_svg

PAGE_SIZE = 25
# Roles that have cases waiting for them ("Tugas saya"); an observer only reads.
ACTING_ROLES = tuple(role for role in Role if role != Role.OBSERVER)


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
    tasks = selectors.waiting_for(user=request.user)
    actor = actor_for(request.user)
    year, year_error = dashboard_selectors.programme_year(raw=request.GET.get("year"))
    if year_error:
        messages.error(request, f"{_('Tahun program')}: {year_error}")
    board = dashboard_selectors.home_dashboard(user=request.user, year=year)
    # The operator's own board: the unit's cases by stage, the next step and the deadlines.
    operator_board = (
        operator_dashboard(unit_ids=actor.operated_units, year=year)
        if actor.operated_units
        else None
    )
    return _page(
        request,
        "portal/home.html",
        {
            "operator_board": operator_board,
            "tasks": tasks,
            # An observer acts on nothing: their home opens on the regency's figures instead
            # of an always empty "0 kasus menunggu Anda".
            "show_tasks": bool(tasks.total) or any(actor.has(role) for role in ACTING_ROLES),
            "can_create": bool(actor.own_units),
            "board": board,
            "charts": dashboard_charts.summary_charts(board.summary) if board.summary else {},
        },
    )


class _CountedPaginator(Paginator):
    """A Paginator given its count (counted once, up to the list's cap)."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


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
    # Counted up to a cap; paged by position (`after`, the (year, id) index) at any depth.
    # A ranked text search keeps page numbers (its order is not an index's).
    ranked = "search_rank" in qs.query.annotations
    total = selectors.list_count(qs)
    after = None if ranked else selectors.parse_cursor(request.GET.get("after"))
    page = None
    if after is not None:
        rows, next_after = selectors.keyset_page(qs, after=after, size=PAGE_SIZE)
    else:
        page = _CountedPaginator(qs, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        next_after = (
            selectors.cursor_of(rows[-1]) if rows and page.has_next() and not ranked else None
        )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    actor = actor_for(request.user)
    return _page(
        request,
        "portal/innovation_list.html",
        {
            "page": page,
            "rows": rows,
            "total": total,
            "count_cap": selectors.LIST_COUNT_CAP,
            "after": after,
            "next_after": next_after,
            "filters": request.GET,
            "querystring": params.urlencode(),
            "stages": Stage.choices,
            "units": Unit.objects.filter(
                pk__in=selectors.visible_innovations(user=request.user).values("unit_id")
            ).only("code", "name"),
            # The filter's value stays the username (links keep working); people see names.
            "mentors": MentorAssignment.objects.annotate(name=full_name_expression("mentor__"))
            .values_list("mentor__username", "name")
            .distinct()
            .order_by("name"),
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


def _stage_steps(innovation: Innovation) -> list[dict]:
    """The lifecycle's stages in order, each done, current or still to come: the process as a
    plain vertical list (read on a phone, where the BPMN chart is too small)."""
    holders = dict(Holder.choices)
    order: list[str] = [*lifecycle.OPEN, Stage.DONE]
    ended_early = innovation.stage in CANCELLED_STAGES
    reached = {visit.stage for visit in innovation.visits.all()}
    current = order.index(innovation.stage) if innovation.stage in order else -1
    steps = []
    for index, stage in enumerate(order):
        if ended_early:
            state = "done" if stage in reached else "todo"
        else:
            state = "done" if index < current else "current" if index == current else "todo"
        holder = str(holders[lifecycle.holder_of(stage)]) if stage in lifecycle.OPEN else ""
        steps.append({"label": str(Stage(stage).label), "holder": holder, "state": state})
    if ended_early:
        steps.append({"label": innovation.get_stage_display(), "holder": "", "state": "current"})
    return steps


def _detail_context(request, innovation: Innovation, **overrides) -> dict:
    actor = actor_for(request.user)
    moves = policy.allowed_transitions(actor, innovation)
    action_form = overrides.pop("action_form", None)
    process = getattr(innovation, "process", None)
    review_forms = overrides.pop("review_forms", {})
    can_review = policy.can_review_evidence(actor, innovation)
    can_upload = policy.can_upload_evidence(actor, innovation)
    can_edit = bool(policy.editable_fields(actor, innovation))
    evidence = [
        (
            item,
            review_forms.get(item.pk)
            or (forms.ReviewForm(prefix=f"r{item.pk}", item=item) if can_review else None),
        )
        for item in innovation.evidence.all()
    ]
    draft = _pop_action_draft(request, innovation.pk)
    if action_form is None:
        action_form = _action_panel_form(moves, draft)
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
        # One panel, one comment box: the case's own moves as buttons, the moves that end the
        # case apart in a danger zone behind a confirmation.
        "actions": [
            {"name": move.action.value, "label": move.action.label, "danger": False}
            for move in moves
            if not move.ends_process
        ],
        "danger_actions": [
            {"name": move.action.value, "label": move.action.label, "danger": True}
            for move in moves
            if move.ends_process
        ],
        "action_form": action_form if moves else None,
        "pending_reviews": sum(
            1 for item, _form in evidence if item.review == EvidenceItem.Review.PENDING
        ),
        "can_change_evidence": can_upload,
        "can_edit": can_edit,
        "can_continue": policy.may_continue(actor, innovation),
        "can_log_session": policy.can_log_session(actor, innovation),
        "can_mark_follow_ups": policy.can_mark_follow_up(actor, innovation),
        "stage_steps": _stage_steps(innovation),
        "can_upload_evidence": can_upload,
        "can_add_attachment": can_edit,
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
        "error": draft.get("error") if draft else None,
    }
    context.update(overrides)
    return context


# A failed action goes back to the case page (never a bare action URL): what was typed and the
# error travel in the session, once, keyed by case.
ACTION_DRAFT = "portal.action-draft"


def _keep_action_draft(request, pk: int, *, comment: str, error: dict, comment_errors) -> None:
    request.session[ACTION_DRAFT] = {
        "pk": pk,
        "comment": comment,
        "comment_errors": [str(e) for e in comment_errors],
        "error": {
            "message": str(error["message"]),
            "fields": [[str(label), [str(m) for m in msgs]] for label, msgs in error["fields"]],
            "action": error["action"],
        },
    }


def _pop_action_draft(request, pk: int) -> dict | None:
    draft = request.session.get(ACTION_DRAFT)
    if not draft or draft.get("pk") != pk:
        return None
    del request.session[ACTION_DRAFT]
    return draft


def _action_panel_form(moves, draft: dict | None) -> forms.ActionForm:
    if not draft:
        return forms.ActionForm(move=None, moves=moves)
    form = forms.ActionForm(
        {
            "comment": draft.get("comment", ""),
            "expected_stage": moves[0].stage.value if moves else "",
            "request_key": uuid.uuid4().hex,
        },
        move=None,
        moves=moves,
    )
    form.is_valid()
    for message in draft.get("comment_errors", []):
        form.add_error("comment", message)
    return form


def moved_message(innovation: Innovation, action: str, from_stage: str) -> str:
    """What the snackbar says after a move: what happened, then who the case waits for."""
    submitted: dict[str, str] = {
        Stage.PROPOSAL: _("Usulan diajukan"),
        Stage.PACKAGING: _("Paket data dukung diajukan"),
        Stage.REPORTING: _("Laporan akhir diajukan"),
    }
    done = {
        "submit": submitted.get(from_stage, _("Diajukan")),
        "approve": _("Disetujui"),
        "return": _("Dikembalikan ke %(stage)s") % {"stage": innovation.get_stage_display()},
        "complete": _("Pendampingan selesai"),
        "accept": _("Verifikasi diterima"),
        "close": _("Kasus ditutup"),
        "reject": _("Usulan ditolak"),
        "withdraw": _("Usulan ditarik"),
    }.get(action, _("Tersimpan"))
    if not innovation.is_open:
        return _("%(done)s; kasus selesai.") % {"done": done}
    who = innovation.get_awaiting_display()
    if lifecycle.holder_of(innovation.stage) == Holder.HEAD:
        waiting = _("menunggu persetujuan %(who)s") % {"who": who}
    else:
        waiting = _("tahap %(stage)s, menunggu %(who)s") % {
            "stage": innovation.get_stage_display(),
            "who": who,
        }
    return _("%(done)s; %(waiting)s.") % {"done": done, "waiting": waiting}


@login_required
def innovation_detail(request, pk: int):
    innovation = _visible(request, pk)
    return _page(request, "portal/innovation_detail.html", _detail_context(request, innovation))


@login_required
def innovation_action(request, pk: int, action: str):
    """One action from the case page's panel. Success and failure both end on the case page:
    a failure brings back the comment as typed with the error beside it. A plain GET (a
    reload, a pasted address) goes to the case too."""
    innovation = _visible(request, pk)
    case_url = reverse("portal:innovation-detail", args=[innovation.pk])
    if request.method != "POST":
        return redirect(case_url)
    from_stage = innovation.stage
    # An action the stage does not have is refused by the service (409).
    form = forms.ActionForm(request.POST, move=lifecycle.transition(innovation.stage, action))
    if not form.is_valid():
        _keep_action_draft(
            request,
            innovation.pk,
            comment=request.POST.get("comment", "")[:4000],
            error={"message": _("Periksa kembali isian Anda."), "fields": [], "action": action},
            comment_errors=form.errors.get("comment", []),
        )
        return redirect(case_url + "#actions")
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
        comment_errors = error.fields.pop("comment", [])
        if error.status == 403:
            # Not this person's action at all: nothing to retry here.
            forms.set_service_errors(form, {"comment": comment_errors})
            context = _detail_context(
                request,
                innovation,
                action_form=form,
                error={"message": error.message, "fields": [], "action": action},
            )
            return _page(request, "portal/innovation_detail.html", context, status=403)
        _keep_action_draft(
            request,
            innovation.pk,
            comment=form.cleaned_data["comment"],
            error={
                "message": error.message,
                "fields": labelled_errors(error.fields),
                "action": action,
            },
            comment_errors=comment_errors,
        )
        return redirect(case_url + "#actions")
    messages.success(request, moved_message(result.innovation, action, from_stage))
    return redirect(case_url)


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


def _report_error(request, error: ServiceError) -> None:
    """A button's service error: a refusal is a 403 page, anything else a message on the page
    the button goes back to."""
    if error.status == 403:
        raise PermissionDenied from error
    messages.error(request, error.message)


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
def innovation_continue(request, pk: int):
    """Continue a closed case's innovation into the next year: the new case opens with the
    profile carried over (the unit's head or operator; the service checks the rest)."""
    innovation = _visible(request, pk)
    if not actor_for(request.user).works_in(innovation.unit_id):
        raise PermissionDenied
    form = forms.ContinueForm(request.POST or None, initial={"year": innovation.year + 1})

    def save():
        result = services.continue_innovation(
            user=request.user,
            innovation_id=innovation.pk,
            year=form.cleaned_data["year"],
            perkembangan=form.cleaned_data["perkembangan"],
        )
        return reverse("portal:innovation-detail", args=[result.innovation.pk])

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Inovasi dilanjutkan: kasus tahun berikutnya terbuka pada tahap Usulan."),
        context=_case_context(
            innovation,
            _("Lanjutkan ke tahun berikutnya: %(name)s"),
            _("Lanjutkan inovasi"),
            intro=_(
                "Profil inovasi disalin ke kasus tahun berikutnya; laporan, data dukung dan "
                "sesi tahun ini tetap pada kasus ini."
            ),
        ),
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
    form = forms.SessionForm(request.POST or None, request.FILES or None)
    formset = forms.FollowUpFormSet(request.POST or None, prefix="fu")
    # The attendee rows are optional as a block too (a client that sends none logs no one).
    attendees = forms.AttendeeFormSet(
        request.POST if "att-TOTAL_FORMS" in request.POST else None, prefix="att"
    )

    def save():
        follow_ups = [
            services.FollowUpInput(description=row["description"], due_date=row["due_date"])
            for row in formset.cleaned_data
            if row.get("description")
        ]
        people = [
            services.AttendeeInput(name=row["name"], role=row.get("role", ""))
            for row in (attendees.cleaned_data if attendees.is_bound else [])
            if row.get("name")
        ]
        fields = dict(form.cleaned_data)
        uploads = fields.pop("uploads")
        try:
            services.log_session(
                user=request.user,
                innovation_id=innovation.pk,
                follow_ups=follow_ups,
                attendees=people,
                files=uploads,
                **fields,
            )
        except ServiceError as error:
            if "files" in error.fields:  # the service names them "files", the form "uploads"
                error.fields["uploads"] = error.fields.pop("files")
            raise
        return reverse("portal:innovation-detail", args=[innovation.pk]) + "#sessions"

    return _form_page(
        request,
        form=form,
        save=save,
        ready=lambda: all(
            [form.is_valid(), formset.is_valid(), not attendees.is_bound or attendees.is_valid()]
        ),
        success_message=_("Sesi pendampingan tercatat."),
        context=_case_context(
            innovation,
            _("Catat sesi pendampingan: %(name)s"),
            _("Simpan sesi"),
            multipart=True,
            formsets=[(_("Peserta sesi"), attendees), (_("Tindak lanjut"), formset)],
        ),
    )


@login_required
@require_POST
def follow_up_done(request, pk: int):
    """Tick a follow-up done (or open it again), then back to where the button was."""
    follow_up = get_object_or_404(FollowUp.objects.select_related("session"), pk=pk)
    innovation = _visible(request, follow_up.session.innovation_id)
    form = forms.FollowUpDoneForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    try:
        services.set_follow_up_done(user=request.user, follow_up_id=pk, done=done)
    except ServiceError as error:
        _report_error(request, error)
    else:
        messages.success(
            request,
            _("Tindak lanjut ditandai selesai.") if done else _("Tindak lanjut dibuka lagi."),
        )
    target = request.POST.get("next", "")
    if target == "home":
        return redirect(reverse("portal:home") + "#dash-mentor")
    return redirect(reverse("portal:innovation-detail", args=[innovation.pk]) + "#sessions")


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
            intro=recognition_selectors.replication_hint(innovation=innovation),
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


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def evidence_review(request, pk: int):
    """Save one evidence item's review. The page's script sends it in the background and gets
    JSON (the page stays where it is); without the script the answer goes back to the item."""
    item = get_object_or_404(
        EvidenceItem.objects.only("innovation_id", "parameter", "review"), pk=pk
    )
    innovation = _visible(request, item.innovation_id)
    anchor = reverse("portal:innovation-detail", args=[innovation.pk]) + f"#evidence-{pk}"
    if request.method != "POST":
        return redirect(anchor)
    form = forms.ReviewForm(request.POST, prefix=f"r{pk}", item=item)
    error: ServiceError | None = None
    if form.is_valid():
        try:
            saved = services.review_evidence(
                user=request.user,
                evidence_id=pk,
                valid=form.cleaned_data["valid"],
                note=form.cleaned_data["note"],
                verified_parameter=form.cleaned_data["verified_parameter"],
            )
        except ServiceError as exc:
            forms.set_service_errors(form, exc.fields)
            error = exc
        else:
            if _wants_json(request):
                pending = EvidenceItem.objects.filter(
                    innovation_id=innovation.pk, review=EvidenceItem.Review.PENDING
                ).count()
                return JsonResponse(
                    {
                        "ok": True,
                        "review": saved.review,
                        "label": saved.get_review_display(),
                        "note": saved.review_note,
                        "verified_parameter": saved.verified_parameter,
                        "pending": pending,
                        "message": str(_("Hasil verifikasi tersimpan.")),
                    }
                )
            messages.success(request, _("Hasil verifikasi tersimpan."))
            return redirect(anchor)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "message": str(error.message if error else _("Periksa kembali isian Anda.")),
                "errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()},
            },
            status=error.status if error else 400,
        )
    context = _detail_context(
        request,
        innovation,
        review_forms={pk: form},
        error={"message": error.message, "fields": [], "action": ""} if error else None,
    )
    return _page(
        request,
        "portal/innovation_detail.html",
        context,
        status=_error_status(error) if error else 200,
    )


@login_required
@require_POST
def evidence_mark_rest_valid(request, pk: int):
    """ "Tandai sisanya valid": every item not yet reviewed becomes valid, in one go."""
    innovation = _visible(request, pk)
    try:
        count = services.mark_rest_valid(user=request.user, innovation_id=innovation.pk)
    except ServiceError as error:
        _report_error(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d data dukung ditandai valid.", "%(n)d data dukung ditandai valid.", count
            )
            % {"n": count},
        )
    return redirect(reverse("portal:innovation-detail", args=[innovation.pk]) + "#evidence")


@login_required
def evidence_replace(request, pk: int):
    """Put a new file in place of an evidence item's file (pengemasan, the unit's people)."""
    item = get_object_or_404(EvidenceItem.objects.select_related("indicator"), pk=pk)
    innovation = _visible(request, item.innovation_id)
    if not policy.can_upload_evidence(actor_for(request.user), innovation):
        raise PermissionDenied
    form = forms.ReplaceEvidenceForm(request.POST or None, request.FILES or None)

    def save():
        services.replace_evidence(
            user=request.user, evidence_id=pk, upload=form.cleaned_data["file"]
        )
        return reverse("portal:innovation-detail", args=[innovation.pk]) + f"#evidence-{pk}"

    return _form_page(
        request,
        form=form,
        save=save,
        success_message=_("Berkas data dukung diganti; menunggu pemeriksaan ulang."),
        context=_case_context(
            innovation,
            _("Ganti berkas data dukung: %(name)s"),
            _("Ganti berkas"),
            multipart=True,
            intro=_("%(indicator)s, parameter %(parameter)d. Berkas sekarang: %(file)s.")
            % {
                "indicator": item.indicator,
                "parameter": item.parameter,
                "file": item.link or item.download_name,
            },
        ),
    )


@login_required
def evidence_remove(request, pk: int):
    """Remove an evidence item (pengemasan, the unit's people); GET goes back to the item."""
    item = get_object_or_404(EvidenceItem.objects.only("innovation_id"), pk=pk)
    innovation = _visible(request, item.innovation_id)
    case_url = reverse("portal:innovation-detail", args=[innovation.pk])
    if request.method != "POST":
        return redirect(case_url + f"#evidence-{pk}")
    try:
        services.remove_evidence(user=request.user, evidence_id=pk)
    except ServiceError as error:
        _report_error(request, error)
        return redirect(case_url + f"#evidence-{pk}")
    messages.success(request, _("Data dukung dihapus."))
    return redirect(case_url + "#evidence")
