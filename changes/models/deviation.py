"""Deviations and concessions (IATF 16949 8.7.1.1), REFERENCE §3.

A deviation (planned, before production) or a concession (product already made) is the customer's
authorisation to ship product that differs from the approved specification, limited by a quantity
cap and/or an expiry date. Afterwards the original specification applies again; every shipment
made under it is recorded and identified.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.events import RecordEvent
from core.records.fields import protected_key, user_key
from core.records.models import QualityRecord, RecordRow, record_history, record_list_indexes
from core.records.notices import DailyNotice
from core.records.querysets import LimitedForCustomers, RecordQuerySet

__all__ = [
    "DEVIATION_EVENT_LABELS",
    "Deviation",
    "DeviationEvent",
    "DeviationReminderLog",
    "DeviationShipment",
]


class DeviationQuerySet(LimitedForCustomers, RecordQuerySet):
    # Customer users see a deviation once it was sent to them; drafts are ours.
    customers_see = models.Q(requested_at__isnull=False)
    search_fields = ("number", "title", "lots", "customer_authorisation")

    def with_related(self):
        return self.select_related("customer__requirements", "owner")

    def matching(self, term: str):
        """Also the deviations one of whose parts has a matching number."""
        matching_parts = Deviation.parts.through.objects.filter(
            models.Q(part__part_number__icontains=term)
            | models.Q(part__customer_part_number__icontains=term)
        ).values("deviation_id")
        return super().matching(term) | models.Q(pk__in=matching_parts)

    def active(self):
        return self.filter(status=Deviation.Status.APPROVED)


def lot_list(lots: str) -> list[str]:
    """The lots or batches written one a line, without blank lines (also for exports' raw rows)."""
    return [line.strip() for line in lots.splitlines() if line.strip()]


class Deviation(QualityRecord):
    detail_url_name = "changes:deviation-detail"

    class Kind(models.TextChoices):
        DEVIATION = "deviation", _("Deviation (planned, before production)")
        CONCESSION = "concession", _("Concession (product already made)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved (active)")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")
        EXHAUSTED = "exhausted", _("Exhausted")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    FINAL_STATUSES = (
        Status.REJECTED,
        Status.EXPIRED,
        Status.EXHAUSTED,
        Status.CLOSED,
        Status.CANCELLED,
    )

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    parts = models.ManyToManyField(
        "customers.Part", verbose_name=_("affected parts"), related_name="deviations"
    )
    lots = models.TextField(
        _("lots / batches"),
        blank=True,
        help_text=_("One lot or batch number per line."),
        max_length=limits.LIST_TEXT,
    )
    quantity_cap = models.PositiveIntegerField(
        _("quantity cap"),
        null=True,
        blank=True,
        help_text=_("The most parts that may be shipped under it."),
    )
    expires_on = models.DateField(
        _("expiry date"), null=True, blank=True, help_text=_("Last day of shipping under it.")
    )
    quantity_shipped = models.PositiveIntegerField(_("quantity shipped"), default=0)
    specification = models.TextField(_("approved specification"), max_length=limits.LONG_TEXT)
    actual = models.TextField(
        _("actual condition (how the product differs)"), max_length=limits.LONG_TEXT
    )
    reason = models.TextField(_("reason"), max_length=limits.LONG_TEXT)
    risk_assessment = models.TextField(_("risk assessment"), max_length=limits.LONG_TEXT)
    identification = models.TextField(
        _("identification of shipped parts"),
        help_text=_("How parts shipped under it are labelled and kept apart (labelling rule)."),
        max_length=limits.LONG_TEXT,
    )
    customer_authorisation = models.CharField(
        _("customer authorisation number"), max_length=100, blank=True
    )
    originating_claim = protected_key(
        "claims.Claim", verbose_name=_("originating claim"), null=True, blank=True
    )
    change_request = protected_key(
        "changes.ChangeRequest",
        verbose_name=_("change request"),
        related_name="deviations",
        null=True,
        blank=True,
    )
    internal_note = models.TextField(_("internal note"), blank=True, max_length=limits.LONG_TEXT)
    owner = user_key(verbose_name=_("owner"), related_name="owned_deviations")
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_key(verbose_name=_("decided by"), null=True, blank=True)
    decision_comment = models.TextField(
        _("decision comment"), blank=True, max_length=limits.COMMENT
    )
    closed_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = user_key(verbose_name=_("created by"))
    history = record_history(m2m_fields=[parts])

    objects = DeviationQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        verbose_name = _("deviation / concession")
        verbose_name_plural = _("deviations and concessions")
        constraints = [
            models.CheckConstraint(
                name="changes_deviation_limited",
                condition=models.Q(quantity_cap__isnull=False) | models.Q(expires_on__isnull=False),
                violation_error_message=_("Give a quantity cap, an expiry date or both."),
            ),
            models.CheckConstraint(
                name="changes_deviation_cap_positive",
                condition=models.Q(quantity_cap__isnull=True) | models.Q(quantity_cap__gt=0),
                violation_error_message=_("The quantity cap must be at least 1."),
            ),
            models.CheckConstraint(
                name="changes_deviation_shipped_within_cap",
                condition=models.Q(quantity_cap__isnull=True)
                | models.Q(quantity_shipped__lte=models.F("quantity_cap")),
                violation_error_message=_("More parts were shipped than the cap allows."),
            ),
        ]
        indexes = [
            *record_list_indexes("deviation"),
            models.Index(fields=["status", "expires_on"]),
        ]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def lot_list(self) -> list[str]:
        return lot_list(self.lots)

    @property
    def customer_zone(self) -> ZoneInfo:
        return ZoneInfo(self.customer.time_zone)

    def today(self) -> dt.date:
        """Today in the customer's time zone: the expiry date is the customer's calendar day."""
        return timezone.localdate(timezone=self.customer_zone)

    def is_past_expiry(self, today: dt.date | None = None) -> bool:
        return self.expires_on is not None and (today or self.today()) > self.expires_on

    def days_to_expiry(self, today: dt.date | None = None) -> int | None:
        if self.expires_on is None:
            return None
        return (self.expires_on - (today or self.today())).days

    @property
    def remaining_quantity(self) -> int | None:
        if self.quantity_cap is None:
            return None
        return max(self.quantity_cap - self.quantity_shipped, 0)

    @property
    def usage_percent(self) -> int | None:
        """Share of the cap shipped, in whole percent (for the usage bar)."""
        if not self.quantity_cap:
            return None
        return min(100, self.quantity_shipped * 100 // self.quantity_cap)

    @property
    def near_expiry(self) -> bool:
        """Active and within the customer's warning period before the expiry date."""
        days = self.days_to_expiry()
        limit = self.customer.requirements.deviation_expiry_warning_days
        return self.is_active and days is not None and 0 <= days <= limit

    @property
    def near_cap(self) -> bool:
        """Active and at or above the customer's warning share of the cap."""
        if not (self.is_active and self.quantity_cap):
            return False
        limit = self.customer.requirements.deviation_cap_warning_percent
        return self.quantity_shipped * 100 >= self.quantity_cap * limit


DEVIATION_EVENT_LABELS = {
    "create": _("Created"),
    "request": _("Sent to the customer"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    "expire": _("Expired"),
    "exhaust": _("Quantity cap reached"),
    "close": _("Closed"),
    "cancel": _("Cancelled"),
    "ship": _("Shipment recorded"),
}


class DeviationEvent(RecordEvent, record_field="deviation", labels=DEVIATION_EVENT_LABELS):
    """One line of the deviation's timeline: who did what, when, from which state to which."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="events")
    # A deviation's actions and states are short names: their columns are narrower.
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)

    class Meta(RecordEvent.Meta):
        verbose_name = _("deviation event")
        verbose_name_plural = _("deviation events")
        indexes = [models.Index(fields=["deviation", "created_at"])]


class DeviationShipment(RecordRow):
    """Parts shipped under a deviation: the evidence that the cap and the expiry were kept."""

    deviation = protected_key(Deviation, related_name="shipments")
    shipped_on = models.DateField(_("shipped on"))
    quantity = models.PositiveIntegerField(_("quantity"))
    lot = models.CharField(_("lot / batch"), max_length=100, blank=True)
    shipping_reference = models.CharField(_("delivery note / shipping reference"), max_length=100)
    note = models.TextField(_("note"), blank=True, max_length=limits.LONG_TEXT)
    recorded_by = user_key()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-shipped_on", "-pk"]
        verbose_name = _("shipment under deviation")
        verbose_name_plural = _("shipments under deviation")
        constraints = [
            models.CheckConstraint(
                name="changes_deviation_shipment_quantity_positive",
                condition=models.Q(quantity__gt=0),
                violation_error_message=_("Ship at least one part."),
            )
        ]

    def __str__(self):
        return f"{self.deviation_id} {self.shipped_on} {self.quantity}"


class DeviationReminderLog(DailyNotice):
    """One warning per deviation and day: a second run of the daily reminder sends nothing."""

    record_field = "deviation"

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()  # without a label, as the table was first made

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deviation", "sent_on"], name="changes_deviation_reminder_once_a_day"
            )
        ]
