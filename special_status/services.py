"""Every write to special statuses and their exit criteria goes through here (DESIGN §4).

Each service locks the status (then the criterion), checks the transition table, saves only the
fields it changed, writes a SpecialStatusEvent for the timeline and tells whom it concerns
(``notifications``: in the portal, and by mail through the outbox after the commit). A refused
request raises before anything is written, so it changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import partial
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import limits
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Attachment
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.signatures import sign
from core.tenancy import customer_id_of, is_internal

from . import notifications
from .models import ExitCriterion, SpecialStatus, SpecialStatusEvent
from .workflow import STATUS_WORKFLOW, may_decide, may_work

NUMBER_PREFIX = "SS"
# What we state about a status, besides its parts and plants, in the order forms and the API
# show it; the rest is set by the workflow.
EDITABLE_FIELDS = ("kind", "started_on", "customer_reference", "reason", "owner")
COST_FIELDS = ("inspection_hours", "hourly_rate", "currency")
# More exit criteria than this is a list pasted by mistake, not a customer's checklist.
MAX_CRITERIA = 30
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
# The largest amounts the columns hold (10 and 12 digits, two of them decimals).
MAX_HOURS = Decimal("99999999.99")
MAX_RATE = Decimal("9999999999.99")


# --- locking -------------------------------------------------------------------------------------


def _locked(special_status: SpecialStatus, expected_version=None) -> SpecialStatus:
    """Lock the status's row; refuse when the caller read an older version of it."""
    related = SpecialStatus.objects.select_related("customer__requirements", "owner")
    return records.locked(related, special_status.pk, expected_version)


def _locked_criterion(criterion: ExitCriterion, expected_version=None) -> ExitCriterion:
    """Lock the status first, then the criterion: one lock order for every writer."""
    return records.locked_child(criterion, "special_status", _locked, expected_version)[1]


# Services on one status or one of its criteria: one transaction, the record locked at the
# version the caller read (``expected_version``).
writes_status = records.writes("special_status", _locked)
writes_criterion = records.writes("criterion", _locked_criterion)


# --- opening and editing -------------------------------------------------------------------------


@transaction.atomic
def special_status_open(
    *,
    actor,
    customer,
    parts: Iterable = (),
    plants: Iterable = (),
    criteria: Iterable[str] = (),
    **fields,
) -> SpecialStatus:
    """Record that ``customer`` put us on a special status; the quality managers are told.

    ``criteria``: the customer's exit criteria, one text each (more can be added while open).
    """
    _require_work(actor)
    fields = records.known_fields(fields, EDITABLE_FIELDS)
    special_status = SpecialStatus(customer=customer, created_by=actor)
    for name, value in fields.items():
        setattr(special_status, name, value)
    if special_status.owner_id is None:
        special_status.owner = actor
    parts = _checked_parts(customer, parts)
    plants = list(plants or [])
    texts = [_criterion_text(text) for text in criteria or () if (text or "").strip()]
    if len(texts) > MAX_CRITERIA:
        raise ValidationError({"criteria": _too_many_criteria()})
    _check(special_status)
    special_status.number = next_number(NUMBER_PREFIX)
    records.save_new(special_status, actor, _("Opened"))
    special_status.parts.set(parts)
    special_status.plants.set(plants)
    for position, text in enumerate(texts, start=1):
        _new_criterion(special_status, actor, position, text)
    comment = str(special_status.Kind(special_status.kind).label)
    _event(special_status, actor, "open", to_status=special_status.status, comment=comment)
    notifications.opened(special_status, actor)
    return special_status


@writes_status
def special_status_update(
    *,
    special_status: SpecialStatus,
    actor,
    parts: Iterable | None = None,
    plants: Iterable | None = None,
    **fields,
) -> SpecialStatus:
    """Change what we recorded, while the status is open (not while the customer decides)."""
    _require_work(actor)
    _require_open(special_status, _("Only an open special status can be edited."))
    for name, value in records.known_fields(fields, EDITABLE_FIELDS).items():
        setattr(special_status, name, value)
    checked = _checked_parts(special_status.customer, parts) if parts is not None else None
    _check(special_status)
    records.save(special_status, actor, _("Edited"))
    if checked is not None:
        special_status.parts.set(checked)
    if plants is not None:
        special_status.plants.set(list(plants))
    return special_status


