"""Admin pages for what the BRIDA admins set: SLA policies per year and local holidays."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentoring.models import Holder

from . import lifecycle
from .models import Holiday, SlaPolicy, StageCutoff, StageVisit

# The SLA columns follow the lifecycle table: the unit's, mentor's, verifier's and admin's
# stages, then the head's gates.
_GATES = tuple(rule.stage for rule in lifecycle.STAGES if rule.holder == Holder.HEAD)
_STAGES = tuple(rule.stage for rule in lifecycle.STAGES if rule.holder != Holder.HEAD)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("year", *_STAGES)
    fieldsets = (
        (None, {"fields": ("year",)}),
        (_("Tahap (hari kerja)"), {"fields": _STAGES}),
        (_("Persetujuan kepala OPD (hari kerja)"), {"fields": _GATES}),
        (_("Pengingat dan eskalasi"), {"fields": ("reminder_lead_days", "escalation_grace_days")}),
    )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(StageVisit)
class StageVisitAdmin(admin.ModelAdmin):
    """Read-only: visits are written by the case engine only."""

    list_display = ("innovation", "stage", "holder", "entered_at", "due_date", "left_at")
    list_filter = ("stage", "holder")
    list_select_related = ("innovation",)
    raw_id_fields = ("innovation",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageCutoff)
class StageCutoffAdmin(admin.ModelAdmin):
    """Internal deadlines before the national close (a year without rows uses the defaults:
    mentoring 30, packaging 18, its approval 15, verification 5, reporting 0 working days)."""

    list_display = ("year", "stage", "days_before_close")
    list_editable = ("days_before_close",)
    list_filter = ("year",)
