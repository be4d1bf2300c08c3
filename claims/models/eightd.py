"""The structured content of an 8D (REFERENCE §1) that is made of rows.

D1 team members, D3 containment per location, D4 causes (5-Why chains and the Ishikawa 6M board),
D5/D6 corrective actions linked to the causes they remove, D7 read-across. The free-form parts of a
discipline (D0 emergency response, D2 5W2H and Is/Is-Not, D7 PFMEA / control plan, D8 closure) live
in ``EightDStep.content`` and are described in ``claims.eightd.content``.

Every row carries the claim's customer so that ``visible_to`` scopes it without a join.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.fields import user_key

from .claim import Claim, ClaimRow


def _claim_fk(related_name: str):
    return models.ForeignKey(Claim, on_delete=models.CASCADE, related_name=related_name)


class TeamMember(ClaimRow):
    """D1: who works on the 8D, with a defined role (one champion, one leader, 4–10 people)."""

    class Role(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        LEADER = "leader", _("Team leader")
        MEMBER = "member", _("Member")
        EXPERT = "expert", _("Subject-matter expert")

    claim = _claim_fk("team_members")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    function = models.CharField(_("function / department"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class Containment(ClaimRow):
    """D3: what was done at one location where suspect parts may be; every location is answered."""

    class Location(models.TextChoices):
        OWN_WIP = "own_wip", _("Own plant: work in progress")
        OWN_FINISHED = "own_finished", _("Own plant: finished goods")
        IN_TRANSIT = "in_transit", _("In transit")
        CUSTOMER_STOCK = "customer_stock", _("Customer stock")
        SERVICE_STOCK = "service_stock", _("Service / spare parts stock")

    class Method(models.TextChoices):
        SORT = "sort", _("Sort (100 % inspection)")
        REWORK = "rework", _("Rework")
        SCRAP = "scrap", _("Scrap")
        HOLD = "hold", _("Hold / block")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REMOVED = "removed", _("Removed")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    claim = _claim_fk("containments")
    location = models.CharField(_("location"), max_length=20, choices=Location.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE
    )
    not_applicable_reason = models.TextField(
        _("why not applicable"), blank=True, max_length=limits.NOTE
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    qty_checked = models.PositiveIntegerField(_("quantity checked"), null=True, blank=True)
    qty_nonconforming = models.PositiveIntegerField(
        _("quantity found nonconforming"), null=True, blank=True
    )
    verification = models.TextField(
        _("verification of effectiveness"), blank=True, max_length=limits.LONG_TEXT
    )
    certified_marking = models.CharField(
        _("marking of certified parts"),
        max_length=200,
        blank=True,
        help_text=_("How the customer recognises parts shipped after containment (clean point)."),
    )
    responsible = models.CharField(_("responsible"), max_length=120, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = user_key(verbose_name=_("removed by"), null=True, blank=True)
    removal_note = models.TextField(
        _("why it could be removed"), blank=True, max_length=limits.NOTE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("containment")
        verbose_name_plural = _("containment")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "location"], name="claims_containment_one_per_location"
            ),
            models.CheckConstraint(
                name="claims_containment_found_le_checked",
                condition=models.Q(qty_nonconforming__isnull=True)
                | models.Q(qty_checked__isnull=True)
                | models.Q(qty_nonconforming__lte=models.F("qty_checked")),
                violation_error_message=_(
                    "The quantity found nonconforming cannot exceed the quantity checked."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.get_location_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Cause(ClaimRow):
    """D4: a candidate cause on the Ishikawa board; verified root causes end a 5-Why chain.

    ``whys`` holds the chain that leads to the cause, one answer per "why?", first to last.
    """

    class Leg(models.TextChoices):
        OCCURRENCE = "occurrence", _("Occurrence: why it was made")
        NON_DETECTION = "non_detection", _("Non-detection: why it escaped")
        SYSTEMIC = "systemic", _("Systemic: why the system allowed it")

    class Category(models.TextChoices):
        MAN = "man", _("Man")
        MACHINE = "machine", _("Machine")
        METHOD = "method", _("Method")
        MATERIAL = "material", _("Material")
        MEASUREMENT = "measurement", _("Measurement")
        MILIEU = "milieu", _("Milieu (environment)")

    class Status(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected")
        VERIFIED = "verified", _("Verified")
        RULED_OUT = "ruled_out", _("Ruled out")

    claim = _claim_fk("causes")
    leg = models.CharField(_("leg"), max_length=15, choices=Leg.choices)
    category = models.CharField(_("6M category"), max_length=15, choices=Category.choices)
    description = models.TextField(_("cause"), max_length=limits.LONG_TEXT)
    whys = models.JSONField(_("5-Why chain"), default=list, blank=True)
    is_root_cause = models.BooleanField(_("root cause"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUSPECTED
    )
    verification_method = models.CharField(_("verification method"), max_length=200, blank=True)
    verification_evidence = models.TextField(
        _("verification evidence"), blank=True, max_length=limits.LONG_TEXT
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = user_key(verbose_name=_("verified by"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["claim", "leg", "pk"]
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        indexes = [models.Index(fields=["claim", "leg", "status"])]

    def __str__(self):
        return self.description[:80]

    @property
    def is_verified_root_cause(self) -> bool:
        return self.is_root_cause and self.status == self.Status.VERIFIED


class CustomerVerdict(models.TextChoices):
    PENDING = "", _("Not decided")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class CorrectiveAction(ClaimRow):
    """D5/D6 (and D7 preventive): a core Action tied to the causes it removes.

    The Action holds owner, due date, status and the effectiveness check; this row adds what the
    8D needs on top: which causes, how the choice was verified (D5) and when and how it was
    implemented and validated (D6).
    """

    claim = _claim_fk("corrective_actions")
    action = models.OneToOneField(
        "core.Action", on_delete=models.CASCADE, related_name="claim_link"
    )
    causes = models.ManyToManyField(
        Cause, verbose_name=_("causes removed"), related_name="actions", blank=True
    )
    verification = models.TextField(
        _("verification before implementation"),
        blank=True,
        help_text=_("How the chosen action was shown to remove the cause (trial, test, study)."),
        max_length=limits.LONG_TEXT,
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    validation = models.TextField(
        _("validation after implementation"), blank=True, max_length=limits.LONG_TEXT
    )
    # The customer's side (claims.customer_actions): an action they added themselves, and their
    # verdict on each of ours; a declined action blocks D6 until it is revised or cancelled.
    created_by_customer = models.BooleanField(
        _("created by the customer"), default=False, db_default=False
    )
    customer_verdict = models.CharField(
        _("customer's verdict"),
        max_length=10,
        choices=CustomerVerdict.choices,
        blank=True,
        default=CustomerVerdict.PENDING,
        db_default=CustomerVerdict.PENDING,
    )
    customer_comment = models.TextField(
        _("customer's comment"), blank=True, max_length=limits.COMMENT, db_default=""
    )
    customer_decided_at = models.DateTimeField(_("customer decided at"), null=True, blank=True)
    customer_decided_by = user_key(
        verbose_name=_("customer decided by"), null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return str(self.action)


class ReadAcross(ClaimRow):
    """D7: a similar part, line, plant or process checked for the same risk, and what was done."""

    class Scope(models.TextChoices):
        PART = "part", _("Similar part")
        LINE = "line", _("Line / machine")
        PLANT = "plant", _("Plant")
        PROCESS = "process", _("Process / product family")

    claim = _claim_fk("read_across")
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    subject = models.CharField(_("checked"), max_length=200)
    applicable = models.BooleanField(_("same risk present"), default=True)
    measure = models.TextField(_("measure taken"), blank=True, max_length=limits.LONG_TEXT)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("read-across")
        verbose_name_plural = _("read-across")

    def __str__(self):
        return f"{self.get_scope_display()}: {self.subject}"
