"""Quality claims filed by customers and the 8D steps we answer them with (REFERENCE §1)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.records.events import RecordEvent
from core.records.fields import customer_key, protected_key, user_key
from core.records.models import (
    QualityRecord,
    Record,
    RecordRow,
    record_history,
    record_list_indexes,
)
from core.records.notices import DailyNotice, RecordNotice, TenantNoticeQuerySet
from core.records.querysets import LimitedForCustomers, RecordQuerySet
from core.tenancy import TenantQuerySet


class ClaimQuerySet(RecordQuerySet):
    search_fields = (
        "number",
        "customer_reference",
        "part__part_number",
        "part__customer_part_number",
        "symptom",
    )

    def with_related(self):
        # The filer too: whose turn it is on the customer's side names them (claims.waiting);
        # the master a linked claim follows, which its turn and its page name.
        return self.select_related("customer", "part", "assigned_engineer", "created_by", "master")

    def open_filed(self):
        """Open and filed: what the "open claims" card counts and its list shows.

        A claim closed provisionally is not open: its 8D is accepted and only the proof of the
        actions' effectiveness is due; the figures count it on its own (claims.kpis).
        """
        return self.open().exclude(
            status__in=(Claim.Status.DRAFT, Claim.Status.PROVISIONALLY_CLOSED)
        )

    def overdue(self, now=None):
        now = now or timezone.now()
        late_steps = EightDStep.objects.filter(
            claim=models.OuterRef("pk"), status__in=EightDStep.PENDING_STATUSES, due_at__lt=now
        )
        return self.open().filter(models.Exists(late_steps))


# Claims that count in ppm and incidents (REFERENCE §5): accepted as our responsibility and not
# cancelled. One condition for the selector and the partial indexes it is read through.
COUNTED_IN_PPM = models.Q(responsibility="accepted") & ~models.Q(status="cancelled")


class Claim(QualityRecord):
    detail_url_name = "claims:claim-detail"

    class Kind(models.TextChoices):
        ZERO_KM = "0km", _("0 km")
        FIELD = "field", _("Field")

    class DetectionLocation(models.TextChoices):
        INCOMING = "incoming_inspection", _("Incoming inspection")
        LINE = "line", _("Assembly line")
        END_OF_LINE = "end_of_line", _("End of line")
        FIELD = "field_dealer", _("Field / dealer")

    class Severity(models.TextChoices):
        SAFETY = "safety", _("Safety")
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        UNDER_REVIEW = "under_review", _("Under review")
        CONTAINMENT = "containment", _("Containment")
        ROOT_CAUSE = "root_cause", _("Root cause")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
        PREVENTION = "prevention", _("Prevention")
        CUSTOMER_EVALUATION = "customer_evaluation", _("Customer evaluation")
        # Accepted pending proof of effectiveness by ``effectiveness_due_on`` (claims.provisional).
        PROVISIONALLY_CLOSED = "provisionally_closed", _("Closed provisionally")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Responsibility(models.TextChoices):
        UNDECIDED = "", _("Not decided")
        ACCEPTED = "accepted", _("Accepted as ours")
        REJECTED = "rejected", _("Rejected")

    class DefectSource(models.TextChoices):
        """Where the defect came from (REFERENCE §1): the Pareto of the management report."""

        SUPPLIER_MATERIAL = "supplier_material", _("Supplier / sub-supplier material")
        MANUFACTURING = "manufacturing", _("Manufacturing (own process)")
        DESIGN = "design", _("Design")
        LOGISTICS = "logistics", _("Logistics (packaging, labelling, mixed parts, transport)")
        SOFTWARE = "software", _("Software")
        CUSTOMER_INDUCED = "customer_induced", _("Customer-induced / handling")
        NO_FAULT_FOUND = "no_fault_found", _("No fault found")

    class RejectionCode(models.TextChoices):
        NOT_OURS = "not_our_responsibility", _("Not our responsibility")
        NO_FAULT_FOUND = "no_fault_found", _("No fault found")
        CUSTOMER_INDUCED = "customer_induced", _("Customer-induced")

    FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.CANCELLED)
    # While the claim is in one of these, the 8D steps may be worked on.
    EIGHT_D_STATUSES = (
        Status.ACKNOWLEDGED,
        Status.UNDER_REVIEW,
        Status.CONTAINMENT,
        Status.ROOT_CAUSE,
        Status.CORRECTIVE_ACTION,
        Status.PREVENTION,
        Status.CUSTOMER_EVALUATION,
    )

    part = protected_key("customers.Part", verbose_name=_("part"), related_name="claims")
    part_revision = models.CharField(_("part revision"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    detection_location = models.CharField(
        _("detected at"), max_length=30, choices=DetectionLocation.choices
    )
    detection_date = models.DateField(_("detection date"))
    notified_at = models.DateTimeField(_("notified at"))
    symptom = models.TextField(_("symptom"), max_length=limits.LONG_TEXT)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    suspect_qty = models.PositiveIntegerField(_("suspect quantity"), default=0)
    nonconforming_qty = models.PositiveIntegerField(_("nonconforming quantity"), default=0)
    ppm_qty = models.PositiveIntegerField(_("quantity charged to ppm"), default=0)
    lot = models.CharField(_("lot"), max_length=50, blank=True)
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    serial = models.CharField(_("serial number"), max_length=50, blank=True)
    date_code = models.CharField(_("date code"), max_length=50, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    customer_contact = models.CharField(_("customer contact"), max_length=200, blank=True)
    assigned_engineer = user_key(
        verbose_name=_("assigned engineer"), related_name="assigned_claims", null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    reaction_at = models.DateTimeField(_("containment (D3) submitted at"), null=True, blank=True)
    responsibility = models.CharField(
        _("responsibility"), max_length=10, choices=Responsibility.choices, blank=True, default=""
    )
    rejection_code = models.CharField(
        _("rejection reason code"), max_length=30, choices=RejectionCode.choices, blank=True
    )
    rejection_reason = models.TextField(
        _("rejection reason"), blank=True, max_length=limits.LONG_TEXT
    )
    defect_source = models.CharField(
        _("defect source"), max_length=20, choices=DefectSource.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    provisionally_accepted_at = models.DateTimeField(
        _("accepted provisionally at"), null=True, blank=True
    )
    effectiveness_due_on = models.DateField(
        _("effectiveness evidence due"),
        null=True,
        blank=True,
        help_text=_("The day by which we prove the corrective actions effective."),
    )
    # Defaults in the database too: bulk loaders that name their columns (claims.volume) and
    # rows written before these fields existed stay valid.
    effectiveness_evidence = models.TextField(
        _("effectiveness evidence"), blank=True, max_length=limits.LONG_TEXT, db_default=""
    )
    effectiveness_evidence_at = models.DateTimeField(
        _("effectiveness evidence sent at"), null=True, blank=True
    )
    # A claim attached to another claim's running 8D (claims.linking): it follows the master's
    # steps and status and keeps its own quantities, costs and ppm counting.
    master = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_claims",
        verbose_name=_("follows the 8D of"),
    )
    created_by = user_key(verbose_name=_("filed by"), related_name="filed_claims")
    history = record_history()

    objects = ClaimQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(
                name="claims_claim_nonconforming_le_suspect",
                condition=models.Q(nonconforming_qty__lte=models.F("suspect_qty")),
                violation_error_message=_(
                    "The nonconforming quantity cannot exceed the suspect quantity."
                ),
            ),
        ]
        indexes = [
            *record_list_indexes("claims_claim"),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["assigned_engineer", "status"]),
            models.Index(fields=["kind", "severity"]),
            models.Index(fields=["part", "created_at"]),
            # Month ranges of ppm, the dashboard and the reports (company-wide and per customer);
            # the included columns answer the ppm sums from the index alone.
            models.Index(
                fields=["notified_at"],
                include=["kind", "ppm_qty", "responsibility", "status", "customer"],
                name="claims_claim_notified",
            ),
            models.Index(
                fields=["customer", "notified_at"],
                include=["kind", "ppm_qty", "responsibility", "status"],
                name="claims_claim_cust_notified",
            ),
            # Claims counted in ppm (``selectors.counted_in_ppm``), company-wide and per
            # customer: ppm, IPB and the Pareto charts are summed from these alone.
            models.Index(
                fields=["notified_at"],
                include=["customer", "part", "kind", "defect_source", "ppm_qty"],
                condition=COUNTED_IN_PPM,
                name="claims_claim_counted",
            ),
            models.Index(
                fields=["customer", "notified_at"],
                include=["part", "kind", "defect_source", "ppm_qty"],
                condition=COUNTED_IN_PPM,
                name="claims_claim_cust_counted",
            ),
            models.Index(
                fields=["closed_at"], include=["status", "customer"], name="claims_claim_closed"
            ),
            # Open claims are a few percent of all: "open by age" reads only them.
            models.Index(
                fields=["notified_at"],
                include=["status", "customer"],
                condition=~models.Q(status__in=["closed", "rejected", "cancelled"]),
                name="claims_claim_open_notified",
            ),
        ]

    @property
    def is_open_for_files(self) -> bool:
        return not self.is_final

    # A rejected claim stays open for comments: the customer may contest the rejection.
    COMMENTS_CLOSED_STATUSES = (Status.CLOSED, Status.CANCELLED)

    @property
    def is_open_for_comments(self) -> bool:
        return self.status not in self.COMMENTS_CLOSED_STATUSES


class ClaimRow(RecordRow):
    """A row of one claim's 8D answer or chargeback, its customer column labelled."""

    customer = customer_key(verbose_name=_("customer"))

    class Meta:
        abstract = True


