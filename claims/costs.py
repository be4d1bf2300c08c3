"""Costs and chargeback of a claim (REFERENCE §1): lines, the sheet's workflow, reads.

Our staff prepare the lines while the sheet is a draft (or disputed) and release it; the
customer then accepts or disputes it. A customer sees nothing of the costs before the release:
selectors return ``None`` for them and pages/API answer with nothing or 404.

Money is ``Decimal`` throughout. A line's amount is kept unrounded; the total is the sum of the
unrounded amounts and is rounded (2 places, half up) only when shown. One currency per claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Attachment
from core.records.services import known_fields, note_history, required, save
from core.records.transitions import transition
from core.tenancy import customer_id_of, is_internal
from core.workflow import Transition, Workflow

from . import notifications
from .models import Claim, ClaimCost, ClaimCostSheet, ClaimEvent
from .services import lock_claim
from .workflow import REVIEW, WORK

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_CURRENCY = "EUR"
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")

COST_WORKFLOW = Workflow(
    {
        "release": Transition({"draft"}, "released", WORK, gettext_lazy("Release to the customer")),
        "accept": Transition({"released"}, "accepted", REVIEW, gettext_lazy("Accept the costs")),
        "dispute": Transition(
            {"released"},
            "disputed",
            REVIEW,
            gettext_lazy("Dispute the costs"),
            needs_comment=True,
        ),
        "reopen": Transition({"disputed"}, "draft", WORK, gettext_lazy("Reopen for revision")),
    }
)
# Lines change only while the customer has not (or no longer) got a sheet to decide on.
EDITABLE_STATUSES = frozenset({"draft", "disputed"})
CUSTOMER_ACTIONS = frozenset({"accept", "dispute"})
# No chargeback on a claim that is not (or not yet) a claim against us.
NO_COSTS_WHILE = frozenset({Claim.Status.DRAFT, Claim.Status.REJECTED, Claim.Status.CANCELLED})
# What a cost line charges and how it is priced; the amount follows from these.
CHARGE_FIELDS = (
    "category",
    "description",
    "quantity",
    "unit",
    "rate",
    "currency",
    "technical_factor_percent",
)
# What a cost line states, in the order the API shows it.
LINE_FIELDS = (*CHARGE_FIELDS, "evidence", "evidence_attachment")


def shown(amount: Decimal) -> Decimal:
    """The amount as people read it: two places, half up. Only for display, never to add up."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(number: Decimal) -> str:
    """A quantity or rate as typed: no trailing zeros, localised (``45.5``, ``0.3333``)."""
    return number_format(Decimal(format(number.normalize(), "f")))


# --- reads ---------------------------------------------------------------------------------------


@dataclass
class CostRow:
    line: ClaimCost

    @property
    def quantity(self) -> str:
        return plain(self.line.quantity)

    @property
    def rate(self) -> str:
        return plain(self.line.rate)

    @property
    def factor(self) -> str | None:
        if self.line.category != ClaimCost.Category.WARRANTY:
            return None
        return plain(self.line.technical_factor_percent)

    @property
    def amount_shown(self) -> Decimal:
        return shown(self.line.amount)


@dataclass
class CostSummary:
    claim: Claim
    sheet: ClaimCostSheet | None
    lines: list[ClaimCost] = field(default_factory=list)

    @property
    def rows(self) -> list[CostRow]:
        return [CostRow(line) for line in self.lines]

    @property
    def status(self) -> str:
        return self.sheet.status if self.sheet else ClaimCostSheet.Status.DRAFT

    @property
    def status_label(self) -> str:
        return str(ClaimCostSheet.Status(self.status).label)

    @property
    def currency(self) -> str | None:
        return self.lines[0].currency if self.lines else None

    @property
    def total(self) -> Decimal:
        """Unrounded sum of the unrounded line amounts."""
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def total_shown(self) -> Decimal:
        return shown(self.total)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def cost_summary(claim: Claim, user) -> CostSummary | None:
    """The claim's costs as ``user`` may see them, or ``None`` when they may see nothing."""
    sheet = (
        ClaimCostSheet.objects.visible_to(user)
        .select_related("released_by", "customer_decided_by")
        .filter(claim=claim)
        .first()
    )
    if sheet is None:
        return CostSummary(claim=claim, sheet=None) if is_internal(user) else None
    lines = list(sheet.lines.select_related("evidence_attachment").order_by("created_at", "pk"))
    return CostSummary(claim=claim, sheet=sheet, lines=lines)


def cost_actions_for(summary: CostSummary, user) -> list[str]:
    """The sheet transitions ``user`` may take now: the buttons on the cost card."""
    actions = COST_WORKFLOW.allowed(summary.status, user)
    if is_internal(user):
        actions = [name for name in actions if name not in CUSTOMER_ACTIONS]
    if not summary.lines:
        actions = [name for name in actions if name != "release"]
    return actions


