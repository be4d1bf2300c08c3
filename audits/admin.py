"""Audits in the admin site: processes and programmes are master data and editable there;
audits, answers and findings are quality records and read-only (they change through the pages
and the API, past the workflow guards)."""

from django.contrib import admin

from core.admin import (
    EVENT_FIELDS,
    HistoryAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    read_only_inline,
)

from .models import Answer, Audit, AuditEvent, AuditProgramme, Catalogue, Finding, Process, Question


@admin.register(Process)
class ProcessAdmin(HistoryAdmin):
    list_display = ["name", "plant", "shifts", "is_active"]
    list_filter = ["plant", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["responsible", "parts"]

    def has_delete_permission(self, request, obj=None):
        return False  # audits refer to processes: deactivate instead


@admin.register(AuditProgramme)
class AuditProgrammeAdmin(HistoryAdmin):
    list_display = ["year", "title"]

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["position", "code", "element", "sub_element", "star", "text"]


@admin.register(Catalogue)
class CatalogueAdmin(HistoryAdmin):
    list_display = ["name", "version", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    fields = ["name", "version", "kind", "notes", "is_active"]
    readonly_fields = ["name", "version", "kind"]
    inlines = [QuestionInline]

    def has_add_permission(self, request):
        return False  # catalogues are imported whole, validated, on the catalogue page

    def has_delete_permission(self, request, obj=None):
        return False


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["position", "classification", "status", "description", "implementation_due"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "title", "type", "customer", "planned_date", "status", "grade"]
    list_filter = ["type", "status"]
    search_fields = ["number", "title"]
    inlines = [FindingInline, read_only_inline(AuditEvent, EVENT_FIELDS)]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["__str__", "classification", "status", "customer", "implementation_due"]
    list_filter = ["classification", "status"]
    list_select_related = ["audit", "customer"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["audit", "question", "step", "score", "not_evaluated"]
    list_select_related = ["audit", "question"]
