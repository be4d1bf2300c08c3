"""Deliveries (the denominator of every ppm figure), the generated management reports and the
rated scorecard: its settings per customer, the certificates it requires and the customer's own
monthly scores."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.records.fields import customer_key, protected_key, user_key
from core.tenancy import TenantQuerySet

from . import rating


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


# --- the rated scorecard (REFERENCE §6) ----------------------------------------------------------


class Band(models.TextChoices):
    GREEN = rating.GREEN, _("Green")
    YELLOW = rating.YELLOW, _("Yellow")
    RED = rating.RED, _("Red")


def _metric_fields(key: str) -> tuple[models.Field, ...]:
    """Rated or not, weight, target and limit of one metric; an empty target or limit takes the
    default of REFERENCE §6 (``rating.METRICS``)."""
    spec = rating.METRICS[key]
    percent = [MaxValueValidator(100)] if spec.is_percent else []
    bound = {
        "max_digits": 12,
        "decimal_places": 2,
        "null": True,
        "blank": True,
        "validators": [MinValueValidator(0), *percent],
    }
    return (
        models.BooleanField(format_lazy(_("{}: rated"), spec.label), default=spec.enabled),
        models.PositiveSmallIntegerField(
            format_lazy(_("{}: weight"), spec.label),
            default=spec.weight,
            validators=[MaxValueValidator(100)],
        ),
        models.DecimalField(format_lazy(_("{}: target"), spec.label), **bound),
        models.DecimalField(format_lazy(_("{}: limit"), spec.label), **bound),
    )


class ScorecardSettings(models.Model):
    """How one customer's scorecard is rated: the metrics, their weights, targets and limits, and
    where the bands begin. A customer without a row is rated with the defaults of REFERENCE §6."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="scorecard_settings",
        verbose_name=_("customer"),
    )
    (
        zero_km_ppm_enabled,
        zero_km_ppm_weight,
        zero_km_ppm_target,
        zero_km_ppm_limit,
    ) = _metric_fields("zero_km_ppm")
    field_ppm_enabled, field_ppm_weight, field_ppm_target, field_ppm_limit = _metric_fields(
        "field_ppm"
    )
    (
        eight_d_on_time_enabled,
        eight_d_on_time_weight,
        eight_d_on_time_target,
        eight_d_on_time_limit,
    ) = _metric_fields("eight_d_on_time")
    (
        reaction_hours_enabled,
        reaction_hours_weight,
        reaction_hours_target,
        reaction_hours_limit,
    ) = _metric_fields("reaction_hours")
    csat_enabled, csat_weight, csat_target, csat_limit = _metric_fields("csat")
    (
        ppap_first_time_enabled,
        ppap_first_time_weight,
        ppap_first_time_target,
        ppap_first_time_limit,
    ) = _metric_fields("ppap_first_time")
    (
        delivery_on_time_enabled,
        delivery_on_time_weight,
        delivery_on_time_target,
        delivery_on_time_limit,
    ) = _metric_fields("delivery_on_time")
    green_from = models.DecimalField(
        _("green from"),
        max_digits=4,
        decimal_places=1,
        default=rating.GREEN_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A total from this many points on is green."),
    )
    yellow_from = models.DecimalField(
        _("yellow from"),
        max_digits=4,
        decimal_places=1,
        default=rating.YELLOW_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A total from this many points on is yellow; below it, red."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard settings")
        verbose_name_plural = _("scorecard settings")

    def __str__(self):
        return str(_("Scorecard settings of %s") % self.customer)

    def metric(self, key: str) -> tuple[bool, int, Decimal | None, Decimal | None]:
        """(rated, weight, target, limit) of metric ``key`` as set: None means the default."""
        return tuple(
            getattr(self, f"{key}_{part}") for part in ("enabled", "weight", "target", "limit")
        )

    def target_and_limit(self, key: str, agreed_target: Decimal | None = None):
        """The target and limit metric ``key`` is rated against: what is set, else the default.

        ``agreed_target`` is the target agreed elsewhere for metrics without a fixed default (the
        customer's ppm targets in its requirements).
        """
        spec = rating.METRICS[key]
        _enabled, _weight, target, limit = self.metric(key)
        if target is None:
            target = spec.target if spec.target is not None else agreed_target
        if target is None:
            return None, None
        return target, limit if limit is not None else spec.default_limit(target)

    def clean(self):
        errors: dict[str, list] = {}
        rated = []
        for key, spec in rating.METRICS.items():
            enabled, weight, _target, _limit = self.metric(key)
            if not enabled:
                continue
            rated.append(key)
            if not spec.has_data:
                errors.setdefault(f"{key}_enabled", []).append(
                    format_lazy(
                        _("{} cannot be rated yet: the portal records nothing to compute it from."),
                        spec.label,
                    )
                )
            if not weight:
                errors.setdefault(f"{key}_weight", []).append(
                    _("Give a rated metric a weight of at least 1, or stop rating it.")
                )
            self._check_target_and_limit(key, spec, errors)
        if not rated:
            errors.setdefault("__all__", []).append(_("Rate at least one metric."))
        if (
            self.green_from is not None
            and self.yellow_from is not None
            and self.yellow_from >= self.green_from
        ):
            errors.setdefault("yellow_from", []).append(
                _("Yellow must begin below green (green from %(green)s).")
                % {"green": self.green_from}
            )
        if errors:
            raise ValidationError(errors)

    def _check_target_and_limit(self, key, spec, errors) -> None:
        agreed = self._agreed_target(key)
        target, limit = self.target_and_limit(key, agreed)
        if target is None or limit is None:
            return
        if spec.better == rating.LOWER and limit <= target:
            if getattr(self, f"{key}_limit") is None:
                message = _(
                    "A target of 0 leaves no room below the default limit (twice the target): "
                    "give a limit above 0."
                )
            else:
                message = _("The limit must be above the target: a lower value is better.")
            errors.setdefault(f"{key}_limit", []).append(message)
        if spec.better == rating.HIGHER and limit >= target:
            errors.setdefault(f"{key}_limit", []).append(
                _("The limit must be below the target: a higher value is better.")
            )

    def _agreed_target(self, key: str) -> Decimal | None:
        requirements = getattr(self.customer, "requirements", None) if self.customer_id else None
        if requirements is None:
            return None
        return {
            "zero_km_ppm": requirements.ppm_target_0km,
            "field_ppm": requirements.ppm_target_field,
        }.get(key)


