"""Claims in the admin site: read-only, because claims are quality records.

Every change goes through the claim pages or the API, so that it passes the workflow guards and
leaves an event; the admin is for looking things up.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .costs import shown
from .models import Claim, ClaimComment, ClaimCost, ClaimCostSheet, ClaimEvent, EightDStep


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EightDStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EightDStep
    fields = ["code", "status", "due_at", "submitted_at", "decided_at", "decided_by"]
    readonly_fields = fields
    extra = 0


class ClaimEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "customer", "part", "kind", "severity", "status", "notified_at"]
    list_filter = ["status", "kind", "severity", "customer"]
    search_fields = ["number", "customer_reference", "part__part_number", "symptom"]
    list_select_related = ["customer", "part"]
    date_hierarchy = "notified_at"
    inlines = [EightDStepInline, ClaimEventInline]


@admin.register(ClaimComment)
class ClaimCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["claim", "author", "internal", "created_at"]
    list_filter = ["internal"]
    list_select_related = ["claim", "author"]
    search_fields = ["claim__number", "body"]


class ClaimCostInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimCost
    fields = [
        "category",
        "description",
        "quantity",
        "unit",
        "rate",
        "currency",
        "technical_factor_percent",
        "amount_shown",
        "evidence",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("amount"))
    def amount_shown(self, line: ClaimCost):
        return shown(line.amount)


@admin.register(ClaimCostSheet)
class ClaimCostSheetAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["claim", "customer", "status", "released_at"]
    list_filter = ["status", "customer"]
    search_fields = ["claim__number", "claim__customer_reference"]
    list_select_related = ["claim", "customer"]
    fields = [
        "claim",
        "customer",
        "status",
        "released_at",
        "released_by",
        "customer_decided_at",
        "customer_decided_by",
        "dispute_reason",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [ClaimCostInline]
