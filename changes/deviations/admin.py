"""Deviations in the admin site: read-only, because they are quality records.

Every change goes through the deviation pages or the API, so that it passes the workflow guards,
the signature and leaves an event; the admin is for looking things up.
"""

from django.contrib import admin

from core.admin import HistoryAdmin

from ..models import Deviation, DeviationEvent, DeviationShipment


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeviationEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0


class ShipmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeviationShipment
    fields = ["shipped_on", "quantity", "lot", "shipping_reference", "recorded_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = [
        "number",
        "customer",
        "kind",
        "status",
        "quantity_cap",
        "quantity_shipped",
        "expires_on",
    ]
    list_filter = ["status", "kind", "customer"]
    search_fields = ["number", "title", "lots", "customer_authorisation"]
    list_select_related = ["customer"]
    inlines = [ShipmentInline, EventInline]


@admin.register(DeviationShipment)
class DeviationShipmentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["deviation", "shipped_on", "quantity", "lot", "shipping_reference"]
    list_select_related = ["deviation"]
    search_fields = ["deviation__number", "lot", "shipping_reference"]
