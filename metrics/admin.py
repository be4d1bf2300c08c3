from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries change only through the import, which keeps them consistent."""

    list_display = [
        "delivery_note",
        "ship_date",
        "customer",
        "part",
        "plant",
        "quantity",
        "imported_by",
        "updated_at",
    ]
    list_filter = ["customer", "plant", "ship_date"]
    search_fields = ["delivery_note", "part__part_number"]
    list_select_related = ["customer", "part", "plant", "imported_by"]
    date_hierarchy = "ship_date"
    # Counting a table of many thousand rows twice per page is slow and adds nothing here.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
