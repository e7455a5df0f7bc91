from django.contrib import admin

from .models import DownloadRecord


@admin.register(DownloadRecord)
class DownloadRecordAdmin(admin.ModelAdmin):
    """Read-only for admins: the log is written by the downloads themselves, never by hand."""

    list_display = ["at", "username", "kind", "target", "innovation", "address"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "target"]
    date_hierarchy = "at"
    list_select_related = ["innovation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
