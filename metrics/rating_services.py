"""Every write to the rated scorecard: its settings per customer, the certificates a customer
requires of us and the scores the customer gives us in its own supplier rating.

Each write is checked (``full_clean``: the model's own rules, the unique constraints) and leaves
a history entry saying who changed what and why.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.records.services import known_fields, note_history
from customers.models import Customer
from customers.permissions import has

from . import ppm, rating
from .models import CustomerRating, RequiredCertificate, ScorecardSettings

SCORECARD_MANAGE = "scorecard.manage"
METRIC_PARTS = ("enabled", "weight", "target", "limit")
SETTINGS_FIELDS = (
    *(f"{key}_{part}" for key in rating.METRICS for part in METRIC_PARTS),
    "green_from",
    "yellow_from",
)
CERTIFICATE_FIELDS = ("name", "certificate_number", "valid_until", "plant", "is_active")
CUSTOMER_RATING_FIELDS = ("month", "score", "band", "note")


def _require(actor) -> None:
    """No actor is the system (demo, migrations); a person needs ``scorecard.manage``."""
    if actor is not None and not has(actor, SCORECARD_MANAGE):
        raise PermissionDenied(_("You are not allowed to change the scorecard of a customer."))


def _save(record, actor, reason) -> None:
    record.full_clean()
    note_history(record, actor, reason)
    record.save()


# --- settings ------------------------------------------------------------------------------------


@transaction.atomic
def scorecard_settings_update(*, customer: Customer, actor, **fields) -> ScorecardSettings:
    """Change how ``customer`` is rated; its first change stores the defaults with it.

    The customer's row is locked first, so two first changes at once cannot both create one.
    """
    _require(actor)
    fields = known_fields(fields, SETTINGS_FIELDS)
    customers = Customer.objects.select_related("requirements")
    customer = customers.select_for_update(of=("self",)).get(pk=customer.pk)
    settings = ScorecardSettings.objects.filter(customer=customer).first()
    created = settings is None
    if created:
        settings = ScorecardSettings(customer=customer)
    settings.customer = customer
    for name, value in fields.items():
        setattr(settings, name, value)
    reason = _("Scorecard settings created") if created else _("Scorecard settings changed")
    _save(settings, actor, reason)
    return settings


# --- certificates --------------------------------------------------------------------------------


@transaction.atomic
def certificate_create(*, customer: Customer, actor, **fields) -> RequiredCertificate:
    _require(actor)
    certificate = RequiredCertificate(customer=customer, **known_fields(fields, CERTIFICATE_FIELDS))
    _save(certificate, actor, _("Certificate required"))
    return certificate


@transaction.atomic
def certificate_update(*, certificate: RequiredCertificate, actor, **fields) -> RequiredCertificate:
    _require(actor)
    fields = known_fields(fields, CERTIFICATE_FIELDS)
    certificate = RequiredCertificate.objects.select_for_update().get(pk=certificate.pk)
    for name, value in fields.items():
        setattr(certificate, name, value)
    _save(certificate, actor, _("Certificate changed"))
    return certificate


# --- the customer's own scores -------------------------------------------------------------------


def _month(value: dt.date | None) -> dt.date | None:
    """The first day of the month of ``value``; a month that has not begun is refused."""
    if value is None:
        return None
    month = ppm.month_start(value)
    if month > ppm.month_start(timezone.localdate()):
        raise ValidationError({"month": _("Choose a month that has begun.")})
    return month


@transaction.atomic
def customer_rating_create(*, customer: Customer, actor, **fields) -> CustomerRating:
    """Record the score and band ``customer`` gave us for a month (one per month)."""
    _require(actor)
    fields = known_fields(fields, CUSTOMER_RATING_FIELDS)
    fields["month"] = _month(fields.get("month"))
    record = CustomerRating(customer=customer, recorded_by=_person(actor), **fields)
    _save(record, actor, _("Customer's score recorded"))
    return record


@transaction.atomic
def customer_rating_update(*, customer_rating: CustomerRating, actor, **fields) -> CustomerRating:
    _require(actor)
    fields = known_fields(fields, CUSTOMER_RATING_FIELDS)
    if "month" in fields:
        fields["month"] = _month(fields["month"])
    record = CustomerRating.objects.select_for_update().get(pk=customer_rating.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    record.recorded_by = _person(actor) or record.recorded_by
    _save(record, actor, _("Customer's score changed"))
    return record


def _person(actor):
    return actor if getattr(actor, "pk", None) else None
