"""Changes and concessions in the admin site.

Change requests are quality records: the admin shows them read-only with their history; every
change goes through the pages or the API, so that it passes the workflow guards and leaves an
event.
"""

from django.contrib import admin

from core.admin import EVENT_FIELDS, HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from . import models


@admin.register(models.ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "customer", "title", "change_type", "status", "created_at"]
    list_filter = ["status", "change_type", "customer_approval_required", "ppap_required"]
    search_fields = ["number", "title", "parts__part__part_number"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    inlines = [
        read_only_inline(models.AffectedPart, ["part", "current_revision", "new_revision"]),
        read_only_inline(
            models.AffectedDocument, ["kind", "identifier", "current_revision", "new_revision"]
        ),
        read_only_inline(models.StockDisposition, ["location", "quantity", "disposition", "note"]),
        read_only_inline(models.ChangeAssessor, ["function", "user", "assessment", "assessed_at"]),
        read_only_inline(models.ChangeApprover, ["function", "user", "approved_at"]),
        read_only_inline(models.ChangeEvent, EVENT_FIELDS),
    ]


import changes.deviations.admin  # noqa: E402, F401
