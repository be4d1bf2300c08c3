"""Changes and concessions in the admin site.

Change requests are quality records: the admin shows them read-only with their history; every
change goes through the pages or the API, so that it passes the workflow guards and leaves an
event.
"""

from django.contrib import admin

from core.admin import HistoryAdmin

from .models import (
    AffectedDocument,
    AffectedPart,
    ChangeApprover,
    ChangeAssessor,
    ChangeEvent,
    ChangeRequest,
    StockDisposition,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _inline(row_model, row_fields):
    return type(
        f"{row_model.__name__}Inline",
        (ReadOnlyAdminMixin, admin.TabularInline),
        {"model": row_model, "fields": row_fields, "readonly_fields": row_fields, "extra": 0},
    )


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "customer", "title", "change_type", "status", "created_at"]
    list_filter = ["status", "change_type", "customer_approval_required", "ppap_required"]
    search_fields = ["number", "title", "parts__part__part_number"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    inlines = [
        _inline(AffectedPart, ["part", "current_revision", "new_revision"]),
        _inline(AffectedDocument, ["kind", "identifier", "current_revision", "new_revision"]),
        _inline(StockDisposition, ["location", "quantity", "disposition", "note"]),
        _inline(ChangeAssessor, ["function", "user", "assessment", "assessed_at"]),
        _inline(ChangeApprover, ["function", "user", "approved_at"]),
        _inline(
            ChangeEvent, ["created_at", "actor", "action", "from_status", "to_status", "comment"]
        ),
    ]


import changes.deviations.admin  # noqa: E402, F401
