"""Special statuses in the admin site: read-only, because they are quality records.

Every change goes through the pages or the API, so that it passes the workflow guards and the
signature and leaves an event; the admin is for looking things up.
"""

from django.contrib import admin

from core.admin import EVENT_FIELDS, HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from .models import ExitCriterion, SpecialStatus, SpecialStatusEvent


@admin.register(SpecialStatus)
class SpecialStatusAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "customer", "kind", "status", "started_on", "customer_reference"]
    list_filter = ["status", "kind", "customer"]
    search_fields = ["number", "customer_reference", "reason"]
    list_select_related = ["customer"]
    inlines = [
        read_only_inline(ExitCriterion, ["position", "text", "met", "met_on", "evidence"]),
        read_only_inline(SpecialStatusEvent, EVENT_FIELDS),
    ]
