"""Controlled documents in the admin site: read-only, because they are quality records.

Every change goes through the pages or the API, so that it passes the workflow guards and the
signature and leaves an event; the admin is for looking things up.
"""

from django.contrib import admin

from core.admin import EVENT_FIELDS, HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from .models import Document, DocumentEvent, Revision


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "title", "kind", "status", "customer", "owner", "next_review_on"]
    list_filter = ["kind", "status", "customer"]
    search_fields = ["number", "title"]
    list_select_related = ["customer", "owner"]
    inlines = [
        read_only_inline(Revision, ["letter", "status", "effective_on", "change_description"]),
        read_only_inline(DocumentEvent, EVENT_FIELDS),
    ]
