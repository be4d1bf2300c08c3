"""Every write to customers, plants, parts and their requirements goes through here."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.records.services import known_fields

from . import permissions
from .imports import ImportResult, parse_parts_csv
from .models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant

# What the services take about each kind of master data, in the order the forms show it.
CUSTOMER_FIELDS = (
    "name",
    "code",
    "supplier_number",
    "street",
    "postal_code",
    "city",
    "country",
    "time_zone",
    "is_active",
    "responsible_engineers",
)
CONTACT_FIELDS = ("name", "function", "email", "phone", "notes", "is_active")
PLANT_FIELDS = ("code", "name", "city", "country", "time_zone", "is_active")
PART_FIELDS = (
    "part_number",
    "revision",
    "customer",
    "customer_part_number",
    "description",
    "plant",
    "commodity",
    "safety_relevant",
    "active_from",
    "active_to",
)
MODULE_REQUIREMENTS_FIELDS = (
    "ppap_run_min_quantity",
    "ppap_run_max_hours",
    "ppap_interim_reminder_days",
    "change_decision_reminder_days",
    "deviation_expiry_warning_days",
    "deviation_cap_warning_percent",
    "finding_major_containment_hours",
    "finding_major_plan_days",
    "finding_major_implementation_days",
    "finding_minor_plan_days",
    "finding_minor_implementation_days",
)
REQUIREMENTS_FIELDS = (
    *(f"{step}_{suffix}" for step in CustomerRequirements.STEPS for suffix in ("days", "basis")),
    "ppm_target_0km",
    "ppm_target_field",
    "default_ppap_level",
    "allowed_attachment_types",
    "max_attachment_mb",
    "report_recipients",
    "reaction_hours",
    "reaction_hours_safety",
    "repeat_symptom_percent",
    "similar_symptom_percent",
    "similar_lookback_days",
    # PPAP, changes and deviations, audit findings (REFERENCE §2–§4)
    *MODULE_REQUIREMENTS_FIELDS,
)


# --- customers -----------------------------------------------------------------------------------


@transaction.atomic
def customer_create(*, actor=None, **fields) -> Customer:
    """Create a customer together with its requirements, seeded with the reference defaults."""
    permissions.require(actor, permissions.MANAGE)
    fields = known_fields(fields, CUSTOMER_FIELDS)
    engineers = fields.pop("responsible_engineers", None)
    customer = Customer(**fields)
    _validate_and_save(customer, actor)
    _set_responsible_engineers(customer, engineers)
    requirements_ensure(customer=customer, actor=actor)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, actor, **fields) -> Customer:
    fields = known_fields(fields, CUSTOMER_FIELDS)
    engineers = fields.pop("responsible_engineers", None)
    customer = _updated(customer, actor, permissions.MANAGE, CUSTOMER_FIELDS, fields)
    _set_responsible_engineers(customer, engineers)
    return customer


def _set_responsible_engineers(customer: Customer, engineers) -> None:
    """Replace the responsible engineers (``None``: leave them); only our own staff qualify."""
    if engineers is None:
        return
    engineers = list(engineers)
    if any(not getattr(user, "is_internal", False) for user in engineers):
        raise ValidationError(
            {"responsible_engineers": _("Only active members of our staff can be responsible.")}
        )
    customer.responsible_engineers.set(engineers)


@transaction.atomic
def requirements_ensure(*, customer: Customer, actor=None) -> CustomerRequirements:
    """The customer's requirements, created with the defaults if it has none yet (admin site)."""
    requirements = CustomerRequirements.objects.filter(customer=customer).first()
    if requirements is None:
        requirements = CustomerRequirements(customer=customer)
        _validate_and_save(requirements, actor)
    return requirements


@transaction.atomic
def requirements_update(
    *, requirements: CustomerRequirements, actor, **fields
) -> CustomerRequirements:
    return _updated(requirements, actor, permissions.MANAGE, REQUIREMENTS_FIELDS, fields)


# --- contacts and holidays -----------------------------------------------------------------------


@transaction.atomic
def contact_create(*, customer: Customer, actor=None, **fields) -> Contact:
    return _created(Contact, actor, permissions.MANAGE, CONTACT_FIELDS, fields, customer=customer)


