from django.contrib import admin

from core.admin import HistoryAdmin

from .models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant
from .services import requirements_ensure


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "function", "email", "phone", "is_active"]


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ["name", "code", "supplier_number", "city", "country", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "code", "supplier_number"]
    filter_horizontal = ["responsible_engineers"]
    inlines = [ContactInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every customer has requirements; the pages and deadlines rely on them.
        requirements_ensure(customer=obj, actor=request.user)


@admin.register(CustomerRequirements)
class CustomerRequirementsAdmin(HistoryAdmin):
    list_display = ["customer", "d3_days", "d3_basis", "d8_days", "default_ppap_level"]
    search_fields = ["customer__name", "customer__code"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ["name", "customer", "function", "email", "is_active"]
    list_filter = ["is_active", "customer"]
    search_fields = ["name", "email", "customer__name"]
    list_select_related = ["customer"]


@admin.register(Plant)
class PlantAdmin(HistoryAdmin):
    list_display = ["code", "name", "city", "country", "time_zone", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["code", "name", "city"]


@admin.register(Part)
class PartAdmin(HistoryAdmin):
    list_display = [
        "part_number",
        "revision",
        "customer_part_number",
        "description",
        "customer",
        "plant",
        "safety_relevant",
    ]
    list_filter = ["safety_relevant", "customer", "plant"]
    search_fields = ["part_number", "customer_part_number", "description", "commodity"]
    list_select_related = ["customer", "plant"]
    date_hierarchy = "created_at"


@admin.register(Holiday)
class HolidayAdmin(HistoryAdmin):
    list_display = ["date", "name", "customer"]
    list_filter = ["customer"]
    search_fields = ["name", "customer__name"]
    list_select_related = ["customer"]
    date_hierarchy = "date"
