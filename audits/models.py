"""Audit programme, audits, question catalogues, answers and findings (REFERENCE §4).

Our own audits (system, process, product, certification) are internal records: only staff see
them. A customer's audit of us carries that customer as its tenant, and the customer's users see
it and its findings in the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.events import RecordEvent
from core.records.fields import customer_key, protected_key, user_key
from core.records.models import DetailPage, QualityRecord, Record, RecordRow, record_history
from core.records.notices import DailyNotice
from core.records.querysets import RecordQuerySet

from .scoring import ELEMENTS, SUB_ELEMENTS


class Process(models.Model):
    """One of our manufacturing or support processes: what the audit programme must cover."""

    name = models.CharField(_("name"), max_length=200)
    plant = protected_key("customers.Plant", verbose_name=_("plant"))
    shifts = models.PositiveSmallIntegerField(
        _("shifts it runs on"), default=1, help_text=_("1, 2 or 3 shifts a day.")
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible people"),
        related_name="audit_areas",
        blank=True,
        help_text=_("Their area: they may not audit this process themselves."),
    )
    parts = models.ManyToManyField(
        "customers.Part", verbose_name=_("parts it makes"), related_name="+", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[responsible])

    class Meta:
        ordering = ["name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.UniqueConstraint(fields=["plant", "name"], name="audits_process_unique_name"),
            models.CheckConstraint(
                name="audits_process_shifts_1_to_3",
                condition=models.Q(shifts__gte=1, shifts__lte=3),
            ),
        ]

    def __str__(self):
        return self.name


class AuditProgramme(models.Model):
    """The audits planned for one year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, max_length=limits.LONG_TEXT)
    created_by = user_key(null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")

    def __str__(self):
        return self.title


class Catalogue(DetailPage, models.Model):
    """One version of a question catalogue; a new version is a new row, old audits keep theirs."""

    detail_url_name = "audits:catalogue-detail"

    class Kind(models.TextChoices):
        ISO_9001 = "iso9001", _("ISO 9001 system audit")
        VDA_63 = "vda63", _("VDA 6.3 process audit")
        VDA_65 = "vda65", _("VDA 6.5 product audit")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=limits.LONG_TEXT)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-created_at"]
        verbose_name = _("question catalogue")
        verbose_name_plural = _("question catalogues")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="audits_catalogue_unique_version",
                violation_error_message=_("This catalogue version exists already."),
            )
        ]

    def __str__(self):
        return f"{self.name} {self.version}"

    @property
    def is_vda63(self) -> bool:
        return self.kind == self.Kind.VDA_63


class Question(models.Model):
    catalogue = protected_key(Catalogue, related_name="questions")
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=20)
    element = models.CharField(
        _("element / clause"),
        max_length=20,
        blank=True,
        help_text=_("P2–P7 in a VDA 6.3 catalogue, the clause in an ISO 9001 checklist."),
    )
    sub_element = models.CharField(
        _("sub-element"), max_length=2, blank=True, choices=[(u, u) for u in SUB_ELEMENTS]
    )
    star = models.BooleanField(_("*-question"), default=False)
    text = models.TextField(_("question"), max_length=limits.LONG_TEXT)

    class Meta:
        ordering = ["catalogue", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "code"], name="audits_question_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"

    @property
    def per_step(self) -> bool:
        """P6 questions are scored once per process step."""
        return self.element == "P6"


VDA_ELEMENTS = ELEMENTS


class AuditQuerySet(RecordQuerySet):
    search_fields = ("number", "title", "process__name", "scope")

    def with_related(self):
        return self.select_related("customer", "process", "part", "lead_auditor", "programme")


