"""The customer's side of an 8D's actions: what they ask of us, and their verdict on ours.

A customer's user adds an action to D3 (containment), D5 or D6 (corrective) of their own claim; our
staff work it like any other action, and it holds D6 up until it is done or cancelled. On each of
our corrective actions (D5/D6) the customer gives a verdict: accepted, or declined with a comment.
A declined action holds D6 up until we revise it (the customer then decides again) or cancel it.
The guards themselves are in ``claims.eightd.rules``. Every write locks the claim first, leaves an
event on the claim's timeline and tells the other side (mail through the outbox).

Decided here:

* The owner of a customer's action is one of ours: the claim's assigned engineer, else the first
  of the people who act for us on the claim (``notifications.our_people``). A core Action is moved
  only by our staff, so an action owned by the customer's user could never be done.
* Only the customer's own users add actions. A verdict is the customer's decision like a step
  approval, so a quality manager may record it on their behalf (``claims.review``), and it is
  given once the customer can read the actions (D5 or D6 submitted to them).
* A customer's action stays theirs: our staff neither edit nor delete it (they cancel it with a
  reason), it needs no verdict, and D5's verification and D6's implementation record are asked
  only of the actions we chose.
* Changing what the customer judged (title, description, due date, causes, verification) clears
  the verdict, in the D5 editor (``claims.eightd.services``) or with ``customer_action_revise``
  once D5 is no longer ours to edit; cancelling the action answers a decline too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import limits
from core import services as core_services
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Action
from core.records import services as records
from core.templatetags.core_tags import plain_date
from core.tenancy import customer_id_of, is_internal
from notifications.services import Text, notify

from . import notification_kinds as kinds
from . import notifications
from . import services as claim_services
from .eightd import services as eightd
from .models import Claim, ClaimEvent, CorrectiveAction, CustomerVerdict, EightDStep
from .workflow import REVIEW

# The disciplines a customer adds actions to, and the kind of action each takes.
CUSTOMER_STEPS = {
    "D3": Action.Kind.CONTAINMENT,
    "D5": Action.Kind.CORRECTIVE,
    "D6": Action.Kind.CORRECTIVE,
}
# The disciplines whose actions the customer judges: they see them once one is submitted.
JUDGED_STEPS = ("D5", "D6")
VERDICTS = (CustomerVerdict.ACCEPTED, CustomerVerdict.DECLINED)
VERDICT_FIELDS = [
    "customer_verdict",
    "customer_comment",
    "customer_decided_at",
    "customer_decided_by",
]
TITLE_MAX_LENGTH = Action._meta.get_field("title").max_length


# --- the customer adds an action -----------------------------------------------------------------


@transaction.atomic
def customer_action_add(
    *,
    claim: Claim,
    actor,
    step_code: str,
    title: str,
    description: str = "",
    due_date: dt.date | None,
) -> CorrectiveAction:
    """An action the customer asks of us in D3, D5 or D6; one of our staff owns and works it."""
    claim = claim_services.lock_claim(claim)
    _require_customer_user(claim, actor)
    _require_running(claim)
    kind = CUSTOMER_STEPS.get(step_code)
    if kind is None:
        raise DomainError(_("Actions are added to D3, D5 or D6."), field="step_code")
    title = _title(title)
    description = _text(description, "description", limits.LONG_TEXT)
    if due_date is None:
        raise DomainError(_("Give the due date."), field="due_date")
    if due_date < timezone.localdate(timezone=ZoneInfo(claim.customer.time_zone)):
        raise DomainError(_("The due date cannot be in the past."), field="due_date")
    action = core_services.action_request(
        record=claim,
        kind=kind,
        title=title,
        description=description,
        owner=_owner(claim),
        due_date=due_date,
        actor=actor,
    )
    link = CorrectiveAction(
        claim=claim,
        customer_id=claim.customer_id,
        action=action,
        created_by_customer=True,
        # Their own request: accepted by whoever made it, so it never waits for a verdict.
        customer_verdict=CustomerVerdict.ACCEPTED,
        customer_decided_at=timezone.now(),
        customer_decided_by=actor,
    )
    records.save_new(link, actor, _("Added by the customer"))
    _event(claim, actor, "action_customer_add", step_code=step_code, comment=title)
    _tell_us(
        link,
        actor,
        step_code,
        Text(
            gettext_lazy("%(number)s: %(customer)s added an action to %(step)s"),
            number=claim.number,
            customer=claim.customer.name,
            step=EightDStep.Code(step_code).label,
        ),
        Text(
            gettext_lazy("%(title)s\nDue: %(due)s\n\n%(description)s"),
            title=title,
            due=_Day(due_date),
            description=description,
        ),
    )
    return link


# --- the customer's verdict on one of our actions ------------------------------------------------


@transaction.atomic
def customer_action_decide(
    *, link: CorrectiveAction, actor, verdict: str, comment: str = ""
) -> CorrectiveAction:
    """Accept or decline (with a comment) one of our corrective actions; it may change later."""
    claim = claim_services.lock_claim(link.claim)
    _require_customer_side(claim, actor)
    _require_running(claim)
    link = _locked(link, claim)
    _require_judged(link, claim)
    if verdict not in VERDICTS:
        raise DomainError(_("Accept or decline the action."), field="verdict")
    comment = _text(comment, "comment", limits.COMMENT)
    if verdict == CustomerVerdict.DECLINED and not comment:
        raise DomainError(
            _("Say why you decline the action and what you would accept."), field="comment"
        )
    if (link.customer_verdict, link.customer_comment) == (verdict, comment):
        return link  # the same answer again (a second click, a repeated request): nothing new
    link.customer_verdict, link.customer_comment = verdict, comment
    link.customer_decided_at, link.customer_decided_by = timezone.now(), actor
    declined = verdict == CustomerVerdict.DECLINED
    reason = _("Declined by the customer") if declined else _("Accepted by the customer")
    records.save(link, actor, reason, VERDICT_FIELDS)
    event = "action_customer_decline" if declined else "action_customer_accept"
    _event(claim, actor, event, step_code="D5", comment=_quoted(link.action, comment))
    if declined:
        _tell_us(
            link,
            actor,
            "D6",
            Text(
                gettext_lazy("%(number)s: the customer declined the action “%(title)s”"),
                number=claim.number,
                title=link.action.title,
            ),
            Text(gettext_lazy("%(text)s"), text=comment),
        )
    return link


# --- our answer to a declined action -------------------------------------------------------------


@transaction.atomic
def customer_action_revise(
    *,
    link: CorrectiveAction,
    actor,
    title: str,
    description: str = "",
    due_date: dt.date | None,
    note: str,
) -> CorrectiveAction:
    """Revise an action the customer declined; the customer decides on it again.

    Allowed while D6, which the decline holds up, is ours to edit: the revision also answers a
    decline that came after D5 was submitted or approved.
    """
    claim, _step = eightd.lock_editable(link.claim, actor, "D6")
    link = _locked(link, claim)
    if link.customer_verdict != CustomerVerdict.DECLINED:
        raise Conflict(
            _("Only an action the customer declined is revised here; change the others in D5.")
        )
    note = _text(note, "note", limits.NOTE)
    if not note:
        raise DomainError(_("Say what you changed in answer to the customer."), field="note")
    if due_date is None:
        raise DomainError(_("Give the due date."), field="due_date")
    title = _title(title)
    description = _text(description, "description", limits.LONG_TEXT)
    decided_by = link.customer_decided_by
    core_services.action_update(
        action=link.action, actor=actor, title=title, description=description, due_date=due_date
    )
    eightd.clear_customer_verdict(link)
    records.save(link, actor, _("Revised after the customer declined it"), VERDICT_FIELDS)
    _event(claim, actor, "action_revise", step_code="D6", comment=_quoted(link.action, note))
    users, addresses = notifications.customer_people(claim)
    notify(
        kind=kinds.ACTION_REVISED,
        recipients=[*users, decided_by],
        addresses=addresses,
        record=claim,
        url=_action_path(link, "D6"),
        title=Text(
            gettext_lazy("%(number)s: the action “%(title)s” was revised for your decision"),
            number=claim.number,
            title=title,
        ),
        body=Text(
            gettext_lazy("%(note)s\n\nPlease accept or decline it in the quality portal."),
            note=note,
        ),
        actor=actor,
    )
    return link


# --- who may, and when ---------------------------------------------------------------------------


def may_add(claim: Claim, user) -> bool:
    """Whether ``user`` is shown the form to add an action (the service checks again)."""
    return (
        not is_internal(user)
        and user.has_capability(REVIEW)
        and customer_id_of(user) == claim.customer_id
        and _running(claim)
    )


def may_decide(claim: Claim, user) -> bool:
    """Whether ``user`` is shown the accept and decline buttons on our actions."""
    visible = is_internal(user) or customer_id_of(user) == claim.customer_id
    return visible and user.has_capability(REVIEW) and _running(claim)


def is_judged(link: CorrectiveAction) -> bool:
    """One of our corrective actions the customer can see: it takes a verdict."""
    action = link.action
    return (
        not link.created_by_customer
        and action.kind == Action.Kind.CORRECTIVE
        and not action.internal_only
        and action.status != Action.Status.CANCELLED
    )


def _running(claim: Claim) -> bool:
    return claim.master_id is None and claim.status in claim_services.STEPS_WORKED_WHILE


def _require_customer_user(claim: Claim, actor) -> None:
    if is_internal(actor):
        raise PermissionDenied(
            _("Only the customer's users add actions here; ours are added in the 8D editor.")
        )
    records.require_capability(actor, REVIEW)
    if customer_id_of(actor) != claim.customer_id:
        raise PermissionDenied(_("You are not allowed to change this claim."))


def _require_customer_side(claim: Claim, actor) -> None:
    """The customer's own users, or a quality manager on their behalf."""
    if not is_internal(actor) and customer_id_of(actor) != claim.customer_id:
        raise PermissionDenied(_("You are not allowed to change this claim."))
    records.require_capability(actor, REVIEW)


