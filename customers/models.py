from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    validate_email,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.attachments import KNOWN_TYPES, AttachmentPolicy
from core.calendar import DayBasis
from core.records.fields import customer_key, protected_key
from core.records.models import DetailPage
from core.tenancy import TenantQuerySet, customer_id_of, is_internal
from core.time_zones import TimeZoneField

from . import defaults

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{1,19}$",
    _("Use 2–20 capital letters, digits, dashes or underscores, e.g. “AUTOWERK”."),
)


class CustomerQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_internal(user):
            return self
        customer_id = customer_id_of(user)
        return self.filter(pk=customer_id) if customer_id else self.none()

    def active(self):
        return self.filter(is_active=True)


class Customer(DetailPage, models.Model):
    """A customer company: the tenant. Its users see only its own records."""

    detail_url_name = "customers:customer-detail"

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    supplier_number = models.CharField(
        _("our supplier number"),
        max_length=50,
        blank=True,
        help_text=_("The number this customer knows us by."),
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    time_zone = TimeZoneField(_("time zone"), default="Europe/Berlin")
    is_active = models.BooleanField(_("active"), default=True)
    # Our people who answer for this customer: told first of its new claims.
    responsible_engineers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible engineers"),
        blank=True,
        related_name="responsible_for_customers",
        limit_choices_to={"role__in": sorted(role.value for role in INTERNAL_ROLES)},
        help_text=_("Our staff told first of this customer's new claims."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        locality = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, locality, self.country) if part)


