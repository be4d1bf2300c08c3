"""Chargeback of a claim's costs (REFERENCE §1): lines released to the customer, who decides."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.fields import protected_key, user_key
from core.records.querysets import LimitedForCustomers
from core.tenancy import TenantQuerySet

from .claim import EVENT_LABELS, Claim, ClaimRow

# --- costs / chargeback (REFERENCE §1) -----------------------------------------------------------

EVENT_LABELS.update(
    {
        "costs_release": _("Costs released to the customer"),
        "costs_accept": _("Costs accepted by the customer"),
        "costs_dispute": _("Costs disputed by the customer"),
        "costs_reopen": _("Costs reopened for revision"),
    }
)

# Statuses in which the customer sees the cost sheet; a draft is our work in progress.
COSTS_SHOWN_TO_CUSTOMER = ("released", "accepted", "disputed")


class ClaimCostSheetQuerySet(LimitedForCustomers, TenantQuerySet):
    customers_see = models.Q(status__in=COSTS_SHOWN_TO_CUSTOMER)


class ClaimCostSheet(ClaimRow):
    """The chargeback of one claim: its lines are released to the customer, who decides."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RELEASED = "released", _("Released to the customer")
        ACCEPTED = "accepted", _("Accepted by the customer")
        DISPUTED = "disputed", _("Disputed by the customer")

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="cost_sheet")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = user_key(verbose_name=_("released by"), null=True, blank=True)
    customer_decided_at = models.DateTimeField(_("customer decided at"), null=True, blank=True)
    customer_decided_by = user_key(verbose_name=_("customer decided by"), null=True, blank=True)
    dispute_reason = models.TextField(_("dispute reason"), blank=True, max_length=limits.LONG_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ClaimCostSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost sheet")
        verbose_name_plural = _("cost sheets")

    def __str__(self):
        return _("Costs of %(number)s") % {"number": self.claim.number}

    @property
    def shown_to_customer(self) -> bool:
        return self.status in COSTS_SHOWN_TO_CUSTOMER


class ClaimCostQuerySet(LimitedForCustomers, TenantQuerySet):
    customers_see = models.Q(sheet__status__in=COSTS_SHOWN_TO_CUSTOMER)


class ClaimCost(ClaimRow):
    """One chargeback line: quantity × rate (× technical factor for warranty), in one currency."""

    class Category(models.TextChoices):
        SORTING = "sorting", _("Sorting hours")
        REWORK = "rework", _("Rework")
        SCRAP = "scrap", _("Scrap")
        LINE_STOP = "line_stop", _("Line stop minutes")
        PREMIUM_FREIGHT = "premium_freight", _("Premium freight")
        ADMIN_FEE = "admin_fee", _("Administration fee")
        TRAVEL = "travel", _("Travel")
        WARRANTY = "warranty", _("Warranty")
        OTHER = "other", _("Other")

    class Unit(models.TextChoices):
        HOURS = "h", _("hours")
        PIECES = "pcs", _("pieces")
        MINUTES = "min", _("minutes")
        KILOMETRES = "km", _("kilometres")
        FLAT = "flat", _("flat rate")

    sheet = models.ForeignKey(ClaimCostSheet, on_delete=models.CASCADE, related_name="lines")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices)
    rate = models.DecimalField(_("rate"), max_digits=14, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    technical_factor_percent = models.DecimalField(
        _("technical factor %"), max_digits=5, decimal_places=2, default=100
    )
    evidence = models.CharField(_("evidence reference"), max_length=255, blank=True)
    evidence_attachment = protected_key(
        "core.Attachment", verbose_name=_("evidence file"), null=True, blank=True
    )
    created_by = user_key(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ClaimCostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    def __str__(self):
        return f"{self.claim_id} {self.category}"

    @property
    def amount(self):
        """Unrounded: totals add these up and round only once, when shown."""
        return self.quantity * self.rate * self.technical_factor_percent / 100