@transaction.atomic
def contact_update(*, contact: Contact, actor, **fields) -> Contact:
    return _updated(contact, actor, permissions.MANAGE, CONTACT_FIELDS, fields)


@transaction.atomic
def holiday_add(*, customer: Customer, date: dt.date, name: str, actor) -> Holiday:
    permissions.require(actor, permissions.MANAGE)
    holiday = Holiday(customer=customer, date=date, name=name)
    _validate_and_save(holiday, actor)
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: Holiday, actor) -> None:
    """Holidays are master data without dependants: removing one is allowed and kept in history."""
    permissions.require(actor, permissions.MANAGE)
    holiday._history_user = actor
    holiday.delete()


# --- plants and parts ----------------------------------------------------------------------------


@transaction.atomic
def plant_create(*, actor=None, **fields) -> Plant:
    return _created(Plant, actor, permissions.MANAGE, PLANT_FIELDS, fields)


@transaction.atomic
def plant_update(*, plant: Plant, actor, **fields) -> Plant:
    return _updated(plant, actor, permissions.MANAGE, PLANT_FIELDS, fields)


@transaction.atomic
def part_create(*, actor=None, **fields) -> Part:
    capability = permissions.PARTS_MANAGE
    return _created(Part, actor, capability, PART_FIELDS, fields, check=_refuse_inactive_links)


@transaction.atomic
def part_update(*, part: Part, actor, **fields) -> Part:
    return _updated(
        part, actor, permissions.PARTS_MANAGE, PART_FIELDS, fields, check=_refuse_inactive_links
    )


def parts_import_csv(*, file, actor) -> ImportResult:
    """Validate every row of a parts CSV; create all of them in one transaction, or none.

    The result lists file-level and per-row errors; when there are any, nothing was stored.
    """
    permissions.require(actor, permissions.PARTS_IMPORT)
    result, parts = parse_parts_csv(file)
    if not result.ok:
        return result
    try:
        with transaction.atomic():
            _bulk_create_parts(parts, actor)
    except IntegrityError:
        # Someone stored one of these parts between our check and the insert.
        result.file_errors.append(
            _("Parts were changed while the file was checked. Nothing was imported; try again.")
        )
        return result
    result.created = len(parts)
    return result


def _bulk_create_parts(parts: list[Part], actor) -> None:
    # One history row per part, as a single save() would write, without 2 queries per row.
    bulk_create_with_history(parts, Part, batch_size=500, default_user=actor)


def _refuse_inactive_links(part: Part, previous: Part | None) -> None:
    """New links to an inactive customer or plant are refused; existing ones may stay.

    ``previous``: the part as it was before the change; None for a new part.
    """
    errors = {}
    customer_changed = previous is None or previous.customer_id != part.customer_id
    plant_changed = previous is None or previous.plant_id != part.plant_id
    if customer_changed and part.customer_id and not part.customer.is_active:
        errors["customer"] = _("“%s” is inactive: parts can only be added to active customers.") % (
            part.customer
        )
    if plant_changed and part.plant_id and not part.plant.is_active:
        errors["plant"] = _("Plant “%s” is inactive.") % part.plant
    if errors:
        raise ValidationError(errors)


# --- helpers -------------------------------------------------------------------------------------


def _created(model, actor, capability: str, allowed, fields: dict, check=None, **fixed):
    """A new ``model`` row of ``fields`` (only ``allowed`` names) and ``fixed``, checked and saved;
    ``check(record, None)`` sees it before validation."""
    permissions.require(actor, capability)
    record = model(**fixed, **known_fields(fields, allowed))
    if check is not None:
        check(record, None)
    _validate_and_save(record, actor)
    return record


def _updated(record: models.Model, actor, capability: str, allowed, fields: dict, check=None):
    """``record`` locked and changed by ``fields`` (only ``allowed`` names), checked and saved.

    The row is read again under a lock so concurrent edits do not overwrite each other
    silently; ``check(record, previous)`` sees it changed and as it was, before validation.
    """
    permissions.require(actor, capability)
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    previous = copy.copy(record)
    for name, value in known_fields(fields, allowed).items():
        setattr(record, name, value)
    if check is not None:
        check(record, previous)
    _validate_and_save(record, actor)
    return record


def _validate_and_save(record: models.Model, actor) -> None:
    record.full_clean()
    record._history_user = actor
    record.save()
