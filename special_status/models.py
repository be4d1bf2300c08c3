"""Special status: a customer's escalation of us, and how we get out of it (REFERENCE §6).

A customer puts us on an escalation level (1–3), on controlled shipping (CS1: our own added
inspection; CS2: third-party inspection at our cost) or on a new business hold. Each has a start
date, the customer's reference, the reason, the parts and plants concerned and a checklist of exit
criteria, each met on a date with its evidence (text and files). We ask the customer to end it once
every criterion is met; the customer signs the exit (or declines it). The hours and rate of a CS2's
inspection count in cost of poor quality.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
from core.records.querysets import RecordQuerySet

__all__ = [
    "EVENT_LABELS",
    "ExitCriterion",
    "SpecialStatus",
    "SpecialStatusEvent",
]

DEFAULT_CURRENCY = "EUR"
ZERO = Decimal("0")


class SpecialStatusQuerySet(RecordQuerySet):
    search_fields = ("number", "customer_reference", "reason")

    def with_related(self):
        return self.select_related("customer", "owner")

    def matching(self, term: str):
        """Also the statuses one of whose parts has a matching number."""
        matching_parts = SpecialStatus.parts.through.objects.filter(
            models.Q(part__part_number__icontains=term)
            | models.Q(part__customer_part_number__icontains=term)
        ).values("specialstatus_id")
        return super().matching(term) | models.Q(pk__in=matching_parts)

    def with_criteria_counts(self):
        """Each status with how many exit criteria it has and how many are met: a sub-query
        each, so a list costs no query per row and keeps its order."""
        criteria = ExitCriterion.objects.filter(special_status=models.OuterRef("pk"))
        return self.annotate(
            criteria_total=_count_of(criteria), criteria_met=_count_of(criteria.filter(met=True))
        )


def _count_of(rows) -> models.Subquery:
    counted = rows.order_by().values("special_status").annotate(n=models.Count("*")).values("n")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)


class SpecialStatus(QualityRecord):
    detail_url_name = "special_status:status-detail"

    class Kind(models.TextChoices):
        ESCALATION_1 = "escalation_1", _("Escalation level 1")
        ESCALATION_2 = "escalation_2", _("Escalation level 2")
        ESCALATION_3 = "escalation_3", _("Escalation level 3")
        CS1 = "cs1", _("Controlled shipping level 1 (CS1)")
        CS2 = "cs2", _("Controlled shipping level 2 (CS2)")
        NEW_BUSINESS_HOLD = "new_business_hold", _("New business hold")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EXIT_REQUESTED = "exit_requested", _("Exit requested")
        CLOSED = "closed", _("Closed")

    FINAL_STATUSES = (Status.CLOSED,)
    # Still in force: the customer has not signed the exit yet.
    IN_FORCE = (Status.OPEN, Status.EXIT_REQUESTED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    started_on = models.DateField(_("start date"))
    customer_reference = models.CharField(_("customer's reference"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), max_length=limits.LONG_TEXT)
    parts = models.ManyToManyField(
        "customers.Part", verbose_name=_("parts concerned"), related_name="special_statuses",
        blank=True,
    )  # fmt: skip
    plants = models.ManyToManyField(
        "customers.Plant", verbose_name=_("plants concerned"), related_name="special_statuses",
        blank=True,
    )  # fmt: skip
    owner = user_key(verbose_name=_("responsible"), related_name="owned_special_statuses")
    created_by = user_key(verbose_name=_("opened by"))
    # The exit: asked for by us, decided and signed by the customer (or recorded on their behalf).
    exit_requested_at = models.DateTimeField(_("exit requested"), null=True, blank=True)
    exit_requested_by = user_key(verbose_name=_("exit requested by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("exit decided"), null=True, blank=True)
    decided_by = user_key(verbose_name=_("exit decided by"), null=True, blank=True)
    decision_comment = models.TextField(
        _("decision comment"), blank=True, max_length=limits.COMMENT
    )
    exit_confirmation = protected_key(
        "core.Attachment",
        verbose_name=_("customer's written confirmation"),
        null=True,
        blank=True,
        help_text=_("When a manager records the exit: the customer's letter or e-mail."),
    )
    closing_note = models.TextField(_("closing note"), blank=True, max_length=limits.LONG_TEXT)
    # CS2: the third party's inspection at our cost (hours × rate, in one currency).
    inspection_hours = models.DecimalField(
        _("inspection hours"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    history = record_history(m2m_fields=[parts, plants])

    objects = SpecialStatusQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        verbose_name = _("special status")
        verbose_name_plural = _("special statuses")
        constraints = [
            models.CheckConstraint(
                name="special_status_costs_not_negative",
                condition=models.Q(inspection_hours__gte=0, hourly_rate__gte=0),
                violation_error_message=_("Hours and rate cannot be negative."),
            )
        ]
        indexes = [*record_list_indexes("specialstatus"), models.Index(fields=["kind", "status"])]

    @property
    def is_in_force(self) -> bool:
        return self.status in self.IN_FORCE

    @property
    def is_cs2(self) -> bool:
        return self.kind == self.Kind.CS2

    @property
    def opened_by(self):
        return self.created_by

    @property
    def inspection_cost(self) -> Decimal:
        """Unrounded, like every amount: rounded only when shown."""
        return (self.inspection_hours or ZERO) * (self.hourly_rate or ZERO)


class ExitCriterion(Record, RecordRow):
    """One condition the customer set for the exit, met on a date with its evidence.

    Files that show it (inspection records, the 0-ppm report) are attachments of the criterion.
    """

    special_status = models.ForeignKey(
        SpecialStatus, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    text = models.TextField(_("exit criterion"), max_length=limits.NOTE)
    met = models.BooleanField(_("met"), default=False)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=limits.LONG_TEXT)
    met_by = user_key(verbose_name=_("recorded as met by"), null=True, blank=True)
    history = record_history()

    class Meta:
        ordering = ["special_status", "position"]
        verbose_name = _("exit criterion")
        verbose_name_plural = _("exit criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["special_status", "position"], name="special_status_criterion_position"
            ),
            models.CheckConstraint(
                name="special_status_criterion_met_on_date",
                condition=models.Q(met=False) | models.Q(met_on__isnull=False),
                violation_error_message=_("A met criterion needs the date it was met."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"

    def get_absolute_url(self):
        url = reverse("special_status:status-detail", args=[self.special_status_id])
        return f"{url}#criterion-{self.pk}"


EVENT_LABELS = {
    "open": _("Opened"),
    "request_exit": _("Exit requested"),
    "sign_exit": _("Exit signed, closed"),
    "decline_exit": _("Exit declined"),
    "criterion_add": _("Exit criterion added"),
    "criterion_met": _("Exit criterion met"),
    "criterion_reopen": _("Exit criterion no longer met"),
    "costs": _("Inspection costs recorded"),
}


class SpecialStatusEvent(RecordEvent, record_field="special_status", labels=EVENT_LABELS):
    """One line of a special status's timeline: who did what, when, from which state to which."""

    special_status = models.ForeignKey(
        SpecialStatus, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(RecordEvent.Meta):
        verbose_name = _("special status event")
        verbose_name_plural = _("special status events")
        indexes = [models.Index(fields=["special_status", "created_at"])]