class EightDStep(Record, ClaimRow):
    class Code(models.TextChoices):
        D0 = "D0", _("D0 Prepare")
        D1 = "D1", _("D1 Team")
        D2 = "D2", _("D2 Problem description")
        D3 = "D3", _("D3 Interim containment")
        D4 = "D4", _("D4 Root cause")
        D5 = "D5", _("D5 Corrective actions chosen")
        D6 = "D6", _("D6 Corrective actions implemented")
        D7 = "D7", _("D7 Prevent recurrence")
        D8 = "D8", _("D8 Closure")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")

    # Which customer deadline (CustomerRequirements.deadline) each discipline is due by.
    DEADLINE_OF = {
        "D0": "d3",
        "D1": "d3",
        "D2": "d3",
        "D3": "d3",
        "D4": "d4",
        "D5": "d6",
        "D6": "d6",
        "D7": "d7",
        "D8": "d8",
    }
    # Steps we still owe: their due date counts until they are submitted.
    PENDING_STATUSES = (Status.OPEN, Status.DRAFT, Status.SENT_BACK)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("discipline"), max_length=2, choices=Code.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    content = models.JSONField(_("structured content"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=limits.LONG_TEXT)
    internal_note = models.TextField(_("internal note"), blank=True, max_length=limits.LONG_TEXT)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_key(verbose_name=_("submitted by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_key(verbose_name=_("decided by"), null=True, blank=True)
    decision_comment = models.TextField(
        _("decision comment"), blank=True, max_length=limits.COMMENT
    )
    history = record_history()

    class Meta:
        ordering = ["claim", "code"]
        verbose_name = _("8D step")
        verbose_name_plural = _("8D steps")
        constraints = [
            models.UniqueConstraint(fields=["claim", "code"], name="claims_step_unique_code")
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            # The 8D on-time rate: D8 steps due in a month.
            models.Index(fields=["code", "due_at"], name="claims_step_code_due"),
            # The next deadline of every listed claim (selectors.with_next_due), read in order.
            models.Index(
                fields=["claim", "due_at", "code"],
                condition=models.Q(status__in=["open", "draft", "sent_back"]),
                name="claims_step_pending_due",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.code}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    @property
    def is_answered(self) -> bool:
        """Submitted or approved: the deadline was met, the traffic light is off."""
        return not self.is_pending

    @property
    def shown_to_customer(self) -> bool:
        """Drafts are our work in progress; the customer reads what we submitted."""
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED, self.Status.SENT_BACK)

    def history_rows(self, field_name: str, value) -> list[tuple[str, str]] | None:
        """The structured content's entries under the editor's labels, for the history."""
        if field_name != "content":
            return None
        from claims.eightd.content import rows

        return rows(self.code, value)


EVENT_LABELS = {
    "file": _("Filed"),
    "submit": _("Submitted"),
    "assign": _("Assigned"),
    "acknowledge": _("Acknowledged"),
    "start_review": _("Review started"),
    "accept_responsibility": _("Accepted as ours"),
    "reject_responsibility": _("Responsibility rejected"),
    "to_root_cause": _("Moved to root cause"),
    "to_corrective_action": _("Moved to corrective action"),
    "to_prevention": _("Moved to prevention"),
    "to_customer_evaluation": _("Ready for customer evaluation"),
    "customer_accept_8d": _("8D accepted by the customer"),
    "customer_reject_8d": _("8D rejected by the customer"),
    "reopen": _("Reopened"),
    "cancel": _("Cancelled"),
    "customer_accept_provisionally": _("8D accepted provisionally by the customer"),
    "customer_confirm_effectiveness": _("Effectiveness confirmed by the customer"),
    "customer_reject_effectiveness": _("Effectiveness not confirmed by the customer"),
    "effectiveness_evidence": _("Effectiveness evidence sent"),
    "link": _("Attached to another claim's 8D"),
    "unlink": _("Detached from the other claim's 8D"),
    "follow_master": _("Followed the master claim"),
    "action_customer_add": _("Action added by the customer"),
    "action_customer_accept": _("Action accepted by the customer"),
    "action_customer_decline": _("Action declined by the customer"),
    "action_revise": _("Declined action revised"),
    "import": _("Imported"),
    "step_submit": _("Step submitted"),
    "step_approve": _("Step approved"),
    "step_send_back": _("Step sent back"),
    "containment_remove": _("Containment removed"),
}


class ClaimEvent(
    RecordEvent,
    record_field="claim",
    labels=EVENT_LABELS,
    part_states={"costs_": "claims.ClaimCostSheet"},
):
    """One line of the claim's timeline: a transition or a step decision, who and when."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    step_code = models.CharField(_("discipline"), max_length=2, blank=True)

    class Meta(RecordEvent.Meta):
        indexes = [models.Index(fields=["claim", "created_at"])]


class ClaimCommentQuerySet(LimitedForCustomers, TenantQuerySet):
    customers_see = models.Q(internal=False)


class ClaimComment(RecordRow):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = user_key()
    body = models.TextField(_("comment"), max_length=limits.COMMENT)
    internal = models.BooleanField(_("internal (hidden from the customer)"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    objects = ClaimCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.claim_id}: {self.body[:40]}"


class ReminderLog(DailyNotice):
    """One deadline reminder sent for one step on one day: makes the daily run idempotent."""

    record_field = "step"

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due within 24 hours")
        OVERDUE = "overdue", _("Overdue")

    step = models.ForeignKey(EightDStep, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "step"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "kind", "sent_on"], name="claims_reminder_once_per_day"
            )
        ]

    def __str__(self):
        return f"{self.step} {self.kind} {self.sent_on}"


class ProvisionalReminder(RecordNotice):
    """The one reminder that a provisionally accepted claim's effectiveness evidence is due soon.

    Once per claim and due date: a new date (the customer moved it) gets its own reminder.
    """

    record_field = "claim"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="provisional_reminders")
    customer = customer_key()
    due_on = models.DateField(_("evidence due"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = TenantNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "due_on"]
        verbose_name = _("effectiveness reminder")
        verbose_name_plural = _("effectiveness reminders")
        constraints = [
            models.UniqueConstraint(fields=["claim", "due_on"], name="claims_provisional_once")
        ]

    def __str__(self):
        return f"{self.claim_id} {self.due_on}"


class ClaimEscalation(RecordNotice):
    """A claim not acknowledged within the customer's reaction time, escalated once per level.

    The row is inserted before the notification, in the same transaction: its unique constraint
    lets a second or concurrent run of the escalation task find the level done and tell no one.
    """

    record_field = "claim"

    class Level(models.IntegerChoices):
        FIRST = 1, _("Reaction time exceeded")
        SECOND = 2, _("Twice the reaction time exceeded")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="escalations")
    customer = customer_key()
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    due_at = models.DateTimeField(_("acknowledgement was due"))
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    objects = TenantNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "level"]
        verbose_name = _("claim escalation")
        verbose_name_plural = _("claim escalations")
        constraints = [
            models.UniqueConstraint(fields=["claim", "level"], name="claims_escalation_once")
        ]

    def __str__(self):
        return f"{self.claim_id} level {self.level}"
