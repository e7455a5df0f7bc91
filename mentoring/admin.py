"""Admin pages for the domain's yearly master data: sources, submission rules, the national
calendar, national priorities, regions and the indicator catalogue."""

from django.contrib import admin

from .models import Indicator, Milestone, NationalPriority, Region, Source, SubmissionRules


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


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicator weights, parameter meanings and sources per year."""

    list_display = ["year", "number", "name", "weight", "mandatory", "confirmed", "source"]
    list_display_links = ["name"]
    list_editable = ["weight", "mandatory", "confirmed"]
    list_filter = ["year", "mandatory", "confirmed"]
    ordering = ["-year", "number"]
    autocomplete_fields = ["source"]
