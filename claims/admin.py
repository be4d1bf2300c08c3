"""Claims in the admin site: read-only, because claims are quality records.

Every change goes through the claim pages or the API, so that it passes the workflow guards and
leaves an event; the admin is for looking things up.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    EVENT_FIELDS,
    HistoryAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    read_only_inline,
)

from .costs import CHARGE_FIELDS, shown
from .models import (
    Cause,
    Claim,
    ClaimComment,
    ClaimCost,
    ClaimCostSheet,
    ClaimEscalation,
    ClaimEvent,
    Containment,
    CorrectiveAction,
    EightDStep,
    ReadAcross,
    ReminderLog,
    TeamMember,
)

# --- the 8D rows (D1, D3, D4, D5–D7), shown on the claim ----------------------------------------


class ContainmentInline(ReadOnlyInline):
    model = Containment
    fields = [
        "location",
        "status",
        "method",
        "qty_checked",
        "qty_nonconforming",
        "certified_marking",
        "started_on",
        "removed_at",
    ]


class CauseInline(ReadOnlyInline):
    model = Cause
    fields = [
        "leg",
        "category",
        "description",
        "why_chain",
        "is_root_cause",
        "status",
        "verification_method",
        "verified_by",
        "verified_at",
    ]

    @admin.display(description=_("5-Why chain"))
    def why_chain(self, cause: Cause) -> str:
        return " → ".join(str(why) for why in cause.whys or [])


class CorrectiveActionInline(ReadOnlyInline):
    model = CorrectiveAction
    fields = [
        "action",
        "action_owner",
        "action_due",
        "action_status",
        "causes_removed",
        "implemented_on",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("action__owner").prefetch_related("causes")
        )

    @admin.display(description=_("owner"))
    def action_owner(self, row: CorrectiveAction):
        return row.action.owner

    @admin.display(description=_("due date"))
    def action_due(self, row: CorrectiveAction):
        return row.action.due_date

    @admin.display(description=_("status"))
    def action_status(self, row: CorrectiveAction):
        return row.action.get_status_display()

    @admin.display(description=_("causes removed"))
    def causes_removed(self, row: CorrectiveAction) -> str:
        return "; ".join(str(cause) for cause in row.causes.all()) or "–"


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "customer", "part", "kind", "severity", "status", "notified_at"]
    list_filter = ["status", "kind", "severity", "customer"]
    search_fields = ["number", "customer_reference", "part__part_number", "symptom"]
    list_select_related = ["customer", "part"]
    date_hierarchy = "notified_at"
    inlines = [
        read_only_inline(
            EightDStep, ["code", "status", "due_at", "submitted_at", "decided_at", "decided_by"]
        ),
        read_only_inline(TeamMember, ["name", "role", "function", "email"]),
        ContainmentInline,
        CauseInline,
        CorrectiveActionInline,
        read_only_inline(ReadAcross, ["scope", "subject", "applicable", "measure", "completed_on"]),
        read_only_inline(ClaimEvent, EVENT_FIELDS),
    ]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which deadline reminders went out, to answer "was I told?"."""

    list_display = ["claim", "discipline", "kind", "sent_on", "created_at"]
    list_filter = ["kind", "sent_on", "step__code"]
    search_fields = ["step__claim__number"]
    list_select_related = ["step__claim"]
    date_hierarchy = "sent_on"
    fields = ["claim", "discipline", "kind", "sent_on", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("claim"), ordering="step__claim__number")
    def claim(self, log: ReminderLog):
        return log.step.claim

    @admin.display(description=_("discipline"), ordering="step__code")
    def discipline(self, log: ReminderLog) -> str:
        return log.step.get_code_display()


@admin.register(ClaimEscalation)
class ClaimEscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which claims were escalated for a late acknowledgement, and when."""

    list_display = ["claim", "customer", "level", "due_at", "created_at"]
    list_filter = ["level", "customer"]
    search_fields = ["claim__number"]
    list_select_related = ["claim", "customer"]
    date_hierarchy = "created_at"
    fields = ["claim", "customer", "level", "due_at", "created_at"]
    readonly_fields = fields


@admin.register(ClaimComment)
class ClaimCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["claim", "author", "internal", "created_at"]
    list_filter = ["internal"]
    list_select_related = ["claim", "author"]
    search_fields = ["claim__number", "body"]


class ClaimCostInline(ReadOnlyInline):
    model = ClaimCost
    fields = [*CHARGE_FIELDS, "amount_shown", "evidence", "created_by", "created_at"]

    @admin.display(description=_("amount"))
    def amount_shown(self, line: ClaimCost):
        return shown(line.amount)


@admin.register(ClaimCostSheet)
class ClaimCostSheetAdmin(ReadOnlyAdminMixin, HistoryAdmin):
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