class Audit(QualityRecord):
    detail_url_name = "audits:audit-detail"

    class Type(models.TextChoices):
        SYSTEM = "system", _("System audit (ISO 9001)")
        PROCESS = "process", _("Manufacturing process audit (VDA 6.3)")
        PRODUCT = "product", _("Product audit (VDA 6.5)")
        CUSTOMER = "customer", _("Customer audit received")
        CERTIFICATION = "certification", _("Certification audit")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PREPARATION = "in_preparation", _("In preparation")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORT_DRAFT = "report_draft", _("Report draft")
        CLOSED = "closed", _("Report approved, closed")
        CANCELLED = "cancelled", _("Cancelled")

    FINAL_STATUSES = (Status.CLOSED, Status.CANCELLED)
    # Answers and findings are written while the audit is conducted and its report drafted.
    CONDUCT_STATUSES = (Status.IN_PROGRESS, Status.REPORT_DRAFT)

    programme = protected_key(
        AuditProgramme, verbose_name=_("programme"), related_name="audits", null=True, blank=True
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    customer = customer_key(
        verbose_name=_("customer"),
        null=True,
        blank=True,
        help_text=_("The auditing customer: customer audits only."),
    )
    process = protected_key(
        Process, verbose_name=_("process audited"), related_name="audits", null=True, blank=True
    )
    part = protected_key("customers.Part", verbose_name=_("product audited"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True, max_length=limits.LONG_TEXT)
    shifts_audited = models.JSONField(_("shifts audited"), default=list, blank=True)
    process_steps = models.JSONField(
        _("process steps"),
        default=list,
        blank=True,
        help_text=_("P6 questions are scored once per process step."),
    )
    planned_date = models.DateField(_("planned date"))
    lead_auditor = user_key(verbose_name=_("lead auditor"), null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("audit team"), related_name="+", blank=True
    )
    external_auditors = models.CharField(
        _("external auditors"),
        max_length=300,
        blank=True,
        help_text=_("The customer's or the certification body's auditors."),
    )
    catalogue = protected_key(
        Catalogue,
        verbose_name=_("question catalogue"),
        related_name="audits",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    summary = models.TextField(_("report summary"), blank=True, max_length=limits.LONG_TEXT)
    result_percent = models.DecimalField(
        _("result (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    downgrade_reasons = models.JSONField(_("downgrade reasons"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    approved_at = models.DateTimeField(_("report approved"), null=True, blank=True)
    approved_by = user_key(verbose_name=_("approved by"), null=True, blank=True)
    history = record_history(m2m_fields=[team])

    objects = AuditQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        ordering = ["-planned_date", "-pk"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        constraints = [
            models.CheckConstraint(
                name="audits_audit_customer_iff_customer_audit",
                condition=(models.Q(type="customer", customer__isnull=False))
                | (~models.Q(type="customer") & models.Q(customer__isnull=True)),
                violation_error_message=_(
                    "A customer audit names the customer; other audits name none."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["status", "planned_date"]),
            models.Index(fields=["customer", "status"]),
            # The list's default order: its first page is read from this index.
            models.Index(fields=["planned_date", "id"], name="audit_planned"),
        ]

    @property
    def is_conducted(self) -> bool:
        return self.status in self.CONDUCT_STATUSES

    @property
    def is_customer_audit(self) -> bool:
        return self.type == self.Type.CUSTOMER


class Answer(Record, RecordRow):
    """One question's score in one audit (and one process step for P6): saved one by one."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    customer = customer_key(null=True, blank=True)  # our internal audits belong to no customer
    question = protected_key(Question)
    step = models.CharField(_("process step"), max_length=100, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    not_evaluated = models.BooleanField(_("not evaluated"), default=False)
    reason = models.TextField(_("reason not evaluated"), blank=True, max_length=limits.NOTE)
    note = models.TextField(_("note"), blank=True, max_length=limits.LONG_TEXT)
    answered_by = user_key(null=True)
    history = record_history()

    class Meta:
        ordering = ["audit", "question__position", "step"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question", "step"], name="audits_answer_unique_step"
            ),
            models.CheckConstraint(
                name="audits_answer_vda_score",
                condition=models.Q(score__isnull=True) | models.Q(score__in=[0, 4, 6, 8, 10]),
            ),
        ]

    def __str__(self):
        return f"{self.audit_id} {self.question_id} {self.step}".strip()

    def get_absolute_url(self):
        return reverse("audits:audit-conduct", args=[self.audit_id]) + f"#q-{self.question_id}"


def open_finding() -> models.Q:
    """A finding not closed or cancelled, as a condition (for filters and counts alike)."""
    return ~models.Q(status__in=Finding.FINAL_STATUSES)


def overdue_finding(now=None) -> models.Q:
    """An open nonconformity whose next response step is late."""
    now = now or timezone.now()
    late = (
        models.Q(status=Finding.Status.OPEN, plan_due__lt=now)
        | models.Q(implementation_due__lt=now)
        | models.Q(containment_due__lt=now, containment="")
    )
    return open_finding() & models.Q(classification__in=Finding.NONCONFORMITIES) & late


class FindingQuerySet(RecordQuerySet):
    search_fields = ("audit__number", "description", "requirement")

    def with_related(self):
        return self.select_related("audit", "customer", "question", "responded_by")

    def open(self):
        return self.filter(open_finding())

    def overdue(self, now=None):
        return self.filter(overdue_finding(now))


class Finding(DetailPage, Record):
    detail_url_name = "audits:finding-detail"

    class Classification(models.TextChoices):
        MAJOR = "major", _("Major nonconformity")
        MINOR = "minor", _("Minor nonconformity")
        OBSERVATION = "observation", _("Observation")
        OFI = "ofi", _("Opportunity for improvement")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Response submitted")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    NONCONFORMITIES = (Classification.MAJOR, Classification.MINOR)
    FINAL_STATUSES = (Status.CLOSED, Status.CANCELLED)

    audit = protected_key(Audit, related_name="findings")
    customer = customer_key(verbose_name=_("customer"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("finding no."))
    question = protected_key(Question, verbose_name=_("question"), null=True, blank=True)
    step = models.CharField(_("process step"), max_length=100, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score of the question"),
        null=True,
        blank=True,
        help_text=_("With several findings on one question the lowest score counts."),
    )
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices
    )
    requirement = models.CharField(_("requirement"), max_length=300, blank=True)
    description = models.TextField(_("finding"), max_length=limits.LONG_TEXT)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    containment_due = models.DateTimeField(_("containment due"), null=True, blank=True)
    plan_due = models.DateTimeField(_("action plan due"), null=True, blank=True)
    implementation_due = models.DateTimeField(_("implementation due"), null=True, blank=True)
    containment = models.TextField(_("containment"), blank=True, max_length=limits.LONG_TEXT)
    correction = models.TextField(_("correction"), blank=True, max_length=limits.LONG_TEXT)
    root_cause = models.TextField(_("root cause"), blank=True, max_length=limits.LONG_TEXT)
    effectiveness = models.TextField(
        _("effectiveness check"), blank=True, max_length=limits.LONG_TEXT
    )
    responded_at = models.DateTimeField(_("response submitted"), null=True, blank=True)
    responded_by = user_key(null=True, blank=True)
    decision_comment = models.TextField(
        _("decision comment"), blank=True, max_length=limits.COMMENT
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = user_key(null=True, blank=True)
    created_by = user_key(null=True)
    history = record_history()

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "position"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"], name="audits_finding_unique_position"
            ),
        ]
        indexes = [models.Index(fields=["status", "implementation_due"])]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.audit.number}/F{self.position:02d}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_nonconformity(self) -> bool:
        return self.classification in self.NONCONFORMITIES

    @property
    def next_due(self):
        """The deadline that counts now: containment, then the plan, then implementation."""
        if self.is_final or not self.is_nonconformity:
            return None
        if self.containment_due and not self.containment:
            return self.containment_due
        if self.status == self.Status.OPEN and self.plan_due:
            return self.plan_due
        return self.implementation_due


EVENT_LABELS = {
    "plan": _("Planned"),
    "prepare": _("Preparation started"),
    "start": _("Audit started"),
    "draft_report": _("Report drafted"),
    "send_back": _("Report sent back"),
    "approve_report": _("Report approved"),
    "cancel": _("Cancelled"),
    "finding_raise": _("Finding raised"),
    "finding_respond": _("Response submitted"),
    "finding_close": _("Finding closed"),
    "finding_confirm": _("Closure confirmed by the customer"),
    "finding_send_back": _("Finding sent back"),
    "finding_cancel": _("Finding cancelled"),
}


class AuditEvent(
    RecordEvent,
    record_field="audit",
    labels=EVENT_LABELS,
    part_states={"finding_": "audits.Finding"},
):
    """One line of an audit's timeline: a transition of the audit or of one of its findings."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="events", null=True, blank=True
    )
    # Our internal audits belong to no customer.
    customer = customer_key(null=True, blank=True)

    class Meta(RecordEvent.Meta):
        indexes = [models.Index(fields=["audit", "created_at"])]


class FindingEscalation(DailyNotice):
    """One overdue escalation sent for one finding on one day: the daily run sends it once."""

    record_field = "finding"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="escalations")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = _("finding escalation")
        verbose_name_plural = _("finding escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "sent_on"], name="audits_escalation_once_per_day"
            )
        ]
