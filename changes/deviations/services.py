"""Every write to deviations, concessions and their shipments goes through here (DESIGN §4).

Each service locks the deviation, checks the transition table, saves only the fields it changed,
writes a DeviationEvent for the timeline, and tells the party whose turn it is (``notifications``:
in the portal, and by mail through the outbox after the commit).
A refused request raises before anything is written, so it changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.signatures import sign
from core.tenancy import customer_id_of, is_internal

from ..models import Deviation, DeviationEvent, DeviationShipment
from . import notifications
from .workflow import DEVIATION_WORKFLOW, may_decide, may_work

NUMBER_PREFIX = "DEV"
# What we state about a deviation while it is a draft, besides its parts, in the order forms
# and the API show it; the rest is set by the workflow.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "lots",
    "quantity_cap",
    "expires_on",
    "specification",
    "actual",
    "reason",
    "risk_assessment",
    "identification",
    "customer_authorisation",
    "originating_claim",
    "change_request",
    "owner",
    "internal_note",
)


# --- locking -------------------------------------------------------------------------------------


def _locked(deviation: Deviation, expected_version=None) -> Deviation:
    """Lock the deviation's row; refuse when the caller read an older version of it."""
    related = Deviation.objects.select_related("customer__requirements")
    return records.locked(related, deviation.pk, expected_version)


# Services on one deviation: one transaction, the record locked at the version the caller
# read (``expected_version``).
writes_deviation = records.writes("deviation", _locked)


# --- preparing -----------------------------------------------------------------------------------


@transaction.atomic
def deviation_create(*, actor, customer, parts: Iterable, **fields) -> Deviation:
    """A draft deviation or concession for ``customer`` on ``parts`` (our staff only)."""
    _require_work(actor)
    fields = records.known_fields(fields, EDITABLE_FIELDS)
    fields.setdefault("owner", actor)
    deviation = Deviation(customer=customer, created_by=actor, status=Deviation.Status.DRAFT)
    for name, value in fields.items():
        setattr(deviation, name, value)
    parts = _checked_parts(customer, parts)
    _check_content(deviation)
    deviation.number = next_number(NUMBER_PREFIX)
    records.save_new(deviation, actor, _("Created"))
    deviation.parts.set(parts)
    _event(deviation, actor, "create", to_status=deviation.status)
    return deviation


@writes_deviation
def deviation_update(
    *, deviation: Deviation, actor, parts: Iterable | None = None, **fields
) -> Deviation:
    """Change what we state, while the deviation is still a draft."""
    _require_work(actor)
    if deviation.status != Deviation.Status.DRAFT:
        raise Conflict(_("Only a draft can be edited: the customer decides on what was sent."))
    for name, value in records.known_fields(fields, EDITABLE_FIELDS).items():
        setattr(deviation, name, value)
    checked = _checked_parts(deviation.customer, parts) if parts is not None else None
    _check_content(deviation)
    records.save(deviation, actor, _("Edited"))
    if checked is not None:
        deviation.parts.set(checked)
    return deviation


@writes_deviation
def deviation_request(*, deviation: Deviation, actor) -> Deviation:
    """Send the draft to the customer for authorisation; their users and recipients are told."""
    _require_work(actor)
    if not deviation.parts.exists():
        raise DomainError(_("Name at least one affected part."), field="parts")
    _refuse_past_expiry(deviation, _("The expiry date has passed: set a later one first."))
    deviation.requested_at = timezone.now()
    _transition(deviation, actor, "request", ["requested_at"])
    notifications.decision_needed(deviation, actor)
    return deviation


# --- the customer's decision ---------------------------------------------------------------------


