"""Forms of the web UI: they parse input only; the services decide what is allowed."""

import copy
import uuid
from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import MAX_YEAR, MIN_YEAR
from mentoring.models import (
    PARAMETERS,
    RANCANG_BANGUN_SECTIONS,
    Attachment,
    EvidenceItem,
    Indicator,
    Innovation,
    MentoringSession,
    NationalPriority,
    SubmissionRules,
    Unit,
)
from mentoring.profile import PROFILE_FIELDS, REPORT_FIELDS, ProfileChanges
from workflow.lifecycle import Transition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _apply_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            # A widget of its own: a shared one would carry the first field's attributes.
            field.widget = copy.deepcopy(DATE)
        elif isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", 4)
        elif isinstance(field.widget, forms.SelectMultiple):
            field.widget.attrs.setdefault("size", 6)


def _related_urusan_widget(form: forms.BaseForm) -> None:
    """ "Urusan terkait" as a checkbox list with a search box (portal/case.js), never offering
    the main urusan: the script hides the one chosen above, the form refuses it."""
    if "related_urusan" not in form.fields:
        return
    field = cast(forms.ModelMultipleChoiceField, form.fields["related_urusan"])
    field.widget = forms.CheckboxSelectMultiple(
        attrs={"class": "pi-multi", "data-exclude-from": "id_main_urusan"}
    )
    field.widget.choices = field.choices
    field.help_text = _("Pilih urusan lain yang juga disentuh inovasi ini (selain urusan utama).")
    if "main_urusan" not in form.fields:
        main = getattr(form.instance, "main_urusan_id", None) if hasattr(form, "instance") else None
        if main and field.queryset is not None:
            field.queryset = field.queryset.exclude(pk=main)


def _refuse_main_in_related(form: forms.BaseForm, data: dict) -> None:
    main = data.get("main_urusan") or getattr(getattr(form, "instance", None), "main_urusan", None)
    related = data.get("related_urusan") or []
    if main is not None and any(u.pk == main.pk for u in related):
        form.add_error(
            "related_urusan", _("Urusan utama tidak boleh dipilih lagi sebagai urusan terkait.")
        )


