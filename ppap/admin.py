"""PPAP records in the admin site: read-only, because they are quality records.

Every change goes through the PPAP pages or the API, so that it passes the workflow guards and
leaves an event; the admin is for looking things up.
"""

from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdminMixin, ReadOnlyInline

from .models import PpapElement, PpapEvent, PpapSubmission, ProcessStudy, Warrant


class ElementInline(ReadOnlyInline):
    model = PpapElement
    fields = ("number", "title", "requirement", "status", "not_applicable", "owner", "due_date")


class EventInline(ReadOnlyInline):
    model = PpapEvent
    fields = ("created_at", "action", "element_number", "from_status", "to_status", "actor")


@admin.register(PpapSubmission)
class PpapSubmissionAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("number", "revision", "customer", "part", "level", "reason", "status")
    list_filter = ("status", "level", "reason", "form_set", "customer")
    search_fields = ("number", "part__part_number", "part__customer_part_number")
    list_select_related = ("customer", "part")
    inlines = [ElementInline, EventInline]


@admin.register(PpapElement)
class PpapElementAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("submission", "number", "title", "requirement", "status")
    list_filter = ("status", "requirement")
    list_select_related = ("submission",)


@admin.register(Warrant)
class WarrantAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("submission", "part_name", "customer_part_number", "signed_at")
    list_select_related = ("submission",)


@admin.register(ProcessStudy)
class ProcessStudyAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("submission", "characteristic", "study_type", "value")
    list_select_related = ("submission",)