@writes_deviation
def deviation_approve(
    *,
    deviation: Deviation,
    actor,
    password: str,
    authorisation: str = "",
    quantity_cap: int | None = None,
    expires_on: dt.date | None = None,
    comment: str = "",
) -> Deviation:
    """The customer authorises shipping; they may lower the cap or bring the expiry forward.

    Signed with the approver's password. Our managers may record an approval the customer gave
    outside the portal, and must then give the customer's authorisation number.
    """
    _require_decider(deviation, actor)
    DEVIATION_WORKFLOW.check("approve", state=deviation.status, actor=actor)
    authorisation = (authorisation or "").strip() or deviation.customer_authorisation
    if is_internal(actor) and not authorisation:
        raise DomainError(
            _("Give the customer's authorisation number when recording their approval."),
            field="authorisation",
        )
    _narrow_limits(deviation, quantity_cap, expires_on)
    _refuse_past_expiry(deviation, _("The expiry date has passed: it cannot be approved."))
    deviation.customer_authorisation = authorisation
    _decide(deviation, actor, comment)
    meaning = _("Approved deviation %(number)s") % {"number": deviation.number}
    if is_internal(actor):
        meaning = _("Recorded the customer's approval of %(number)s (authorisation %(auth)s)") % {
            "number": deviation.number,
            "auth": authorisation,
        }
    _transition(
        deviation,
        actor,
        "approve",
        ["customer_authorisation", "quantity_cap", "expires_on", *_DECISION_FIELDS],
        comment=deviation.decision_comment,
    )
    sign(owner=deviation, actor=actor, password=password, meaning=meaning, comment=comment)
    notifications.decided(deviation, actor)
    return deviation


@writes_deviation
def deviation_reject(*, deviation: Deviation, actor, password: str, reason: str) -> Deviation:
    """The customer refuses the deviation: the product must meet the specification."""
    _require_decider(deviation, actor)
    DEVIATION_WORKFLOW.check("reject", state=deviation.status, actor=actor)
    reason = records.required(reason, "reason", _("Say why the deviation is rejected."))
    _decide(deviation, actor, reason)
    deviation.closed_at = deviation.decided_at
    _transition(deviation, actor, "reject", [*_DECISION_FIELDS, "closed_at"], comment=reason)
    meaning = _("Rejected deviation %(number)s") % {"number": deviation.number}
    sign(owner=deviation, actor=actor, password=password, meaning=meaning, comment=reason)
    notifications.decided(deviation, actor)
    return deviation


# --- ending it -----------------------------------------------------------------------------------


@writes_deviation
def deviation_close(*, deviation: Deviation, actor, reason: str):
    """Withdrawn early or finished: the original specification applies again."""
    return _end(deviation, actor, "close", reason, _("Say why the deviation is closed."))


@writes_deviation
def deviation_cancel(*, deviation: Deviation, actor, reason: str):
    return _end(deviation, actor, "cancel", reason, _("Say why the deviation is cancelled."))


def _end(deviation: Deviation, actor, action: str, reason: str, why: str):
    """Close or cancel by hand; the reason is required (``why`` asks for it when missing)."""
    _require_work(actor)
    reason = records.required(reason, "reason", why)
    deviation.closed_at = timezone.now()
    return _transition(deviation, actor, action, ["closed_at"], comment=reason)


def deviations_expire(*, today: dt.date | None = None) -> int:
    """Move every active deviation past its expiry date to expired; how many moved (idempotent).

    ``today`` overrides the customer's calendar day (tests, catching up after an outage).
    """
    # A customer's day may run ahead of ours by a day: look at every candidate, decide per row.
    horizon = (today or timezone.localdate()) + dt.timedelta(days=1)
    candidates = (
        Deviation.objects.active().filter(expires_on__lt=horizon).values_list("pk", flat=True)
    )
    return sum(deviation_expire_if_due(pk, today=today) for pk in list(candidates))


@transaction.atomic
def deviation_expire_if_due(pk: int, *, today: dt.date | None = None) -> bool:
    """Expire one active deviation if its expiry date has passed; True when it did."""
    deviation = records.locked(Deviation.objects.select_related("customer"), pk)
    if not (deviation.is_active and deviation.is_past_expiry(today)):
        return False
    deviation.closed_at = timezone.now()
    comment = _("Expiry date %(date)s passed.") % {
        "date": date_format(deviation.expires_on, "SHORT_DATE_FORMAT")
    }
    _transition(deviation, None, "expire", ["closed_at"], comment=comment)
    return True


# --- shipments -----------------------------------------------------------------------------------


