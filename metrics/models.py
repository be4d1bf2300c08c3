"""Deliveries (the denominator of every ppm figure) and the generated management reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tenancy import TenantQuerySet


class Delivery(models.Model):
    """One shipment of one part to one customer, identified by its delivery note number."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        "customers.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    plant = models.ForeignKey(
        "customers.Plant",
        verbose_name=_("shipping plant"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ship_date = models.DateField(_("ship date"))
    quantity = models.PositiveIntegerField(_("quantity"))
    delivery_note = models.CharField(_("delivery note number"), max_length=50, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-ship_date", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                name="metrics_delivery_quantity_positive",
                condition=models.Q(quantity__gt=0),
                violation_error_message=_("The quantity must be at least 1."),
            )
        ]
        indexes = [
            # Every ppm query filters a date range, most by customer, part or plant as well.
            # The quantity rides along so that the sums are answered from the index alone.
            models.Index(
                fields=["customer", "ship_date", "quantity"], name="delivery_customer_date"
            ),
            models.Index(fields=["part", "ship_date", "quantity"], name="delivery_part_date"),
            models.Index(fields=["plant", "ship_date", "quantity"], name="delivery_plant_date"),
            models.Index(fields=["ship_date", "quantity"], name="delivery_date"),
        ]

    def __str__(self):
        return self.delivery_note
