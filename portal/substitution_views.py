"""The substitutes page ("Pengganti"): a head names a Plt./Plh. for a unit they head, an admin
names one for any unit's head or a substitute for a mentor on leave; the list of current and
upcoming substitutions, each with a button to end it early. Writes go through
mentoring.substitutions (the same checks as the admin site)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from mentoring import substitutions
from mentoring.models import Membership, MentorAssignment, Role, Substitution
from mentoring.names import full_name
from mentoring.people import actor_for

User = get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{full_name(obj)} ({obj.get_username()})"


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.unit.name} — {full_name(obj.mentor)} ({obj.year})"


class _DatesForm(forms.Form):
    starts = forms.DateField(
        label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(
        label=gettext_lazy("Sampai"),
        help_text=gettext_lazy("Hari terakhir pengganti bertugas (termasuk)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan"),
        required=False,
        max_length=substitutions.NOTE_MAX_LENGTH,
        help_text=gettext_lazy("Misalnya nomor surat perintah atau alasan."),
    )


class HeadSubstituteForm(_DatesForm):
    """A Plt./Plh. for a unit's head."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"),
        choices=[
            (Substitution.Kind.PLT.value, Substitution.Kind.PLT.label),
            (Substitution.Kind.PLH.value, Substitution.Kind.PLH.label),
        ],
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)
    substitute = PersonChoiceField(
        label=gettext_lazy("Pengganti"),
        queryset=None,
        help_text=gettext_lazy("Selama rentang tanggal, pengganti bertindak atas nama kepala."),
    )
    field_order = ["kind", "unit", "substitute", "starts", "ends", "note"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = substitutions.units_to_name_for(user=user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        people: QuerySet = User.objects.filter(is_active=True)
        if not actor_for(user).is_admin:
            # A head picks among the unit's own people; an admin may pick anyone.
            people = people.filter(
                pk__in=Membership.objects.filter(unit__in=units).values("user_id")
            ).exclude(pk=user.pk)
        self.fields["substitute"].queryset = people.order_by(  # type: ignore[attr-defined]
            "first_name", "last_name", "username"
        )


class MentorSubstituteForm(_DatesForm):
    """A mentor's substitute while they are on leave (admins only)."""

    assignment = AssignmentChoiceField(
        label=gettext_lazy("Penugasan pendamping yang cuti"), queryset=None
    )
    substitute = PersonChoiceField(
        label=gettext_lazy("Pendamping pengganti"),
        queryset=None,
        help_text=gettext_lazy("Pendamping lain di unit itu atau pendamping mana pun."),
    )
    field_order = ["assignment", "substitute", "starts", "ends", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["assignment"].queryset = (  # type: ignore[attr-defined]
            MentorAssignment.objects.filter(year__gte=this_year - 1)
            .select_related("unit", "mentor")
            .order_by("-year", "unit__name", "mentor__username")
        )
        self.fields["substitute"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, groups__name=Role.MENTOR)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )


# Service field names -> the form field that shows the message.
HEAD_FIELDS = {"absent": "unit", "year": None}
MENTOR_FIELDS = {"absent": "assignment", "unit": "assignment", "year": "assignment", "kind": None}


def _show_errors(form: forms.Form, error: ServiceError, mapping: dict[str, str | None]) -> None:
    for name, problems in (error.fields or {}).items():
        target = mapping.get(name, name)
        for problem in problems:
            form.add_error(target if target in form.fields else None, problem)
    if not error.fields:
        form.add_error(None, error.message)


@login_required
def substitution_list(request):
    """The current and upcoming substitutions the person may see, and the forms to name one."""
    user = request.user
    actor = actor_for(user)
    may_name_head = actor.is_admin or bool(actor.units_headed_in_own_right)
    which = request.POST.get("form") if request.method == "POST" else None
    head_form = (
        HeadSubstituteForm(request.POST if which == "head" else None, user=user, prefix="kepala")
        if may_name_head
        else None
    )
    mentor_form = (
        MentorSubstituteForm(request.POST if which == "mentor" else None, prefix="pendamping")
        if actor.is_admin
        else None
    )
    error = None
    if which == "head" and head_form is not None and head_form.is_valid():
        data = head_form.cleaned_data
        try:
            substitutions.name_substitute(
                named_by=user,
                kind=data["kind"],
                unit=data["unit"],
                substitute=data["substitute"],
                starts=data["starts"],
                ends=data["ends"],
                note=data["note"],
            )
        except ServiceError as exc:
            error = exc.message
            _show_errors(head_form, exc, HEAD_FIELDS)
        else:
            messages.success(request, _("Pengganti kepala disimpan."))
            return redirect("portal:substitutions")
    elif which == "mentor" and mentor_form is not None and mentor_form.is_valid():
        data = mentor_form.cleaned_data
        assignment = data["assignment"]
        try:
            substitutions.name_substitute(
                named_by=user,
                kind=Substitution.Kind.MENTOR_LEAVE,
                unit=assignment.unit,
                year=assignment.year,
                absent=assignment.mentor,
                substitute=data["substitute"],
                starts=data["starts"],
                ends=data["ends"],
                note=data["note"],
            )
        except ServiceError as exc:
            error = exc.message
            _show_errors(mentor_form, exc, MENTOR_FIELDS)
        else:
            messages.success(request, _("Pengganti pendamping disimpan."))
            return redirect("portal:substitutions")
    elif which and which not in ("head", "mentor"):
        error = _("Formulir tidak dikenal.")
    today = timezone.localdate()
    rows = [
        (s, s.is_in_force(today), substitutions.can_manage(user=user, substitution=s))
        for s in substitutions.current_and_upcoming(user=user, on=today)
    ]
    return TemplateResponse(
        request,
        "portal/substitutions.html",
        {
            "rows": rows,
            "head_form": head_form,
            "mentor_form": mentor_form,
            "error": error,
            "posted": which,
        },
    )


@login_required
@require_POST
def substitution_end(request, pk: int):
    """End a substitution now (or cancel one that has not begun)."""
    try:
        substitutions.end_substitution(user=request.user, substitution_id=pk)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penunjukan pengganti diakhiri."))
    return redirect("portal:substitutions")
