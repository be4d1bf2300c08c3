"""Deviations in the admin site: read-only, because they are quality records.

Every change goes through the deviation pages or the API, so that it passes the workflow guards,
the signature and leaves an event; the admin is for looking things up.
"""

from django.contrib import admin

from core.admin import EVENT_FIELDS, HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from ..models import Deviation, DeviationEvent, DeviationShipment


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
    inlines = [
        read_only_inline(
            DeviationShipment,
            ["shipped_on", "quantity", "lot", "shipping_reference", "recorded_by"],
        ),
        read_only_inline(DeviationEvent, EVENT_FIELDS),
    ]


@admin.register(DeviationShipment)
class DeviationShipmentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["deviation", "shipped_on", "quantity", "lot", "shipping_reference"]
    list_select_related = ["deviation"]
    search_fields = ["deviation__number", "lot", "shipping_reference"]