class Contact(models.Model):
    """A person at the customer we deal with (not necessarily a portal user)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=limits.LONG_TEXT)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class PlantQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Our plants are not customer-owned: any signed-in user may see their names.
        return self if user and user.is_authenticated and user.is_active else self.none()


class Plant(DetailPage, models.Model):
    """One of our own production sites."""

    detail_url_name = "customers:plant-detail"

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    time_zone = TimeZoneField(_("time zone"), default="Europe/Berlin")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = PlantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("plant")
        verbose_name_plural = _("plants")

    def __str__(self):
        return f"{self.code} {self.name}"


class PartQuerySet(TenantQuerySet):
    def with_related(self):
        return self.select_related("customer", "plant")

    def search(self, term: str):
        if not term:
            return self
        term = term.strip()
        return self.filter(
            models.Q(part_number__icontains=term)
            | models.Q(customer_part_number__icontains=term)
            | models.Q(description__icontains=term)
            | models.Q(commodity__icontains=term)
        )


class Part(DetailPage, models.Model):
    """A part we deliver to one customer, in one revision."""

    detail_url_name = "customers:part-detail"

    part_number = models.CharField(_("our part number"), max_length=50)
    customer_part_number = models.CharField(_("customer part number"), max_length=50)
    revision = models.CharField(_("revision"), max_length=20, default="A")
    description = models.CharField(_("description"), max_length=200)
    customer = customer_key(verbose_name=_("customer"), related_name="parts")
    plant = protected_key(Plant, verbose_name=_("plant"), related_name="parts")
    commodity = models.CharField(_("commodity"), max_length=100, blank=True)
    safety_relevant = models.BooleanField(
        _("safety-relevant"),
        default=False,
        help_text=_("Carries special characteristics for safety or regulations."),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PartQuerySet.as_manager()

    class Meta:
        ordering = ["part_number", "revision"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(
                fields=["part_number", "revision"], name="customers_part_unique_number_revision"
            ),
            models.UniqueConstraint(
                "customer",
                Lower("customer_part_number"),
                "revision",
                name="customers_part_unique_customer_number_revision",
                violation_error_message=_(
                    "This customer already has a part with this number and revision."
                ),
            ),
            models.CheckConstraint(
                name="customers_part_active_range",
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                violation_error_message=_("“Active to” must not be before “active from”."),
            ),
        ]

    def __str__(self):
        return _("%(number)s rev. %(revision)s – %(description)s") % {
            "number": self.part_number,
            "revision": self.revision,
            "description": self.description,
        }


def validate_email_list(value: str):
    for address in split_addresses(value):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not a valid e-mail address."), params={"address": address}
            ) from None


def split_addresses(value: str) -> list[str]:
    return [a.strip() for a in value.replace(";", ",").replace("\n", ",").split(",") if a.strip()]


def validate_attachment_types(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one file type."))
    unknown = [t for t in value if t not in KNOWN_TYPES]
    if unknown:
        raise ValidationError(_("Unknown file types: %s") % ", ".join(unknown))


# Working hours from notification to acknowledgement before a claim is escalated.
REACTION_HOURS = 4
REACTION_HOURS_SAFETY = 1


def _agreed_number(label, default: int, *, most: int, least: int | None = 1, **options):
    """A whole number agreed with the customer (days, hours, a share), from ``least`` to ``most``;
    ``least=None`` allows zero."""
    lower = [] if least is None else [MinValueValidator(least)]
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[*lower, MaxValueValidator(most)], **options
    )


def _deadline_fields(step: str, label: str):
    days, basis = defaults.EIGHT_D_DEADLINES[step]
    return (
        _agreed_number(format_lazy(_("{} due after (days)"), label), days, most=365),
        models.CharField(
            format_lazy(_("{} day basis"), label),
            max_length=10,
            choices=DayBasis.choices,
            default=basis,
        ),
    )


class CustomerRequirements(models.Model):
    """Customer-specific requirements (CSR): deadlines, targets and rules agreed with a customer."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="requirements")
    d3_days, d3_basis = _deadline_fields("d3", "D3")
    d4_days, d4_basis = _deadline_fields("d4", "D4")
    d6_days, d6_basis = _deadline_fields("d6", "D5–D6")
    d7_days, d7_basis = _deadline_fields("d7", "D7")
    d8_days, d8_basis = _deadline_fields("d8", "D8")
    ppm_target_0km = models.DecimalField(
        _("ppm target 0km"),
        max_digits=12,
        decimal_places=2,
        default=defaults.PPM_TARGET_0KM,
        validators=[MinValueValidator(0)],
    )
    ppm_target_field = models.DecimalField(
        _("ppm target field"),
        max_digits=12,
        decimal_places=2,
        default=defaults.PPM_TARGET_FIELD,
        validators=[MinValueValidator(0)],
    )
    default_ppap_level = models.PositiveSmallIntegerField(
        _("default PPAP level"),
        default=defaults.DEFAULT_PPAP_LEVEL,
        choices=[(level, format_lazy(_("Level {}"), level)) for level in range(1, 6)],
    )
    ppap_run_min_quantity = models.PositiveIntegerField(
        _("PPAP significant run: least quantity"),
        default=defaults.PPAP_RUN_MIN_QUANTITY,
        validators=[MinValueValidator(1)],
        help_text=_("Consecutive parts the significant production run must produce at least."),
    )
    ppap_run_max_hours = _agreed_number(
        _("PPAP significant run: most hours"), defaults.PPAP_RUN_MAX_HOURS, most=24
    )
    ppap_interim_reminder_days = _agreed_number(
        _("PPAP interim approval: remind days before expiry"),
        defaults.PPAP_INTERIM_REMINDER_DAYS,
        most=365,
    )
    allowed_attachment_types = models.JSONField(
        _("allowed attachment types"),
        default=defaults.default_allowed_attachment_types,
        validators=[validate_attachment_types],
    )
    max_attachment_mb = _agreed_number(
        _("largest attachment (MB)"), defaults.MAX_ATTACHMENT_MB, most=500
    )
    reaction_hours = _agreed_number(
        _("reaction time (working hours)"),
        REACTION_HOURS,
        most=240,
        help_text=_(
            "A submitted claim not acknowledged within this many working hours is escalated to "
            "the quality managers, a second time after twice as long."
        ),
    )
    reaction_hours_safety = _agreed_number(
        _("reaction time for safety claims (working hours)"),
        REACTION_HOURS_SAFETY,
        most=240,
        help_text=_("The same for claims of safety severity."),
    )
    report_recipients = models.TextField(
        _("report recipients"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("E-mail addresses, one per line or separated by commas."),
        max_length=limits.LIST_TEXT,
    )
    repeat_symptom_percent = _agreed_number(
        _("repeat failure: shared symptom words (%)"),
        defaults.REPEAT_SYMPTOM_PERCENT,
        most=100,
        help_text=_(
            "A claim on the same part produced after an earlier claim's corrective action counts "
            "as a repeat failure when their symptoms share at least this share of their words."
        ),
    )
    similar_symptom_percent = _agreed_number(
        _("similar claims: shared symptom words (%)"),
        defaults.SIMILAR_SYMPTOM_PERCENT,
        most=100,
        help_text=_("Claims on other parts are shown as similar from this share of shared words."),
    )
    similar_lookback_days = _agreed_number(
        _("similar claims: look back (days)"),
        defaults.SIMILAR_LOOKBACK_DAYS,
        most=3650,
        help_text=_("Claims filed more than this many days before a claim are not shown with it."),
    )
    change_decision_reminder_days = _agreed_number(
        _("change notices: remind after (days)"),
        defaults.CHANGE_DECISION_REMINDER_DAYS,
        most=365,
        help_text=_(
            "A change notice waiting this long for the customer's decision is reminded daily."
        ),
    )
    deviation_expiry_warning_days = _agreed_number(
        _("deviations: warn before expiry (days)"),
        defaults.DEVIATION_EXPIRY_WARNING_DAYS,
        most=365,
        least=None,
        help_text=_("An active deviation is flagged this many days before its expiry date."),
    )
    deviation_cap_warning_percent = _agreed_number(
        _("deviations: warn at share of the quantity cap (%)"),
        defaults.DEVIATION_CAP_WARNING_PERCENT,
        most=100,
        help_text=_("An active deviation is flagged once this share of its quantity is shipped."),
    )
    finding_major_containment_hours = _agreed_number(
        _("audit findings: major, containment (hours)"),
        defaults.FINDING_MAJOR_CONTAINMENT_HOURS,
        most=720,
    )
    finding_major_plan_days = _agreed_number(
        _("audit findings: major, corrective action plan (days)"),
        defaults.FINDING_MAJOR_PLAN_DAYS,
        most=365,
    )
    finding_major_implementation_days = _agreed_number(
        _("audit findings: major, implementation (days)"),
        defaults.FINDING_MAJOR_IMPLEMENTATION_DAYS,
        most=365,
    )
    finding_minor_plan_days = _agreed_number(
        _("audit findings: minor, corrective action plan (days)"),
        defaults.FINDING_MINOR_PLAN_DAYS,
        most=365,
    )
    finding_minor_implementation_days = _agreed_number(
        _("audit findings: minor, implementation (days)"),
        defaults.FINDING_MINOR_IMPLEMENTATION_DAYS,
        most=365,
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer-specific requirements")
        verbose_name_plural = _("customer-specific requirements")

    def __str__(self):
        return _("Requirements of %s") % self.customer

    STEPS = ("d3", "d4", "d6", "d7", "d8")

    def deadline(self, step: str) -> tuple[int, str]:
        """(days, basis) for an 8D step: "d3", "d4", "d6" (D5–D6), "d7" or "d8"."""
        if step not in self.STEPS:
            raise ValueError(f"unknown 8D step {step!r}")
        return getattr(self, f"{step}_days"), getattr(self, f"{step}_basis")

    STEP_LABELS = {"d3": "D3", "d4": "D4", "d6": "D5–D6", "d7": "D7", "d8": "D8"}

    @property
    def deadline_rows(self) -> list[tuple[str, str]]:
        """(step label, "7 calendar days") for every 8D deadline, in step order."""
        return [
            (self.STEP_LABELS[step], deadline_text(*self.deadline(step))) for step in self.STEPS
        ]

    @property
    def attachment_policy(self) -> AttachmentPolicy:
        return AttachmentPolicy(
            allowed_types=tuple(self.allowed_attachment_types),
            max_bytes=self.max_attachment_mb * 1024 * 1024,
        )

    @property
    def recipients(self) -> list[str]:
        return split_addresses(self.report_recipients)

    def reaction_hours_for(self, *, safety: bool) -> int:
        """Working hours a claim may wait for acknowledgement before it is escalated."""
        return self.reaction_hours_safety if safety else self.reaction_hours


def deadline_text(days: int, basis: str) -> str:
    if basis == DayBasis.WORKING:
        return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}
    return ngettext("%(days)d calendar day", "%(days)d calendar days", days) % {"days": days}


class Holiday(models.Model):
    """A day the customer does not count as a working day."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "date"],
                name="customers_holiday_unique_day",
                violation_error_message=_("This customer already has a holiday on that day."),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
