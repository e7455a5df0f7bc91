"""Admin pages for the yearly IID rules: edit a ruleset and its predicate bands, copy a year."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import GuardFailed

from . import services
from .models import (
    IndicatorResult,
    InnovationResult,
    NationalResult,
    PredicateThreshold,
    Ruleset,
)


class ThresholdFormSet(forms.BaseInlineFormSet):
    """Predicate bands of one year may not overlap."""

    def clean(self) -> None:
        super().clean()
        bands = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data.get("lower") is not None and data.get("upper") is not None:
                bands.append((data["lower"], data["upper"], data.get("name", "")))
        bands.sort()
        for (_lo, up, name), (lo2, _up2, name2) in zip(bands, bands[1:], strict=False):
            if lo2 <= up:
                raise ValidationError(
                    gettext("Rentang predikat %(a)s dan %(b)s bertumpang tindih.")
                    % {"a": name, "b": name2}
                )


class ThresholdInline(admin.TabularInline):
    model = PredicateThreshold
    formset = ThresholdFormSet
    extra = 0
    fields = ["name", "lower", "upper", "source"]


@admin.register(Ruleset)
class RulesetAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "confirmed",
        "spd_score",
        "divisor_minimum",
        "jumlah_coefficient",
        "jumlah_cap",
        "yandas_min_covered",
        "total_max",
        "updated_at",
    ]
    list_filter = ["confirmed"]
    readonly_fields = ["updated_at"]
    inlines = [ThresholdInline]
    actions = ["copy_to_next_year"]
    fieldsets = [
        (None, {"fields": ["year", "confirmed", "source", "note", "spd_score"]}),
        (
            _("Rumus SID"),
            {
                "fields": [
                    "divisor_minimum",
                    "jumlah_coefficient",
                    "jumlah_cap",
                    "yandas_min_covered",
                    "coverage_counts_related",
                ]
            },
        ),
        (_("Maksimum"), {"fields": ["spd_max", "sid_indicator_max", "jumlah_max", "total_max"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.action(description=_("Salin ke tahun berikutnya (beserta indikator)"))
    def copy_to_next_year(self, request: HttpRequest, queryset: QuerySet[Ruleset]) -> None:
        for ruleset in queryset.order_by("year"):
            try:
                result = services.copy_ruleset(from_year=ruleset.year, to_year=ruleset.year + 1)
            except GuardFailed as exc:
                detail = "; ".join(m for msgs in exc.fields.values() for m in msgs)
                self.message_user(request, f"{exc.message} {detail}", messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("Aturan %(to)d dibuat dari %(from)d; %(n)d indikator disalin.")
                % {
                    "to": result.ruleset.year,
                    "from": ruleset.year,
                    "n": result.indicators_copied,
                },
                messages.SUCCESS,
            )


class _ReadOnly:
    """Entered on the portal's page (the same checks as the import); here only read or
    deleted."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class InnovationResultInline(_ReadOnly, admin.TabularInline):
    model = InnovationResult
    extra = 0
    fields = ["innovation", "score", "status", "entered_by", "updated_at"]
    readonly_fields = ["innovation", "score", "status", "entered_by", "updated_at"]
    show_change_link = True


@admin.register(NationalResult)
class NationalResultAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["year", "final_iid", "predicate", "rank", "spd", "decree_number", "decree_date"]
    readonly_fields = [
        "year",
        "spd",
        "final_iid",
        "predicate",
        "rank",
        "decree_number",
        "decree_date",
        "entered_by",
        "updated_at",
    ]
    inlines = [InnovationResultInline]


class IndicatorResultInline(_ReadOnly, admin.TabularInline):
    model = IndicatorResult
    extra = 0
    fields = ["indicator", "parameter"]
    readonly_fields = ["indicator", "parameter"]


@admin.register(InnovationResult)
class InnovationResultAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["innovation", "national_result", "score", "status"]
    list_filter = ["national_result__year", "status"]
    list_select_related = ["innovation", "national_result"]
    search_fields = ["innovation__name"]
    readonly_fields = [
        "national_result",
        "innovation",
        "score",
        "status",
        "entered_by",
        "updated_at",
    ]
    inlines = [IndicatorResultInline]