def may_edit_lines(summary: CostSummary, user) -> bool:
    return summary.editable and is_internal(user) and user.has_capability(WORK)


# --- lines ---------------------------------------------------------------------------------------


@transaction.atomic
def cost_line_add(*, claim: Claim, actor, **fields) -> ClaimCost:
    """Add a line (staff only, while the sheet is a draft or disputed)."""
    claim = lock_claim(claim)
    _require_staff(actor)
    if claim.status in NO_COSTS_WHILE:
        raise Conflict(
            _("Costs cannot be charged on a claim that is “%s”.") % claim.get_status_display()
        )
    sheet = _sheet_for_update(claim, create=True)
    _require_editable(sheet)
    line = ClaimCost(sheet=sheet, claim=claim, customer_id=claim.customer_id, created_by=actor)
    _apply(line, claim, {"currency": DEFAULT_CURRENCY, **known_fields(fields, LINE_FIELDS)})
    note_history(line, actor, _("Cost line added"))
    line.save()
    return line


@transaction.atomic
def cost_line_update(*, line: ClaimCost, actor, **fields) -> ClaimCost:
    claim = lock_claim(line.claim)
    _require_staff(actor)
    sheet = _sheet_for_update(claim)
    _require_editable(sheet)
    line = ClaimCost.objects.select_for_update().get(pk=line.pk, sheet=sheet)
    _apply(line, claim, known_fields(fields, LINE_FIELDS))
    save(line, actor, _("Cost line changed"))
    return line


@transaction.atomic
def cost_line_remove(*, line: ClaimCost, actor) -> None:
    """Remove a line still being prepared; its history keeps what it said."""
    claim = lock_claim(line.claim)
    _require_staff(actor)
    sheet = _sheet_for_update(claim)
    _require_editable(sheet)
    line = ClaimCost.objects.select_for_update().get(pk=line.pk, sheet=sheet)
    note_history(line, actor, _("Cost line removed"))
    line.delete()


# --- the sheet's workflow ------------------------------------------------------------------------


@transaction.atomic
def costs_release(*, claim: Claim, actor) -> ClaimCostSheet:
    """Show the costs to the customer and tell them (in the portal and by mail)."""
    claim, sheet = _sheet_to_move(claim, "release", actor)
    _require_staff(actor)
    if not sheet.lines.exists():
        raise Conflict(_("Add at least one cost line before releasing the costs."))
    sheet.released_at, sheet.released_by = timezone.now(), actor
    sheet.customer_decided_at, sheet.customer_decided_by, sheet.dispute_reason = None, None, ""
    fields = ["released_at", "released_by", *_DECISION_FIELDS]
    _transition(claim, sheet, actor, "release", fields)
    summary = CostSummary(claim=claim, sheet=sheet, lines=list(sheet.lines.all()))
    notifications.costs_released(
        claim,
        total=summary.total_shown,
        currency=summary.currency,
        lines=len(summary.lines),
        actor=actor,
    )
    return sheet


@transaction.atomic
def costs_accept(*, claim: Claim, actor, comment: str = "") -> ClaimCostSheet:
    claim, sheet = _sheet_to_move(claim, "accept", actor)
    _require_customer(claim, actor)
    sheet.customer_decided_at, sheet.customer_decided_by = timezone.now(), actor
    comment = (comment or "").strip()
    _transition(claim, sheet, actor, "accept", _DECISION_FIELDS[:2], comment)
    notifications.costs_decided(claim, actor, disputed=False, text=comment)
    return sheet


@transaction.atomic
def costs_dispute(*, claim: Claim, actor, reason: str) -> ClaimCostSheet:
    claim, sheet = _sheet_to_move(claim, "dispute", actor)
    _require_customer(claim, actor)
    reason = required(reason, "reason", _("Say which costs you dispute and why."))
    sheet.customer_decided_at, sheet.customer_decided_by = timezone.now(), actor
    sheet.dispute_reason = reason
    _transition(claim, sheet, actor, "dispute", _DECISION_FIELDS, reason)
    notifications.costs_decided(claim, actor, disputed=True, text=reason)
    return sheet


@transaction.atomic
def costs_reopen(*, claim: Claim, actor, comment: str = "") -> ClaimCostSheet:
    """After a dispute: back to a draft we revise and release again (the reason stays)."""
    claim, sheet = _sheet_to_move(claim, "reopen", actor)
    _require_staff(actor)
    return _transition(claim, sheet, actor, "reopen", comment=(comment or "").strip())


