"""Admin pages for the domain's yearly master data: sources, submission rules, the national
calendar, national priorities, regions, the indicator catalogue; the units (with the Pekan
Inovasi category of the proposers beyond the offices); and substitutes (Plt./Plh.)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    SUBSTITUTE_HEAD_KINDS,
    Indicator,
    Membership,
    Milestone,
    NationalPriority,
    Region,
    Source,
    SubmissionRules,
    Substitution,
    Unit,
)
from .substitutions import substitution_errors


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "document", "number", "page", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["key", "document", "number"]


@admin.register(SubmissionRules)
class SubmissionRulesAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "min_words",
        "min_section_words",
        "implemented_from",
        "implemented_until",
        "max_reports",
        "confirmed",
    ]
    autocomplete_fields = ["source"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "starts", "ends", "source"]
    list_filter = ["year", "kind"]
    autocomplete_fields = ["source"]


@admin.register(NationalPriority)
class NationalPriorityAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "number", "name"]
    list_filter = ["year", "kind"]
    autocomplete_fields = ["source"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "lat_min", "lat_max", "lon_min", "lon_max"]
    autocomplete_fields = ["source"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Units, and the Pekan Inovasi category of schools, BUMDes and community groups without a
    CSV import. The model form runs Unit.clean(), so a wrong kind/category pair is shown on
    the category field and nothing is saved (the database's check constraint agrees)."""

    list_display = ["code", "name", "kind", "category", "region"]
    list_filter = ["kind", "category", "region"]
    search_fields = ["code", "name"]
    list_select_related = ["region"]
    fields = ["code", "name", "kind", "category", "region"]
    ordering = ["name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicator weights, parameter meanings and sources per year."""

    list_display = ["year", "number", "name", "weight", "mandatory", "confirmed", "source"]
    list_display_links = ["name"]
    list_editable = ["weight", "mandatory", "confirmed"]
    list_filter = ["year", "mandatory", "confirmed"]
    ordering = ["-year", "number"]
    autocomplete_fields = ["source"]


class SubstitutionAdminForm(forms.ModelForm):
    """The admin's own form runs the same checks as the substitutes page (an admin may pick any
    active user as a head's substitute)."""

    class Meta:
        model = Substitution
        fields = ["kind", "unit", "year", "absent", "substitute", "starts", "ends", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A Plt./Plh. stands in for the unit's head, filled in by clean(); a mentor's
        # substitute names the mentor on leave here.
        self.fields["absent"].required = False
        self.fields["absent"].help_text = _(
            "Untuk Plt./Plh. biarkan kosong: kepala unit diisi otomatis."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        unit = data.get("unit")
        absent = data.get("absent")
        if kind in SUBSTITUTE_HEAD_KINDS and unit is not None:
            head = Membership.objects.filter(unit=unit, position=Membership.Position.HEAD).first()
            absent = head.user if head else None
            data["absent"] = absent
            self.instance.absent = absent
        errors = substitution_errors(
            kind=kind or "",
            unit=unit,
            substitute=data.get("substitute"),
            starts=data.get("starts"),
            ends=data.get("ends"),
            absent=absent,
            year=data.get("year"),
            note=data.get("note") or "",
            by_admin=True,
            exclude_pk=self.instance.pk,
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(Substitution)
class SubstitutionAdmin(admin.ModelAdmin):
    """Plt./Plh. and mentors' substitutes (also named on the portal's "Pengganti" page)."""

    form = SubstitutionAdminForm
    list_display = ["kind", "unit", "year", "absent", "substitute", "starts", "ends", "ended_at"]
    list_filter = ["kind", "ends"]
    search_fields = ["unit__name", "absent__username", "substitute__username"]
    raw_id_fields = ["absent", "substitute"]
    readonly_fields = ["named_by", "created_at", "ended_at", "ended_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.named_by = request.user
        super().save_model(request, obj, form, change)