def _require_running(claim: Claim) -> None:
    if claim.master_id is not None:
        master = Claim.objects.only("number").get(pk=claim.master_id)
        raise Conflict(
            _("This claim follows the 8D of %s: its actions are answered there.") % master.number
        )
    if claim.status not in claim_services.STEPS_WORKED_WHILE:
        raise Conflict(
            _("The 8D of a claim that is “%s” takes no more actions or verdicts.")
            % claim.get_status_display()
        )


def _require_judged(link: CorrectiveAction, claim: Claim) -> None:
    action = link.action
    if link.created_by_customer:
        raise Conflict(_("The customer added this action: it needs no verdict."))
    if action.kind != Action.Kind.CORRECTIVE:
        raise Conflict(_("Only corrective actions (D5/D6) are accepted or declined."))
    if action.internal_only:
        raise Conflict(_("An internal action is not the customer's to judge."))
    if action.status == Action.Status.CANCELLED:
        raise Conflict(_("A cancelled action needs no verdict."))
    shown = [step for step in claim.steps.filter(code__in=JUDGED_STEPS) if step.shown_to_customer]
    if not shown:
        raise Conflict(_("Our actions can be judged once D5 has been submitted to the customer."))


# --- internals -----------------------------------------------------------------------------------


def _locked(link: CorrectiveAction, claim: Claim) -> CorrectiveAction:
    rows = CorrectiveAction.objects.select_for_update(of=("self",)).select_related("action")
    link = rows.filter(pk=link.pk, claim=claim).first()
    if link is None:
        raise DomainError(_("This action belongs to another claim."))
    link.claim = claim
    return link


