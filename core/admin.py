"""Admin building blocks shared by every app."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.time_zones import ADMIN_FORMFIELD_OVERRIDES


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages that show past versions and never write one back.

    simple-history saves a POSTed history form ("revert") for anyone with the view permission,
    whatever SIMPLE_HISTORY_REVERT_DISABLED says: history is evidence, so only GET is served.
    """

    # Time-zone fields keep their pick list (the admin gives character fields a text input).
    formfield_overrides = ADMIN_FORMFIELD_OVERRIDES

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes these rows in the admin.

    Quality records, and evidence such as notifications and imports, change only through the
    pages, the API or the services: past the workflow guards and with an event. The admin is for
    looking them up.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The rows of a record shown on it, each field as text; a field may name a method."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def read_only_inline(row_model, row_fields) -> type[ReadOnlyInline]:
    """A ``ReadOnlyInline`` for rows that need no more than their fields."""
    return type(
        f"{row_model.__name__}Inline",
        (ReadOnlyInline,),
        {"model": row_model, "fields": row_fields},
    )


# What each workflow event shows on its record.
EVENT_FIELDS = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