@writes_status
def special_status_costs_save(
    *, special_status: SpecialStatus, actor, inspection_hours, hourly_rate, currency: str = ""
) -> SpecialStatus:
    """The hours and rate of a CS2's third-party inspection (cost of poor quality)."""
    _require_work(actor)
    if special_status.is_final:
        raise Conflict(_("A closed special status is read-only."))
    if not special_status.is_cs2:
        raise DomainError(
            _("Inspection costs are recorded for controlled shipping level 2 (CS2) only."),
            field="inspection_hours",
        )
    special_status.inspection_hours = _amount(inspection_hours, "inspection_hours", MAX_HOURS)
    special_status.hourly_rate = _amount(hourly_rate, "hourly_rate", MAX_RATE)
    special_status.currency = _currency(currency or special_status.currency)
    records.save(special_status, actor, _("Inspection costs recorded"), COST_FIELDS)
    comment = _("%(hours)s h × %(rate)s %(currency)s") % {
        "hours": special_status.inspection_hours,
        "rate": special_status.hourly_rate,
        "currency": special_status.currency,
    }
    _event(special_status, actor, "costs", comment=comment)
    return special_status


# --- exit criteria -------------------------------------------------------------------------------


@writes_status
def criterion_add(*, special_status: SpecialStatus, actor, text: str) -> ExitCriterion:
    """Another exit criterion the customer set, at the end of the checklist."""
    _require_work(actor)
    _require_open(special_status, _("Exit criteria are changed while the status is open."))
    text = _criterion_text(text)
    existing = list(special_status.criteria.values_list("position", flat=True))
    if len(existing) >= MAX_CRITERIA:
        raise DomainError(_too_many_criteria(), field="text")
    criterion = _new_criterion(special_status, actor, max(existing, default=0) + 1, text)
    _event(special_status, actor, "criterion_add", comment=_numbered(criterion))
    return criterion


@writes_criterion
def criterion_update(*, criterion: ExitCriterion, actor, text: str) -> ExitCriterion:
    """Reword a criterion that is not met yet."""
    _require_work(actor)
    _require_open(
        criterion.special_status, _("Exit criteria are changed while the status is open.")
    )
    if criterion.met:
        raise Conflict(_("A met criterion cannot be reworded: mark it as not met first."))
    criterion.text = _criterion_text(text)
    records.save(criterion, actor, _("Reworded"), ["text"])
    return criterion


@writes_criterion
def criterion_meet(*, criterion: ExitCriterion, actor, met_on, evidence: str) -> ExitCriterion:
    """Record that the criterion is met, on which day and what shows it; the managers hear of it,
    and of the moment the last one is met."""
    _require_work(actor)
    special_status = criterion.special_status
    _require_open(special_status, _("Criteria are met while the status is open."))
    if criterion.met:
        raise Conflict(_("This criterion is already met."))
    criterion.met_on = _met_on(special_status, met_on)
    criterion.evidence = records.required(
        evidence, "evidence", _("Describe the evidence that shows the criterion is met.")
    )
    criterion.met, criterion.met_by = True, actor
    records.save(criterion, actor, _("Met"), ["met", "met_on", "evidence", "met_by"])
    _event(special_status, actor, "criterion_met", comment=_numbered(criterion))
    met, total = _progress(special_status)
    notifications.criterion_met(
        special_status,
        actor,
        criterion=criterion.text,
        evidence=criterion.evidence[:500],
        met=met,
        total=total,
    )
    if met == total:
        notifications.all_criteria_met(special_status, actor)
    return criterion


@writes_criterion
def criterion_reopen(*, criterion: ExitCriterion, actor, reason: str) -> ExitCriterion:
    """A criterion found not met after all (a reject during the period): it counts again."""
    _require_work(actor)
    _require_open(criterion.special_status, _("Criteria are changed while the status is open."))
    if not criterion.met:
        raise Conflict(_("This criterion is not met."))
    reason = records.required(reason, "reason", _("Say why the criterion is no longer met."))
    criterion.met, criterion.met_on, criterion.met_by = False, None, None
    records.save(criterion, actor, _("No longer met"), ["met", "met_on", "met_by"])
    comment = f"{_numbered(criterion)}: {reason}"
    _event(criterion.special_status, actor, "criterion_reopen", comment=comment)
    return criterion


