"""PPAP submissions, their element checklist, the PSW and the process studies (REFERENCE §2)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.events import RecordEvent
from core.records.fields import protected_key, user_key
from core.records.models import (
    QualityRecord,
    Record,
    RecordRow,
    record_history,
    record_list_indexes,
)
from core.records.querysets import LimitedForCustomers, RecordQuerySet
from core.tenancy import TenantQuerySet

from .editions import DEFAULT_EDITION, EDITION_CHOICES, Requirement
from .reasons import PpapLevel, SubmissionReason

# Drafts (and drafts cancelled before they went out) are our own work: customers never see them.
HIDDEN_FROM_CUSTOMERS = ("draft", "cancelled")


class FormSet(models.TextChoices):
    AIAG = "aiag", _("AIAG PPAP (PSW)")
    VDA2 = "vda2", _("VDA volume 2 (PPF)")


class VdaTrigger(models.TextChoices):
    NEW_PART = "new_part", _("New part")
    CHANGE = "change", _("Product or process change")
    SUPPLIER_CHANGE = "supplier_change", _("Change of sub-supplier")
    RELOCATION = "relocation", _("Production relocation")
    LONG_STOP = "long_stop", _("Production stopped for a long time")
    OTHER = "other", _("Other")


class SubmissionQuerySet(LimitedForCustomers, RecordQuerySet):
    customers_see = ~models.Q(status__in=HIDDEN_FROM_CUSTOMERS)
    search_fields = (
        "number",
        "part__part_number",
        "part__customer_part_number",
        "part__description",
        "reason_detail",
    )

    def with_related(self):
        return self.select_related("customer", "part", "owner")

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=PpapSubmission.Status.DRAFT, due_date__lt=today)


class PpapSubmission(QualityRecord):
    """One revision of a PPAP: a resubmission is the next revision under the same number."""

    detail_url_name = "ppap:submission-detail"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        APPROVED_WITH_DEVIATIONS = "approved_deviations", _("Approved with deviations")
        INTERIM = "interim", _("Interim approval")
        INTERIM_EXPIRED = "interim_expired", _("Interim approval expired")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # The customer's decision: these statuses end a revision (a resubmission opens the next).
    DECIDED = (
        Status.APPROVED,
        Status.APPROVED_WITH_DEVIATIONS,
        Status.INTERIM,
        Status.INTERIM_EXPIRED,
        Status.REJECTED,
    )

    number = models.CharField(_("number"), max_length=20)  # not unique: every revision has it
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(
        _("current revision"),
        default=True,
        help_text=_("Earlier revisions of a resubmitted PPAP are kept read-only."),
    )
    part = protected_key("customers.Part", verbose_name=_("part"), related_name="ppap_submissions")
    part_revision = models.CharField(_("part revision"), max_length=20)
    change = protected_key(
        "changes.ChangeRequest",
        verbose_name=_("related change"),
        null=True,
        blank=True,
        related_name="ppap_submissions",
    )
    reason = models.CharField(
        _("reason for submission"), max_length=30, choices=SubmissionReason.choices
    )
    reason_detail = models.TextField(_("reason (details)"), blank=True, max_length=limits.LONG_TEXT)
    level = models.PositiveSmallIntegerField(_("submission level"), choices=PpapLevel.choices)
    customer_elements = models.JSONField(
        _("elements the customer asks for (level 4)"), default=list, blank=True
    )
    form_set = models.CharField(
        _("form set"), max_length=10, choices=FormSet.choices, default=FormSet.AIAG
    )
    edition = models.CharField(
        _("edition"), max_length=20, choices=EDITION_CHOICES, default=DEFAULT_EDITION
    )
    design_proprietary = models.BooleanField(_("design records are proprietary"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    owner = user_key(verbose_name=_("responsible engineer"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    internal_note = models.TextField(_("internal note"), blank=True, max_length=limits.LONG_TEXT)
    # VDA volume 2 (form set "vda2").
    vda_trigger = models.CharField(
        _("VDA 2 trigger"), max_length=20, choices=VdaTrigger.choices, blank=True
    )
    vda_scope = models.TextField(
        _("agreed scope of the sampling"), blank=True, max_length=limits.LONG_TEXT
    )
    vda_self_assessment = models.TextField(
        _("self-assessment"), blank=True, max_length=limits.LONG_TEXT
    )
    # Significant production run.
    run_date = models.DateField(_("significant run: date"), null=True, blank=True)
    run_hours = models.DecimalField(
        _("significant run: hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    run_quantity = models.PositiveIntegerField(
        _("significant run: consecutive parts"), null=True, blank=True
    )
    # Sending and the customer's disposition.
    sent_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_key(verbose_name=_("decided by"), null=True, blank=True)
    decision_comment = models.TextField(
        _("customer comment"), blank=True, max_length=limits.COMMENT
    )
    interim_expires_on = models.DateField(_("interim approval until"), null=True, blank=True)
    interim_quantity = models.PositiveIntegerField(
        _("interim approval: quantity"), null=True, blank=True
    )
    interim_nonconformities = models.TextField(
        _("open nonconformities"), blank=True, max_length=limits.LONG_TEXT
    )
    interim_action_plan = models.TextField(
        _("agreed action plan"), blank=True, max_length=limits.LONG_TEXT
    )
    risk_assessment = models.TextField(
        _("joint risk assessment"), blank=True, max_length=limits.LONG_TEXT
    )
    interim_reminded_on = models.DateField(null=True, blank=True, editable=False)
    history = record_history()

    objects = SubmissionQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        verbose_name = _("PPAP submission")
        verbose_name_plural = _("PPAP submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "revision"], name="ppap_submission_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(is_current=True),
                name="ppap_submission_one_current_revision",
            ),
        ]
        indexes = [
            *record_list_indexes("ppap_sub"),
            models.Index(fields=["part", "decided_at"]),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number} rev {self.revision}"

    @property
    def is_vda(self) -> bool:
        return self.form_set == FormSet.VDA2

    @property
    def is_editable(self) -> bool:
        """Our side still works on it: a current draft."""
        return self.is_current and self.status == self.Status.DRAFT

    def interim_has_lapsed(self, today: dt.date | None = None) -> bool:
        """An interim approval past its date counts as expired even before the daily task ran."""
        if self.status == self.Status.INTERIM_EXPIRED:
            return True
        today = today or timezone.localdate()
        return (
            self.status == self.Status.INTERIM
            and self.interim_expires_on is not None
            and self.interim_expires_on < today
        )

    @property
    def shown_status(self) -> str:
        return self.Status.INTERIM_EXPIRED if self.interim_has_lapsed() else self.status

    @property
    def shown_status_label(self) -> str:
        return str(self.Status(self.shown_status).label)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.DRAFT and bool(self.due_date and self.due_date < today)


class ChildQuerySet(LimitedForCustomers, TenantQuerySet):
    """Rows of a submission: visible exactly when the submission is."""

    customers_see = ~models.Q(submission__status__in=HIDDEN_FROM_CUSTOMERS)


class _SubmissionRow(RecordRow):
    objects = ChildQuerySet.as_manager()

    class Meta:
        abstract = True


class PpapElement(Record, _SubmissionRow):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        READY = "ready", _("Ready (approved internally)")
        APPROVED = "approved", _("Approved by the customer")
        REJECTED = "rejected", _("Rejected by the customer")

    submission = models.ForeignKey(
        PpapSubmission, on_delete=models.CASCADE, related_name="elements"
    )
    number = models.PositiveSmallIntegerField(_("element"))
    title = models.CharField(_("title"), max_length=200)
    requirement = models.CharField(_("requirement"), max_length=12, choices=Requirement.choices)
    owner = user_key(verbose_name=_("owner"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("why not applicable"), blank=True, max_length=limits.NOTE)
    customer_comment = models.TextField(
        _("customer comment"), blank=True, max_length=limits.COMMENT
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = record_history()

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("PPAP element")
        verbose_name_plural = _("PPAP elements")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="ppap_element_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_submitted_element(self) -> bool:
        """Goes to the customer with the package."""
        return self.requirement == Requirement.SUBMIT and not self.not_applicable

    @property
    def is_done(self) -> bool:
        """Ready, decided or not applicable: its due date no longer counts."""
        open_ = self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
        return self.not_applicable or not open_


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Warrant(Record, _SubmissionRow):
    """The Part Submission Warrant of one submission revision: what the organisation declares."""

    submission = models.OneToOneField(
        PpapSubmission, on_delete=models.CASCADE, related_name="warrant"
    )
    part_name = models.CharField(_("part name"), max_length=200, blank=True)
    customer_part_number = models.CharField(_("customer part number"), max_length=50, blank=True)
    org_part_number = models.CharField(_("organisation part number"), max_length=50, blank=True)
    drawing_change_level = models.CharField(
        _("engineering drawing change level"), max_length=30, blank=True
    )
    drawing_date = models.DateField(_("drawing dated"), null=True, blank=True)
    additional_changes = models.TextField(
        _("additional engineering changes"), blank=True, max_length=limits.LONG_TEXT
    )
    purchase_order = models.CharField(_("purchase order number"), max_length=50, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    checking_aid_number = models.CharField(_("checking aid number"), max_length=50, blank=True)
    checking_aid_level = models.CharField(
        _("checking aid engineering change level"), max_length=30, blank=True
    )
    checking_aid_date = models.DateField(_("checking aid dated"), null=True, blank=True)
    safety_regulation = models.CharField(
        _("safety and/or government regulation"), max_length=3, choices=YesNo.choices, blank=True
    )
    org_name = models.CharField(
        _("organisation name and supplier code"), max_length=200, blank=True
    )
    org_address = models.TextField(
        _("organisation address"), blank=True, max_length=limits.LIST_TEXT
    )
    customer_name = models.CharField(_("customer name / division"), max_length=200, blank=True)
    buyer = models.CharField(_("buyer / buyer code"), max_length=100, blank=True)
    application = models.CharField(_("application"), max_length=200, blank=True)
    imds_reported = models.CharField(
        _("substances of concern reported (IMDS)"), max_length=3, choices=YesNo.choices, blank=True
    )
    imds_reference = models.CharField(_("IMDS ID or other format"), max_length=100, blank=True)
    polymeric_marking = models.CharField(
        _("polymeric parts identified with ISO marking codes"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    dimensional_ok = models.CharField(
        _("dimensional measurements meet requirements"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    material_ok = models.CharField(
        _("material and functional tests meet requirements"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    appearance_ok = models.CharField(
        _("appearance criteria meet requirements"), max_length=3, choices=YesNo.choices, blank=True
    )
    statistical_ok = models.CharField(
        _("statistical process package meets requirements"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
    )
    results_explanation = models.TextField(
        _("explanation / comments on results"), blank=True, max_length=limits.LONG_TEXT
    )
    production_rate = models.PositiveIntegerField(
        _("declared production rate (parts)"), null=True, blank=True
    )
    production_hours = models.DecimalField(
        _("per hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    signer_name = models.CharField(_("print name"), max_length=150, blank=True)
    signer_title = models.CharField(_("title"), max_length=150, blank=True)
    signer_phone = models.CharField(_("phone"), max_length=50, blank=True)
    signer_email = models.EmailField(_("e-mail"), blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = user_key(null=True, blank=True)
    history = record_history()

    # What must be filled before the warrant can be signed (the rest is optional on the form).
    REQUIRED_FIELDS = (
        "part_name",
        "customer_part_number",
        "org_part_number",
        "drawing_change_level",
        "drawing_date",
        "weight_kg",
        "safety_regulation",
        "org_name",
        "customer_name",
        "imds_reported",
        "polymeric_marking",
        "dimensional_ok",
        "material_ok",
        "appearance_ok",
        "statistical_ok",
        "production_rate",
        "production_hours",
        "signer_name",
        "signer_title",
    )
    RESULT_FIELDS = ("dimensional_ok", "material_ok", "appearance_ok", "statistical_ok")

    class Meta:
        verbose_name = _("part submission warrant")
        verbose_name_plural = _("part submission warrants")

    def __str__(self):
        return f"PSW {self.submission_id}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def missing_fields(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REQUIRED_FIELDS
            if getattr(self, name) in (None, "")
        ]


class StudyType(models.TextChoices):
    PPK = "ppk", _("Ppk (preliminary process capability)")
    CPK = "cpk", _("Cpk (process capability)")


class ProcessStudy(_SubmissionRow):
    """One initial process study result (element 11)."""

    submission = models.ForeignKey(PpapSubmission, on_delete=models.CASCADE, related_name="studies")
    characteristic = models.CharField(_("characteristic"), max_length=200)
    study_type = models.CharField(_("index"), max_length=3, choices=StudyType.choices)
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=3)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("initial process study")
        verbose_name_plural = _("initial process studies")

    def __str__(self):
        return f"{self.characteristic}: {self.study_type} {self.value}"

    @property
    def result(self) -> str:
        from .rules import classify_capability

        return classify_capability(self.value)

    @property
    def result_label(self) -> str:
        from .rules import Capability

        return str(Capability(self.result).label)


EVENT_LABELS = {
    "create": _("Created"),
    "send": _("Submitted to the customer"),
    "approve": _("Approved"),
    "approve_deviations": _("Approved with deviations"),
    "interim": _("Interim approval"),
    "reject": _("Rejected"),
    "expire": _("Interim approval expired"),
    "resubmit": _("Resubmitted as a new revision"),
    "cancel": _("Cancelled"),
    "psw_sign": _("Warrant signed"),
    "element_approve": _("Element approved"),
    "element_reject": _("Element rejected"),
}


class PpapEvent(
    RecordEvent,
    record_field="submission",
    labels=EVENT_LABELS,
    part_states={"element_": "ppap.PpapElement"},
):
    """One line of the submission's timeline: a transition or a decision, who and when."""

    submission = models.ForeignKey(PpapSubmission, on_delete=models.CASCADE, related_name="events")
    element_number = models.PositiveSmallIntegerField(_("element"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()

    class Meta(RecordEvent.Meta):
        indexes = [models.Index(fields=["submission", "created_at"])]
