"""Forms of the report pages: they parse input; mentoring.services decides what is allowed."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _


class ReassignForm(forms.Form):
    """One mentor becomes the lead of the ticked units for a year."""

    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Tahun program harus antara 2000 dan 2100."),
            "invalid": _("Tahun program harus antara 2000 dan 2100."),
            "min_value": _("Tahun program harus antara 2000 dan 2100."),
            "max_value": _("Tahun program harus antara 2000 dan 2100."),
        },
    )
    mentor_id = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": _("Pilih pengguna aktif yang berperan sebagai pendamping."),
            "invalid_choice": _("Pilih pengguna aktif yang berperan sebagai pendamping."),
        },
    )
    unit_ids = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Pilih sedikitnya satu unit."),
            "invalid_choice": _("Pilihan unit tidak valid."),
        },
    )

    def __init__(self, *args, unit_ids: list[int], mentor_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit_ids"]).choices = [(pk, pk) for pk in unit_ids]
        cast(forms.ChoiceField, self.fields["mentor_id"]).choices = [(pk, pk) for pk in mentor_ids]