# --- the exit ------------------------------------------------------------------------------------


@writes_status
def special_status_request_exit(*, special_status: SpecialStatus, actor) -> SpecialStatus:
    """Ask the customer to end the status: every exit criterion must be met."""
    _require_work(actor)
    STATUS_WORKFLOW.check("request_exit", state=special_status.status, actor=actor)
    criteria = list(special_status.criteria.order_by("position"))
    if not criteria:
        raise DomainError(_("Record the customer's exit criteria first."), field="criteria")
    unmet = [str(criterion.position) for criterion in criteria if not criterion.met]
    if unmet:
        raise DomainError(
            _("Not every exit criterion is met yet: no. %(numbers)s.")
            % {"numbers": ", ".join(unmet)},
            field="criteria",
        )
    special_status.exit_requested_at, special_status.exit_requested_by = timezone.now(), actor
    _transition(special_status, actor, "request_exit", ["exit_requested_at", "exit_requested_by"])
    notifications.exit_requested(special_status, actor)
    return special_status


@writes_status
def special_status_sign_exit(
    *,
    special_status: SpecialStatus,
    actor,
    password: str,
    closing_note: str = "",
    confirmation: Attachment | None = None,
) -> SpecialStatus:
    """The customer ends the status, signed with their password.

    A quality manager may record the exit on the customer's behalf: signed with the manager's own
    password, and only with the customer's written confirmation attached to the status
    (``confirmation``, one of its files), which the signature names by file and checksum.
    """
    _require_decider(special_status, actor)
    STATUS_WORKFLOW.check("sign_exit", state=special_status.status, actor=actor)
    closing_note = (closing_note or "").strip()
    _limit(closing_note, "closing_note", limits.LONG_TEXT)
    values = {"number": special_status.number, "kind": special_status.get_kind_display()}
    meaning = _("Exit from %(kind)s %(number)s agreed") % values
    special_status.exit_confirmation = None
    if is_internal(actor):
        confirmation = _checked_confirmation(special_status, confirmation)
        special_status.exit_confirmation = confirmation
        meaning = _(
            "Recorded the customer's exit from %(kind)s %(number)s (written confirmation "
            "%(file)s, SHA-256 %(checksum)s)"
        ) % {**values, "file": confirmation.original_name, "checksum": confirmation.short_sha256}
    special_status.closing_note = closing_note
    special_status.decision_comment = ""
    special_status.decided_at, special_status.decided_by = timezone.now(), actor
    fields = ["closing_note", "exit_confirmation", *_DECISION_FIELDS]
    _transition(special_status, actor, "sign_exit", fields, comment=closing_note)
    sign(
        owner=special_status,
        actor=actor,
        password=password,
        meaning=meaning[:255],
        comment=closing_note,
    )
    notifications.exit_signed(special_status, actor, comment=closing_note)
    return special_status


@writes_status
def special_status_decline_exit(
    *, special_status: SpecialStatus, actor, reason: str
) -> SpecialStatus:
    """The customer keeps the status in force: it is open again, and the reason says why."""
    _require_decider(special_status, actor)
    STATUS_WORKFLOW.check("decline_exit", state=special_status.status, actor=actor)
    reason = records.required(reason, "reason", _("Say why the exit is declined."))
    special_status.decision_comment = reason
    special_status.decided_at, special_status.decided_by = timezone.now(), actor
    _transition(special_status, actor, "decline_exit", _DECISION_FIELDS, comment=reason)
    notifications.exit_declined(special_status, actor)
    return special_status


# --- internals -----------------------------------------------------------------------------------

_DECISION_FIELDS = ["decided_at", "decided_by", "decision_comment"]

# Every state change: the table's guard, then save, history and the timeline's event. Who may
# decide is the services' own check (may_work, may_decide), not the table's capability.
_transition = partial(
    transition, workflow=STATUS_WORKFLOW, events=SpecialStatusEvent, check_actor=False
)
# A line on the timeline that is no state change (opened, a criterion met, costs recorded).
_event = partial(records.record_event, SpecialStatusEvent)


def _new_criterion(special_status, actor, position: int, text: str) -> ExitCriterion:
    criterion = ExitCriterion(
        special_status=special_status,
        customer_id=special_status.customer_id,
        position=position,
        text=text,
    )
    records.save_new(criterion, actor, _("Added"))
    return criterion


