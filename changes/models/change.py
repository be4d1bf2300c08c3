"""Change requests (ECR) and their notices (ECN), REFERENCE §3.

One change concerns one customer: a change for several customers is raised as one ECR per
customer, so that each customer sees, approves and is reminded about only their own notice.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.events import RecordEvent
from core.records.fields import protected_key, user_key
from core.records.models import QualityRecord, RecordRow, record_history, record_list_indexes
from core.records.notices import DailyNotice
from core.records.querysets import LimitedForCustomers, RecordQuerySet
from core.tenancy import TenantQuerySet
from ppap.reasons import PpapLevel, SubmissionReason

__all__ = [
    "CHANGE_EVENT_LABELS",
    "IMPACT_AREAS",
    "AffectedDocument",
    "AffectedPart",
    "ChangeApprover",
    "ChangeAssessor",
    "ChangeEvent",
    "ChangeReminderLog",
    "ChangeRequest",
    "StockDisposition",
]

# The impact assessment's areas (REFERENCE §3): each is affected yes/no with a note.
IMPACT_AREAS = {
    "fit": _("Fit"),
    "form": _("Form"),
    "function": _("Function"),
    "performance": _("Performance"),
    "durability": _("Durability"),
    "special_characteristics": _("Special characteristics"),
    "safety": _("Safety / regulatory"),
    "material_compliance": _("Material compliance"),
}


def _impact_fields(label):
    """An impact area's pair of fields: affected yes/no and a note."""
    return (
        models.BooleanField(format_lazy("{}: {}", label, _("affected")), default=False),
        models.TextField(
            format_lazy("{}: {}", label, _("note")), blank=True, max_length=limits.LONG_TEXT
        ),
    )


class ChangeRequestQuerySet(LimitedForCustomers, RecordQuerySet):
    # Customer users see their company's changes once they were notified, never drafts.
    customers_see = models.Q(customer_notified_at__isnull=False)
    search_fields = ("number", "title")

    def with_related(self):
        return self.select_related("customer", "created_by")

    def matching(self, term: str):
        """Also the changes one of whose affected parts has a matching number."""
        parts = AffectedPart.objects.filter(change=models.OuterRef("pk")).filter(
            models.Q(part__part_number__icontains=term)
            | models.Q(part__customer_part_number__icontains=term)
        )
        return super().matching(term) | models.Exists(parts)