class RequiredCertificate(models.Model):
    """A certificate the customer requires of us (e.g. IATF 16949), with the one we hold.

    No number or no expiry date on record counts as missing; either way, or once expired, the
    scorecard turns red. A requirement that no longer applies is switched off, never deleted.
    """

    customer = customer_key(verbose_name=_("customer"))
    name = models.CharField(
        _("certificate"), max_length=100, help_text=_("E.g. “IATF 16949” or “ISO 14001”.")
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    plant = protected_key(
        "customers.Plant",
        verbose_name=_("plant"),
        null=True,
        blank=True,
        help_text=_("Empty when the certificate covers the company."),
    )
    is_active = models.BooleanField(
        _("required"), default=True, help_text=_("Switch off when the customer no longer asks.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("required certificate")
        verbose_name_plural = _("required certificates")
        constraints = [
            # Two partial constraints: a company-wide one (no plant) must be unique as well.
            models.UniqueConstraint(
                fields=["customer", "name", "plant"],
                condition=models.Q(is_active=True, plant__isnull=False),
                name="metrics_certificate_once_per_plant",
                violation_error_message=_("This certificate is required for this plant already."),
            ),
            models.UniqueConstraint(
                fields=["customer", "name"],
                condition=models.Q(is_active=True, plant__isnull=True),
                name="metrics_certificate_once_company_wide",
                violation_error_message=_("This certificate is required company-wide already."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.plant.code})" if self.plant_id else self.name

    def state(self) -> rating.CertificateState:
        return rating.CertificateState(
            name=self.name,
            number=self.certificate_number,
            valid_until=self.valid_until,
            plant=self.plant.code if self.plant_id else "",
        )


class CustomerRating(models.Model):
    """The score and band a customer gave us for one month in its own supplier rating."""

    customer = customer_key(verbose_name=_("customer"))
    month = models.DateField(_("month"), help_text=_("The first day of the rated month."))
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Points out of 100 as the customer reports them."),
    )
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    recorded_by = user_key(verbose_name=_("recorded by"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "pk"]
        verbose_name = _("customer's own rating")
        verbose_name_plural = _("customer's own ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "month"],
                name="metrics_customerrating_one_per_month",
                violation_error_message=_(
                    "The customer's score of this month is recorded already: change that one."
                ),
            ),
            models.CheckConstraint(
                name="metrics_customerrating_first_of_month", condition=models.Q(month__day=1)
            ),
        ]

    def __str__(self):
        return f"{self.customer} {self.month:%Y-%m}: {self.score}"