def set_service_errors(form: forms.BaseForm, fields: dict[str, list[str]]) -> None:
    """Put a ServiceError's field errors on the form (unknown fields become form errors)."""
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class InnovationCreateForm(forms.ModelForm):
    """A new innovation of one of the person's own units."""

    class Meta:
        model = Innovation
        fields = [
            "unit",
            "year",
            "name",
            "bentuk",
            "jenis",
            "inisiator",
            "inisiator_name",
            "main_urusan",
            "related_urusan",
            "trial_date",
            "implementation_date",
            "budget",
            "tujuan",
        ]

    def __init__(self, *args, units: list[int], **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        if len(units) == 1:
            kwargs["initial"].setdefault("unit", units[0])
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = Unit.objects.filter(pk__in=units)
        unit.empty_label = None
        _apply_widgets(self)
        _related_urusan_widget(self)

    def clean(self):
        data = super().clean() or {}
        _refuse_main_in_related(self, data)
        return data

    def _post_clean(self) -> None:
        # The service builds and saves the innovation; skip ModelForm's instance handling.
        pass

    def profile(self) -> ProfileChanges:
        data = {name: value for name, value in self.cleaned_data.items() if value is not None}
        for name in ("unit", "year"):
            data.pop(name, None)
        return cast(ProfileChanges, data)


class InnovationEditForm(forms.ModelForm):
    """The profile fields the person may change in this stage, and only those."""

    class Meta:
        model = Innovation
        fields = [*PROFILE_FIELDS, *REPORT_FIELDS]

    def __init__(self, *args, editable: frozenset[str], rules: SubmissionRules, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        _apply_widgets(self)
        _related_urusan_widget(self)
        if "priorities" in self.fields:
            priorities = cast(forms.ModelMultipleChoiceField, self.fields["priorities"])
            priorities.queryset = NationalPriority.objects.filter(year=self.instance.year)
        # Each section shows its words as they are typed (portal/forms.js), against the year's
        # minimum; the form counts the whole rancang bangun too.
        self.min_words = rules.min_words
        for name in RANCANG_BANGUN_SECTIONS:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs.update({"data-min-words": rules.min_section_words, "rows": 5})
                self.fields[name].help_text = _("Minimal %(n)d kata.") % {
                    "n": rules.min_section_words
                }

    def clean(self):
        data = super().clean() or {}
        if "related_urusan" in self.fields:
            _refuse_main_in_related(self, data)
        return data

    def _post_clean(self) -> None:
        # The service validates and saves; skip ModelForm's instance assignment/validation.
        pass

    def changes(self) -> ProfileChanges:
        return cast(ProfileChanges, {name: self.cleaned_data[name] for name in self.fields})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class SessionForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["date", "mode", "topic", "notes"]

    # Not "files": a form's `files` is its uploaded-file dictionary.
    uploads = MultipleFileField(
        label=_("Foto dan dokumen sesi"),
        required=False,
        help_text=_("Foto kegiatan, daftar hadir, notulen: PDF, gambar atau dokumen perkantoran."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        _apply_widgets(self)


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Tindak lanjut"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Tenggat"), required=False, widget=DATE)

    def clean(self):
        data = super().clean() or {}
        if data.get("description") and not data.get("due_date"):
            self.add_error("due_date", _("Tenggat wajib diisi untuk tindak lanjut ini."))
        if data.get("due_date") and not data.get("description"):
            self.add_error("description", _("Uraikan tindak lanjutnya."))
        return data


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=10)


class AttendeeForm(forms.Form):
    """One attendee of a session: a name and a role (an empty row is skipped; a role needs a
    name)."""

    name = forms.CharField(label=_("Nama peserta"), max_length=150, required=False)
    role = forms.CharField(label=_("Peran/jabatan"), max_length=150, required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("role") and not data.get("name"):
            self.add_error("name", _("Nama peserta wajib diisi."))
        return data


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=3, max_num=50)


class FollowUpDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class EvidenceForm(forms.Form):
    """One evidence item; the parameter choices say what each parameter means for the chosen
    indicator (portal/forms.js follows the indicator select)."""

    indicator = forms.ModelChoiceField(label=_("Indikator"), queryset=Indicator.objects.none())
    parameter = forms.TypedChoiceField(
        label=_("Parameter yang dipilih"),
        coerce=int,
        choices=PARAMETERS,
    )
    description = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
    file = forms.FileField(label=_("Berkas data dukung"), required=False)
    link = forms.CharField(
        label=_("atau tautan (video)"),
        required=False,
        help_text=_("Untuk indikator yang menerima tautan, mis. video di YouTube."),
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        indicators = list(Indicator.objects.filter(year=year))
        field = cast(forms.ModelChoiceField, self.fields["indicator"])
        field.queryset = Indicator.objects.filter(year=year)
        self.meanings = {
            str(indicator.pk): {
                "parameters": [indicator.parameter_meaning(n) for n, _label in PARAMETERS],
                "link": indicator.accepts_link,
            }
            for indicator in indicators
        }
        chosen = next(
            (i for i in indicators if str(i.pk) == str(self["indicator"].value() or "")), None
        )
        if chosen is not None:
            cast(forms.ChoiceField, self.fields["parameter"]).choices = [
                (n, f"{n}: {chosen.parameter_meaning(n)}") for n, _label in PARAMETERS
            ]
        _apply_widgets(self)
        self.fields["indicator"].widget.attrs["data-parameters"] = "evidence-meanings"

    def clean(self):
        data = super().clean() or {}
        if not data.get("file") and not (data.get("link") or "").strip():
            self.add_error("file", _("Unggah berkas, atau isi tautan untuk indikator video."))
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis lampiran"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("Berkas"))


class ReviewForm(forms.Form):
    """One evidence item's review; shows the saved result, and offers only the parameters up to
    the one the OPD chose."""

    valid = forms.TypedChoiceField(
        label=_("Hasil"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Valid")), ("0", _("Tidak valid"))],
        widget=forms.RadioSelect(attrs={"class": "pi-choice"}),
    )
    verified_parameter = forms.TypedChoiceField(
        label=_("Parameter terverifikasi"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("sesuai pilihan OPD")), ("1", "1"), ("2", "2"), ("3", "3")],
        help_text=_("Turunkan bila data dukung hanya mendukung parameter yang lebih rendah."),
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila tidak valid."),
    )

    def __init__(self, *args, item: EvidenceItem | None = None, **kwargs) -> None:
        if item is not None and item.review != EvidenceItem.Review.PENDING:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("valid", "1" if item.review == EvidenceItem.Review.VALID else "0")
            initial.setdefault("note", item.review_note)
            if item.verified_parameter and item.verified_parameter != item.parameter:
                initial.setdefault("verified_parameter", str(item.verified_parameter))
        super().__init__(*args, **kwargs)
        if item is not None:
            cast(forms.ChoiceField, self.fields["verified_parameter"]).choices = [
                ("", _("sesuai pilihan OPD (%(n)d)") % {"n": item.parameter}),
                *((str(n), str(n)) for n in range(item.parameter - 1, 0, -1)),
            ]


class ReplaceEvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas pengganti"))


class ContinueForm(forms.Form):
    """Continue a closed case's innovation into a later year (the service checks the rules)."""

    year = forms.IntegerField(
        label=_("Tahun program lanjutan"), min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    perkembangan = forms.CharField(
        label=_("Perkembangan inovasi"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Apa yang berubah sejak inovasi ini terakhir dilaporkan (wajib)."),
    )


class ActionForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar"), required=False, max_length=4000, widget=forms.Textarea
    )
    # What the page showed when it was rendered: a stale page's action is refused (409), and
    # a form sent twice (double click, resend after a dropped connection) acts once.
    expected_stage = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    request_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self, *args, move: Transition | None, moves: Sequence[Transition] = (), **kwargs
    ) -> None:
        """One form for every action the person has now (the case page's action panel shares
        its comment box between them); `move` is the action being sent."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("request_key", uuid.uuid4().hex)
        stage = move.stage if move is not None else (moves[0].stage if moves else None)
        if stage is not None:
            kwargs["initial"].setdefault("expected_stage", stage.value)
        super().__init__(*args, **kwargs)
        comment = self.fields["comment"]
        comment.label = _("Komentar / alasan")
        comment.widget.attrs.update({"rows": 3})
        needing = [str(m.action.label) for m in moves if m.comment_required]
        if needing:
            comment.help_text = _("Wajib diisi untuk: %(actions)s.") % {
                "actions": ", ".join(needing)
            }
            comment.widget.attrs["data-required-for"] = " ".join(
                m.action.value for m in moves if m.comment_required
            )
