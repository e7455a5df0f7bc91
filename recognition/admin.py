"""Admin pages: the yearly award points (master data) and the records, read and corrected."""

from django.contrib import admin

from .models import Award, FeaturedInnovation, HkiFiling, RecognitionYear, Replication


@admin.register(RecognitionYear)
class RecognitionYearAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "points_national",
        "points_provincial",
        "points_regency",
        "featured_limit",
        "source",
    ]


class _RecordAdmin(admin.ModelAdmin):
    list_select_related = ["innovation"]
    raw_id_fields = ["innovation"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by"]
    search_fields = ["innovation__name"]


@admin.register(Replication)
class ReplicationAdmin(_RecordAdmin):
    list_display = ["innovation", "unit", "region_name", "replicator_name", "date"]
    list_filter = ["date"]
    raw_id_fields = ["innovation", "unit"]


@admin.register(Award)
class AwardAdmin(_RecordAdmin):
    list_display = ["innovation", "level", "rank", "year", "name", "giver"]
    list_filter = ["level", "year"]


@admin.register(HkiFiling)
class HkiFilingAdmin(_RecordAdmin):
    list_display = ["innovation", "kind", "number", "status", "date"]
    list_filter = ["kind", "status"]


@admin.register(FeaturedInnovation)
class FeaturedInnovationAdmin(admin.ModelAdmin):
    """Read-only here: picks go through the page (/recognition/), which checks the limit."""

    list_display = ["year", "innovation", "presentation_date", "picked_by", "picked_at"]
    list_filter = ["year"]
    list_select_related = ["innovation", "picked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