def shipment_record(
    *, deviation: Deviation, actor, expected_version=None, **shipment
) -> DeviationShipment:
    """Record parts shipped under an active deviation; the one reaching the cap exhausts it.

    ``shipment``: ``shipped_on``, ``quantity``, ``shipping_reference`` and optionally ``lot`` and
    ``note``. A deviation found past its expiry date is expired on the spot (that is kept) and
    the shipment refused, even before the daily task has run.
    """
    _require_work(actor)
    if deviation_expire_if_due(deviation.pk):
        raise Conflict(
            _("%(number)s expired on %(date)s: nothing may be shipped under it any more.")
            % {
                "number": deviation.number,
                "date": date_format(deviation.expires_on, "SHORT_DATE_FORMAT"),
            }
        )
    return _shipment_record(
        deviation=deviation, actor=actor, expected_version=expected_version, **shipment
    )


@writes_deviation
def _shipment_record(
    *,
    deviation: Deviation,
    actor,
    shipped_on: dt.date,
    quantity: int,
    shipping_reference: str,
    lot: str = "",
    note: str = "",
) -> DeviationShipment:
    if not deviation.is_active:
        raise Conflict(
            _(
                "Shipments can be recorded only under an approved (active) deviation; %(number)s "
                "is “%(status)s”."
            )
            % {"number": deviation.number, "status": deviation.get_status_display()}
        )
    shipping_reference = records.required(
        shipping_reference, "shipping_reference", _("Give the delivery note or shipping reference.")
    )
    lot = _checked_lot(deviation, lot)
    _check_shipment_date(deviation, shipped_on)
    _check_quantity(deviation, quantity)
    shipment = DeviationShipment(
        deviation=deviation,
        customer_id=deviation.customer_id,
        shipped_on=shipped_on,
        quantity=quantity,
        lot=lot,
        shipping_reference=shipping_reference,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    records.save_new(shipment, actor, _("Shipment recorded"))
    deviation.quantity_shipped += quantity
    records.save(deviation, actor, _("Shipment recorded"), ["quantity_shipped"])
    _event(deviation, actor, "ship", comment=_shipment_summary(shipment))
    if deviation.quantity_cap is not None and deviation.quantity_shipped >= deviation.quantity_cap:
        deviation.closed_at = timezone.now()
        _transition(deviation, None, "exhaust", ["closed_at"])
    return shipment


def _shipment_summary(shipment: DeviationShipment) -> str:
    return _("%(quantity)s parts on %(date)s, %(reference)s") % {
        "quantity": shipment.quantity,
        "date": date_format(shipment.shipped_on, "SHORT_DATE_FORMAT"),
        "reference": shipment.shipping_reference,
    }


def _checked_lot(deviation: Deviation, lot: str) -> str:
    lot = (lot or "").strip()
    allowed = deviation.lot_list
    if allowed and lot not in allowed:
        raise DomainError(
            _("Only the lots the deviation names may be shipped under it: %(lots)s.")
            % {"lots": ", ".join(allowed)},
            field="lot",
        )
    return lot


def _check_shipment_date(deviation: Deviation, shipped_on) -> None:
    if not isinstance(shipped_on, dt.date):
        raise DomainError(_("Give the shipping date."), field="shipped_on")
    if deviation.expires_on is not None and shipped_on > deviation.expires_on:
        raise DomainError(
            _("The deviation is valid until %(date)s: a shipment after that is not covered.")
            % {"date": date_format(deviation.expires_on, "SHORT_DATE_FORMAT")},
            field="shipped_on",
        )
    if shipped_on > deviation.today():
        raise DomainError(_("A shipment cannot be dated in the future."), field="shipped_on")
    approved_on = timezone.localtime(deviation.decided_at, deviation.customer_zone).date()
    if shipped_on < approved_on:
        raise DomainError(
            _("The customer approved on %(date)s: a shipment before that is not covered.")
            % {"date": date_format(approved_on, "SHORT_DATE_FORMAT")},
            field="shipped_on",
        )


def _check_quantity(deviation: Deviation, quantity) -> None:
    if not isinstance(quantity, int) or quantity < 1:
        raise DomainError(_("Ship at least one part."), field="quantity")
    remaining = deviation.remaining_quantity
    if remaining is not None and quantity > remaining:
        raise DomainError(
            _(
                "Only %(remaining)s of the %(cap)s parts are left under the cap; "
                "%(quantity)s would exceed it."
            )
            % {"remaining": remaining, "cap": deviation.quantity_cap, "quantity": quantity},
            field="quantity",
        )


# --- internals -----------------------------------------------------------------------------------

_DECISION_FIELDS = ["decided_at", "decided_by", "decision_comment"]


def _decide(deviation: Deviation, actor, comment: str) -> None:
    deviation.decided_at, deviation.decided_by = timezone.now(), actor
    deviation.decision_comment = (comment or "").strip()


def _narrow_limits(deviation: Deviation, quantity_cap, expires_on) -> None:
    """The approver may only make the deviation narrower: a lower cap, an earlier expiry."""
    if quantity_cap is not None:
        if quantity_cap < 1:
            raise DomainError(_("The quantity cap must be at least 1."), field="quantity_cap")
        if deviation.quantity_cap is not None and quantity_cap > deviation.quantity_cap:
            raise DomainError(
                _("The cap can only be lowered (requested: %(cap)s).")
                % {"cap": deviation.quantity_cap},
                field="quantity_cap",
            )
        deviation.quantity_cap = quantity_cap
    if expires_on is not None:
        if deviation.expires_on is not None and expires_on > deviation.expires_on:
            raise DomainError(
                _("The expiry date can only be brought forward (requested: %(date)s).")
                % {"date": date_format(deviation.expires_on, "SHORT_DATE_FORMAT")},
                field="expires_on",
            )
        deviation.expires_on = expires_on


def _refuse_past_expiry(deviation: Deviation, message: str) -> None:
    if deviation.is_past_expiry():
        raise DomainError(message, field="expires_on")


def _check_content(deviation: Deviation) -> None:
    if deviation.quantity_cap is None and deviation.expires_on is None:
        raise ValidationError({"quantity_cap": _("Give a quantity cap, an expiry date or both.")})
    if deviation.expires_on is not None and deviation.expires_on < deviation.today():
        raise ValidationError({"expires_on": _("The expiry date is in the past.")})
    if deviation.owner_id and not is_internal(deviation.owner):
        raise ValidationError({"owner": _("The owner must be one of our staff.")})
    claim = deviation.originating_claim
    if claim is not None and claim.customer_id != deviation.customer_id:
        raise ValidationError({"originating_claim": _("Choose a claim of the same customer.")})
    change = deviation.change_request
    if change is not None and getattr(change, "customer_id", deviation.customer_id) != (
        deviation.customer_id
    ):
        raise ValidationError({"change_request": _("Choose a change of the same customer.")})
    records.validate(deviation, exclude=["parts"])


def _checked_parts(customer, parts) -> list:
    parts = list(parts or [])
    if not parts:
        raise ValidationError({"parts": _("Name at least one affected part.")})
    if any(part.customer_id != customer.pk for part in parts):
        raise ValidationError({"parts": _("Choose the customer's own parts.")})
    return parts


# Every state change of a deviation: the table's guard, then save, history and timeline event.
# Who may act is the services' own check (may_work, may_decide), not the table's capability.
_transition = partial(
    transition, workflow=DEVIATION_WORKFLOW, events=DeviationEvent, check_actor=False
)
# A line on the deviation's timeline that is no state change (a shipment).
_event = partial(records.record_event, DeviationEvent)


def _require_work(actor) -> None:
    if not may_work(actor):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_decider(deviation: Deviation, actor) -> None:
    if not may_decide(actor):
        raise PermissionDenied(_("Only the customer decides on a deviation."))
    if not is_internal(actor) and customer_id_of(actor) != deviation.customer_id:
        raise PermissionDenied(_("You are not allowed to decide on this deviation."))


# The page and API transitions that take a reason; the decision and shipments have their own.
REASON_SERVICES = {"close": deviation_close, "cancel": deviation_cancel}
TRANSITION_SERVICES = {"request": deviation_request, **REASON_SERVICES}