class ChangeRequest(QualityRecord):
    detail_url_name = "changes:change-detail"

    class Type(models.TextChoices):
        PRODUCT = "product", _("Product / design")
        PROCESS = "process", _("Process")
        SITE = "site", _("Site")
        SUPPLIER = "supplier", _("Supplier")
        SOFTWARE = "software", _("Software")
        DOCUMENTATION = "documentation", _("Documentation")

    class Origin(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        INTERNAL = "internal", _("Internal")
        SUPPLIER = "supplier", _("Supplier")

    class ApprovalBasis(models.TextChoices):
        NONE = "", _("Not stated")
        CSR = "csr", _("Customer-specific requirements")
        PPAP_MANUAL = "ppap_manual", _("PPAP manual")
        CONTRACT = "contract", _("Contract / supply agreement")
        OTHER = "other", _("Other")

    class Interchangeability(models.TextChoices):
        INTERCHANGEABLE = "interchangeable", _("Interchangeable")
        NOT_INTERCHANGEABLE = "not_interchangeable", _("Not interchangeable")
        ONE_WAY = "one_way", _("One-way (new replaces old, not vice versa)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IMPACT_ASSESSMENT = "impact_assessment", _("Impact assessment")
        REVIEW_BOARD = "review_board", _("Review board")
        CUSTOMER_APPROVAL = "customer_approval", _("Customer approval pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        RELEASED = "released", _("ECN released")
        VALIDATED = "validated", _("Validated")
        IMPLEMENTED = "implemented", _("Implemented")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class CustomerDecision(models.TextChoices):
        NONE = "", _("Not decided")
        APPROVED = "approved", _("Approved by the customer")
        REJECTED = "rejected", _("Rejected by the customer")
        WAIVED = "waived", _("Approval waived (documented)")

    FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.CANCELLED)
    # Statuses in which what the change is (fields and rows) may still be edited.
    EDITABLE_STATUSES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IMPACT_ASSESSMENT,
        Status.REVIEW_BOARD,
        Status.DEFERRED,
    )

    title = models.CharField(_("title"), max_length=200)
    change_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    reason = models.TextField(_("reason for the change"), max_length=limits.LONG_TEXT)
    description_before = models.TextField(
        _("before (current state)"), blank=True, max_length=limits.LONG_TEXT
    )
    description_after = models.TextField(
        _("after (new state)"), blank=True, max_length=limits.LONG_TEXT
    )
    impact_fit, impact_fit_note = _impact_fields(IMPACT_AREAS["fit"])
    impact_form, impact_form_note = _impact_fields(IMPACT_AREAS["form"])
    impact_function, impact_function_note = _impact_fields(IMPACT_AREAS["function"])
    impact_performance, impact_performance_note = _impact_fields(IMPACT_AREAS["performance"])
    impact_durability, impact_durability_note = _impact_fields(IMPACT_AREAS["durability"])
    impact_special_characteristics, impact_special_characteristics_note = _impact_fields(
        IMPACT_AREAS["special_characteristics"]
    )
    impact_safety, impact_safety_note = _impact_fields(IMPACT_AREAS["safety"])
    impact_material_compliance, impact_material_compliance_note = _impact_fields(
        IMPACT_AREAS["material_compliance"]
    )
    risk_reference = models.CharField(_("risk / FMEA reference"), max_length=200, blank=True)
    cost_amount = models.DecimalField(
        _("estimated cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    customer_approval_required = models.BooleanField(_("customer approval required"), default=True)
    customer_approval_basis = models.CharField(
        _("basis of the customer approval"),
        max_length=20,
        choices=ApprovalBasis.choices,
        blank=True,
        default="",
    )
    ppap_required = models.BooleanField(_("PPAP required"), default=False)
    ppap_level = models.PositiveSmallIntegerField(
        _("PPAP level"), choices=PpapLevel.choices, null=True, blank=True
    )
    psw_reason = models.CharField(
        _("PSW reason for submission"), max_length=30, choices=SubmissionReason.choices, blank=True
    )
    tooling_inactive_months = models.PositiveSmallIntegerField(
        _("tooling inactive (months)"),
        null=True,
        blank=True,
        help_text=_("How long the tooling has not been used; 12 months or more suggests a PPAP."),
    )
    tooling_transfer = models.BooleanField(
        _("tooling transferred"),
        default=False,
        help_text=_("For a site change: the existing tooling moves to the new site."),
    )
    validation_plan = models.TextField(
        _("validation plan"), blank=True, max_length=limits.LONG_TEXT
    )
    validation_results = models.TextField(
        _("validation results"), blank=True, max_length=limits.LONG_TEXT
    )
    effectivity_date = models.DateField(_("effectivity date"), null=True, blank=True)
    break_point = models.CharField(
        _("planned serial / lot break point"), max_length=100, blank=True
    )
    interchangeability = models.CharField(
        _("interchangeability"), max_length=30, choices=Interchangeability.choices, blank=True
    )
    sw_revision_old = models.CharField(_("software revision (old)"), max_length=50, blank=True)
    sw_revision_new = models.CharField(_("software revision (new)"), max_length=50, blank=True)
    hw_revision_old = models.CharField(_("hardware revision (old)"), max_length=50, blank=True)
    hw_revision_new = models.CharField(_("hardware revision (new)"), max_length=50, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True, max_length=limits.LONG_TEXT)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision_reason = models.TextField(
        _("reason of the board's decision"), blank=True, max_length=limits.LONG_TEXT
    )
    deferred_until = models.DateField(_("deferred until"), null=True, blank=True)
    customer_notified_at = models.DateTimeField(_("customer notified"), null=True, blank=True)
    customer_decision = models.CharField(
        _("customer decision"),
        max_length=10,
        choices=CustomerDecision.choices,
        blank=True,
        default="",
    )
    customer_decided_at = models.DateTimeField(_("customer decided"), null=True, blank=True)
    customer_decided_by = user_key(verbose_name=_("decided by"), null=True, blank=True)
    customer_comment = models.TextField(
        _("customer comment"), blank=True, max_length=limits.COMMENT
    )
    waiver_by = models.CharField(_("waived by (customer side)"), max_length=200, blank=True)
    waiver_basis = models.TextField(
        _("basis of the waiver"), blank=True, max_length=limits.LONG_TEXT
    )
    waiver_date = models.DateField(_("waiver date"), null=True, blank=True)
    waiver_reference = models.CharField(_("waiver reference"), max_length=200, blank=True)
    released_at = models.DateTimeField(_("ECN released"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    implemented_break_point = models.CharField(
        _("break point reached (serial / lot)"), max_length=100, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = user_key(verbose_name=_("raised by"))
    history = record_history()

    objects = ChangeRequestQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [
            *record_list_indexes("change"),
            models.Index(fields=["status", "customer_notified_at"]),
        ]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def has_customer_consent(self) -> bool:
        return self.customer_decision in (
            self.CustomerDecision.APPROVED,
            self.CustomerDecision.WAIVED,
        )

    @property
    def consent_date(self):
        """The day the customer agreed (approval or the waiver's date), or None."""
        if self.customer_decision == self.CustomerDecision.WAIVED:
            return self.waiver_date
        if self.customer_decision == self.CustomerDecision.APPROVED and self.customer_decided_at:
            return timezone.localdate(self.customer_decided_at)
        return None

    def impacts(self) -> list[dict]:
        """The impact assessment as rows: area, affected, note."""
        return [
            {
                "key": key,
                "label": label,
                "affected": getattr(self, f"impact_{key}"),
                "note": getattr(self, f"impact_{key}_note"),
            }
            for key, label in IMPACT_AREAS.items()
        ]


class ChangeRowQuerySet(LimitedForCustomers, TenantQuerySet):
    """Rows of a change: visible exactly when their change is."""

    customers_see = models.Q(change__customer_notified_at__isnull=False)


class _ChangeRow(RecordRow):
    objects = ChangeRowQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["pk"]  # in the order they were added


class AffectedPart(_ChangeRow):
    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="parts")
    part = protected_key("customers.Part", verbose_name=_("part"))
    current_revision = models.CharField(_("current revision"), max_length=20)
    new_revision = models.CharField(_("new revision"), max_length=20)
    history = HistoricalRecords()

    class Meta(_ChangeRow.Meta):
        verbose_name = _("affected part")
        verbose_name_plural = _("affected parts")
        constraints = [
            models.UniqueConstraint(fields=["change", "part"], name="changes_affected_part_once")
        ]

    def __str__(self):
        return f"{self.part_id}: {self.current_revision} → {self.new_revision}"


class AffectedDocument(_ChangeRow):
    class Kind(models.TextChoices):
        DRAWING = "drawing", _("Drawing")
        SPEC = "spec", _("Specification")
        DFMEA = "dfmea", _("DFMEA")
        PFMEA = "pfmea", _("PFMEA")
        CONTROL_PLAN = "control_plan", _("Control plan")
        WORK_INSTRUCTION = "work_instruction", _("Work instruction")
        GAUGE = "gauge", _("Gauge")
        PACKAGING = "packaging", _("Packaging")

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    identifier = models.CharField(_("identifier"), max_length=100)
    current_revision = models.CharField(_("current revision"), max_length=20, blank=True)
    new_revision = models.CharField(_("new revision"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta(_ChangeRow.Meta):
        verbose_name = _("affected document")
        verbose_name_plural = _("affected documents")

    def __str__(self):
        return self.identifier


class StockDisposition(_ChangeRow):
    class Disposition(models.TextChoices):
        USE_UP = "use_up", _("Use up")
        REWORK = "rework", _("Rework")
        SCRAP = "scrap", _("Scrap")
        RETURN = "return", _("Return")
        USE_AS_IS = "use_as_is", _("Use as is")

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="dispositions")
    location = models.CharField(_("location"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta(_ChangeRow.Meta):
        verbose_name = _("stock disposition")
        verbose_name_plural = _("stock dispositions")

    def __str__(self):
        return f"{self.location}: {self.quantity} {self.disposition}"


class Function(models.TextChoices):
    """The functions that assess a change and sit on its review board."""

    QUALITY = "quality", _("Quality")
    ENGINEERING = "engineering", _("Engineering")
    PRODUCTION = "production", _("Production")
    LOGISTICS = "logistics", _("Logistics")
    PURCHASING = "purchasing", _("Purchasing")
    SALES = "sales", _("Sales")


class _FunctionSeat(_ChangeRow):
    """A named function's part in a change: its impact assessment or its board approval."""

    Function = Function

    function = models.CharField(_("function"), max_length=20, choices=Function.choices)

    class Meta(_ChangeRow.Meta):
        abstract = True

    def __str__(self):
        return f"{self.get_function_display()}: {self.user}"


class ChangeAssessor(_FunctionSeat):
    """One named function's impact assessment of the change."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="assessors")
    user = user_key(verbose_name=_("assessor"))
    assessment = models.TextField(_("assessment"), blank=True, max_length=limits.LONG_TEXT)
    internal_note = models.TextField(_("internal note"), blank=True, max_length=limits.LONG_TEXT)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(_ChangeRow.Meta):
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "function"], name="changes_assessor_one_per_function"
            )
        ]

    @property
    def is_done(self) -> bool:
        return self.assessed_at is not None


class ChangeApprover(_FunctionSeat):
    """A required review-board approver; the approval is their electronic signature."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="approvers")
    user = user_key(verbose_name=_("approver"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    signature = protected_key("core.Signature", null=True, blank=True)
    history = HistoricalRecords()

    class Meta(_ChangeRow.Meta):
        verbose_name = _("review board approver")
        verbose_name_plural = _("review board approvers")
        constraints = [
            models.UniqueConstraint(fields=["change", "user"], name="changes_approver_once")
        ]


CHANGE_EVENT_LABELS = {
    "create": _("Raised"),
    "submit": _("Submitted"),
    "start_assessment": _("Impact assessment started"),
    "assess": _("Impact assessed"),
    "to_review_board": _("Sent to the review board"),
    "board_approve": _("Approved by a board member"),
    "board_reject": _("Rejected by the review board"),
    "board_defer": _("Deferred by the review board"),
    "resume": _("Back to the review board"),
    "to_customer": _("Sent to the customer for approval"),
    "board_complete": _("Approved (no customer approval required)"),
    "customer_approve": _("Approved by the customer"),
    "customer_reject": _("Rejected by the customer"),
    "waive": _("Customer approval waived"),
    "release": _("ECN released"),
    "validate": _("Validated"),
    "implement": _("Implemented"),
    "close": _("Closed"),
    "cancel": _("Cancelled"),
    "ppap_link": _("PPAP submission linked"),
    "remind": _("Customer reminded"),
}


class ChangeEvent(RecordEvent, record_field="change", labels=CHANGE_EVENT_LABELS):
    """One line of the change's timeline: who did what, when, from which status to which."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="events")

    objects = ChangeRowQuerySet.as_manager()

    class Meta(RecordEvent.Meta):
        indexes = [models.Index(fields=["change", "created_at"])]


class ChangeReminderLog(DailyNotice):
    """The customer was reminded about this change's pending decision on this day."""

    record_field = "change"

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()  # without a label, as the table was first made

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "sent_on"], name="changes_remind_once_a_day")
        ]
