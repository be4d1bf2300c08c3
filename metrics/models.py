"""Deliveries (the denominator of every ppm figure) and the generated management reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.records.fields import customer_key, protected_key, user_key
from core.tenancy import TenantQuerySet


class Delivery(models.Model):
    """One shipment of one part to one customer, identified by its delivery note number."""

    customer = customer_key(verbose_name=_("customer"))
    part = protected_key("customers.Part", verbose_name=_("part"))
    plant = protected_key("customers.Plant", verbose_name=_("shipping plant"))
    ship_date = models.DateField(_("ship date"))
    quantity = models.PositiveIntegerField(_("quantity"))
    delivery_note = models.CharField(_("delivery note number"), max_length=50, unique=True)
    imported_by = user_key(verbose_name=_("imported by"), null=True, blank=True)
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


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Management reports are internal: staff allowed to read reports see them all."""
        if user is not None and user.is_authenticated and user.has_capability("reports.view"):
            return self
        return self.none()


class Report(models.Model):
    """One generated management report PDF for one period and scope (company or one customer).

    Scheduled runs produce version 1 of a period once; "generate now" adds the next version, so a
    stored report never changes after it was sent.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly management report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    period = models.DateField(_("period"), help_text=_("The first day of the reported month."))
    customer = customer_key(
        verbose_name=_("customer"),
        null=True,
        blank=True,
        help_text=_("Empty for the whole company."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    requested_by = user_key(
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        help_text=_("Empty when the schedule produced it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "customer__name", "-version"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # Two partial constraints: a NULL customer (the company) must be unique as well.
            models.UniqueConstraint(
                fields=["kind", "period", "customer", "version"],
                condition=models.Q(customer__isnull=False),
                name="metrics_report_one_version_per_customer",
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "version"],
                condition=models.Q(customer__isnull=True),
                name="metrics_report_one_version_company",
            ),
            models.CheckConstraint(
                name="metrics_report_progress_percent", condition=models.Q(progress__lte=100)
            ),
        ]

    def __str__(self):
        scope = self.customer.name if self.customer_id else _("Company")
        return f"{self.get_kind_display()} {self.period:%Y-%m} · {scope} · v{self.version}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)


class DeliveryMonth(models.Model):
    """Parts delivered per part and month: the ppm denominator, summed once instead of per read.

    Derived from ``Delivery`` by database triggers (migration 0004), so every write — the import,
    the demo, the volume seed, a restore, a delete in the shell — keeps it exact in the same
    transaction; nothing in Python writes it. At five years of deliveries a company-wide year of
    ppm sums about 24,000 of these rows instead of 400,000 deliveries.
    """

    # No database foreign keys: the triggers write these rows, and the delivery already protects
    # its customer, part and plant.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    part = models.ForeignKey(
        "customers.Part", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    plant = models.ForeignKey(
        "customers.Plant", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    month = models.DateField(_("month"))
    quantity = models.BigIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("parts delivered in a month")
        verbose_name_plural = _("parts delivered per month")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "part", "plant", "month"], name="metrics_deliverymonth_key"
            )
        ]
        indexes = [
            models.Index(fields=["month", "quantity"], name="deliverymonth_month"),
            models.Index(fields=["part", "month", "quantity"], name="deliverymonth_part"),
            models.Index(fields=["plant", "month", "quantity"], name="deliverymonth_plant"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.part_id}: {self.quantity}"