COST_SERVICES = {
    "release": costs_release,
    "accept": costs_accept,
    "dispute": costs_dispute,
    "reopen": costs_reopen,
}


# --- internals -----------------------------------------------------------------------------------

_DECISION_FIELDS = ["customer_decided_at", "customer_decided_by", "dispute_reason"]
# The sheet has its own table; what happens to it is told on the claim's timeline.
_move_sheet = partial(transition, workflow=COST_WORKFLOW, events=ClaimEvent)


def _transition(claim, sheet, actor, action: str, fields=(), comment: str = ""):
    """The sheet moves; the claim's timeline tells (``costs_release``, …)."""
    event = {"timeline": claim, "event_action": f"costs_{action}"}
    return _move_sheet(sheet, actor, action, fields, comment=comment, **event)


def _sheet_to_move(claim: Claim, action: str, actor) -> tuple[Claim, ClaimCostSheet]:
    """Lock the claim, then its sheet; refuse an action the sheet's state does not allow."""
    claim = lock_claim(claim)
    sheet = _sheet_for_update(claim)
    COST_WORKFLOW.check(action, state=sheet.status, actor=actor)
    return claim, sheet


def _sheet_for_update(claim: Claim, *, create: bool = False) -> ClaimCostSheet:
    """Lock the claim's sheet (the claim is locked already: one lock order for every writer)."""
    sheet = ClaimCostSheet.objects.select_for_update().filter(claim=claim).first()
    if sheet is None:
        if not create:
            raise Conflict(_("This claim has no costs yet."))
        sheet = ClaimCostSheet.objects.create(claim=claim, customer_id=claim.customer_id)
    return sheet


def _require_editable(sheet: ClaimCostSheet) -> None:
    if sheet.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("Cost lines cannot be changed while the costs are “%s”.") % sheet.get_status_display()
        )


def _require_staff(actor) -> None:
    if not (is_internal(actor) and actor.has_capability(WORK)):
        raise PermissionDenied(_("Only our quality staff can prepare and release costs."))


def _require_customer(claim: Claim, actor) -> None:
    """The chargeback is the customer's own decision: never taken on their behalf."""
    if is_internal(actor) or customer_id_of(actor) != claim.customer_id:
        raise PermissionDenied(_("Only the customer can accept or dispute the costs."))
    if not actor.has_capability(REVIEW):
        raise PermissionDenied(_("You are not allowed to do this."))


def _apply(line: ClaimCost, claim: Claim, fields: dict) -> None:
    """Set and check the given fields; the whole line must be valid afterwards."""
    for name in ("quantity", "rate", "technical_factor_percent"):
        if name in fields:
            fields[name] = _decimal(fields[name], name)
    if "currency" in fields:
        fields["currency"] = (fields["currency"] or "").strip().upper()
    for name, value in fields.items():
        setattr(line, name, value)
    line.description = (line.description or "").strip()
    line.evidence = (line.evidence or "").strip()
    _check_line(line, claim)
    line.full_clean(exclude=["sheet", "claim", "customer", "created_by"])


def _check_line(line: ClaimCost, claim: Claim) -> None:
    if line.quantity is None or line.quantity <= 0:
        raise DomainError(_("The quantity must be greater than zero."), field="quantity")
    if line.rate is None or line.rate < 0:
        raise DomainError(_("The rate cannot be negative."), field="rate")
    _check_factor(line)
    if not CURRENCY_CODE.match(line.currency or ""):
        raise DomainError(_("Give the currency as a three-letter ISO code."), field="currency")
    other = line.sheet.lines.exclude(pk=line.pk).exclude(currency=line.currency).first()
    if other is not None:
        raise DomainError(
            _("All costs of a claim are in one currency: this claim is charged in %s.")
            % other.currency,
            field="currency",
        )
    attachment = line.evidence_attachment
    if attachment is not None and not _belongs_to(attachment, claim):
        raise DomainError(_("Choose a file attached to this claim."), field="evidence_attachment")


def _check_factor(line: ClaimCost) -> None:
    factor = line.technical_factor_percent
    if line.category == ClaimCost.Category.WARRANTY:
        if factor is None or not (0 < factor <= HUNDRED):
            raise DomainError(
                _("The technical factor is a percentage above 0 and at most 100."),
                field="technical_factor_percent",
            )
    elif factor is None or factor != HUNDRED:
        raise DomainError(
            _("A technical factor applies to warranty costs only."),
            field="technical_factor_percent",
        )


def _belongs_to(attachment: Attachment, claim: Claim) -> bool:
    return Attachment.objects.for_owner(claim).filter(pk=attachment.pk).exists()


def _decimal(value, name: str) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)  # the digits people typed, not the binary approximation
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field=name) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=name)
    return number