def _owner(claim: Claim):
    people = notifications.our_people(claim)
    if not people:
        raise Conflict(_("Nobody on our side works on this claim yet; please write a comment."))
    return people[0]


def _title(title: str) -> str:
    title = records.required(title, "title", _("Give the action a title."))
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(
            _("The title has at most %d characters.") % TITLE_MAX_LENGTH, field="title"
        )
    return title


def _text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise DomainError(_("At most %d characters.") % max_length, field=field)
    return value


def _quoted(action: Action, text: str) -> str:
    """The timeline names the action, then what was said about it."""
    quoted = f"“{action.title}”: {text}" if text else f"“{action.title}”"
    return quoted[: limits.COMMENT]


def _event(claim: Claim, actor, action: str, **fields) -> ClaimEvent:
    return records.record_event(ClaimEvent, claim, actor, action, **fields)


def _action_path(link: CorrectiveAction, code: str) -> str:
    return f"{notifications.step_path(link.claim_id, code)}#action-{link.pk}"


def _tell_us(link: CorrectiveAction, actor, code: str, title: Text, body: Text) -> None:
    """The claim's people on our side and the action's owner."""
    claim = link.claim
    notify(
        kind=kinds.CUSTOMER_ACTION,
        recipients=[*notifications.our_people(claim), link.action.owner],
        record=claim,
        url=_action_path(link, code),
        title=title,
        body=body,
        actor=actor,
    )


class _Day:
    """A date written when the text is rendered, in the reader's language (``7 Dec 2026``)."""

    def __init__(self, day: dt.date):
        self.day = day

    def __str__(self) -> str:
        return plain_date(self.day)
