"""The CSR register in the admin site: read-only, because it is a quality record."""

from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from .models import Clause, CsrDocument


@admin.register(CsrDocument)
class CsrDocumentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["reference", "revision", "title", "customer", "issued_on", "owner"]
    list_filter = ["customer"]
    search_fields = ["reference", "title"]
    list_select_related = ["customer", "owner"]
    inlines = [read_only_inline(Clause, ["number", "title", "status", "process", "owner"])]