def _progress(special_status) -> tuple[int, int]:
    """How many exit criteria are met, of how many."""
    flags = list(special_status.criteria.values_list("met", flat=True))
    return sum(flags), len(flags)


def _numbered(criterion: ExitCriterion) -> str:
    return _("No. %(position)s: %(text)s") % {
        "position": criterion.position,
        "text": criterion.text[:300],
    }


def _too_many_criteria() -> str:
    return _("A special status has at most %(count)s exit criteria.") % {"count": MAX_CRITERIA}


def _criterion_text(text) -> str:
    text = records.required(text, "text", _("Write the exit criterion."))
    _limit(text, "text", limits.NOTE)
    return text


def _limit(text: str, field: str, length: int) -> None:
    if len(text) > length:
        raise DomainError(_("At most %(count)s characters.") % {"count": length}, field=field)


def _today(special_status) -> dt.date:
    """Today in the customer's time zone: the dates are the customer's calendar days."""
    return timezone.localdate(timezone=ZoneInfo(special_status.customer.time_zone))


def _met_on(special_status, met_on) -> dt.date:
    if not isinstance(met_on, dt.date):
        raise DomainError(_("Give the date the criterion was met."), field="met_on")
    if met_on > _today(special_status):
        raise DomainError(_("The date cannot be in the future."), field="met_on")
    if met_on < special_status.started_on:
        raise DomainError(
            _("The status started on %(date)s: a criterion is met after that.")
            % {"date": date_format(special_status.started_on, "SHORT_DATE_FORMAT")},
            field="met_on",
        )
    return met_on


def _amount(value, field: str, largest: Decimal) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter a number."), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("Enter a number that is not negative."), field=field)
    if amount > largest:
        raise DomainError(_("This number is too large."), field=field)
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    currency = (value or "").strip().upper()
    if not CURRENCY_CODE.match(currency):
        raise DomainError(_("Give the currency as a three-letter ISO code."), field="currency")
    return currency


def _check(special_status: SpecialStatus) -> None:
    if special_status.kind not in SpecialStatus.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of special status.")})
    special_status.reason = (special_status.reason or "").strip()
    if not special_status.reason:
        raise ValidationError({"reason": _("Give the customer's reason.")})
    special_status.customer_reference = (special_status.customer_reference or "").strip()
    if not isinstance(special_status.started_on, dt.date):
        raise ValidationError({"started_on": _("Give the date the customer started it.")})
    if special_status.started_on > _today(special_status):
        raise ValidationError({"started_on": _("The start date cannot be in the future.")})
    owner = special_status.owner
    if owner is None or not is_internal(owner):
        raise ValidationError({"owner": _("The responsible person must be one of our staff.")})
    records.validate(special_status, exclude=["parts", "plants", "created_by"])


def _checked_parts(customer, parts) -> list:
    parts = list(parts or [])
    if any(part.customer_id != customer.pk for part in parts):
        raise ValidationError({"parts": _("Choose the customer's own parts.")})
    return parts


def _checked_confirmation(special_status, confirmation) -> Attachment:
    files = Attachment.objects.for_owner(special_status)
    if confirmation is None or not files.filter(pk=confirmation.pk).exists():
        raise DomainError(
            _(
                "Attach the customer's written confirmation (letter or e-mail) to the status "
                "and choose it: only the customer decides on the exit."
            ),
            field="confirmation",
        )
    return confirmation


def _require_open(special_status: SpecialStatus, message: str) -> None:
    if special_status.status != SpecialStatus.Status.OPEN:
        raise Conflict(message)


def _require_work(actor) -> None:
    if not may_work(actor):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_decider(special_status: SpecialStatus, actor) -> None:
    if not may_decide(actor):
        raise PermissionDenied(_("Only the customer decides on the exit."))
    if not is_internal(actor) and customer_id_of(actor) != special_status.customer_id:
        raise PermissionDenied(_("You are not allowed to decide on this special status."))


# The page and API transitions that take nothing but the version; the decision has its own.
TRANSITION_SERVICES = {"request_exit": special_status_request_exit}
DECISION_SERVICES = {
    "sign_exit": special_status_sign_exit,
    "decline_exit": special_status_decline_exit,
}
