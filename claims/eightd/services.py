"""Writes to the rows of an 8D: team, containment, causes, corrective actions, read-across.

A row belongs to one discipline and changes only while that discipline is ours to edit (open,
draft or sent back) in a claim whose 8D is being worked on; the first change turns an open
discipline into a draft. State changes that happen later in the 8D are separate services with
their own gate: lifting a containment (usually in D6) and recording the implementation of an
action (D6) do not reopen the disciplines the rows were written in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import limits
from core import services as core_services
from core.errors import Conflict, DomainError
from core.models import Action
from core.records.services import (
    known_fields,
    note_history,
    record_event,
    require_capability,
    required,
    save,
)

from .. import linking
from .. import services as claim_services
from ..models import (
    Cause,
    Claim,
    ClaimEvent,
    Containment,
    CorrectiveAction,
    CustomerVerdict,
    EightDStep,
    ReadAcross,
    TeamMember,
)
from ..workflow import WORK

EDITABLE_STEP_STATUSES = (
    EightDStep.Status.OPEN,
    EightDStep.Status.DRAFT,
    EightDStep.Status.SENT_BACK,
)
ACTION_STEP = {Action.Kind.CORRECTIVE: "D5", Action.Kind.PREVENTIVE: "D7"}
IMPLEMENTATION_STEP = {Action.Kind.CORRECTIVE: "D6", Action.Kind.PREVENTIVE: "D7"}

# "Operator error" names who, not why: REFERENCE §1 refuses it as a root cause on its own.
_OPERATOR_ERROR = re.compile(
    r"^\s*(operator|human|worker|employee|user|werker|mitarbeiter|bediener)[\s-]*"
    r"(error|mistake|failure|fehler|versagen)\s*\.?\s*$",
    re.IGNORECASE,
)


# --- D1 team ------------------------------------------------------------------------------------


@transaction.atomic
def team_member_save(
    *, claim: Claim, actor, member: TeamMember | None = None, name: str, role: str, **fields
) -> TeamMember:
    claim, step = _editable(claim, actor, "D1")
    member = _own_row(member, claim, TeamMember)
    member.name, member.role = (name or "").strip(), role
    member.function = (fields.get("function") or "").strip()
    member.email = (fields.get("email") or "").strip()
    return _save_row(member, step, actor)


# --- D3 containment -----------------------------------------------------------------------------


@transaction.atomic
def containment_save(
    *,
    claim: Claim,
    actor,
    containment: Containment | None = None,
    location: str,
    not_applicable: bool = False,
    not_applicable_reason: str = "",
    **fields,
) -> Containment:
    """Answer one location: what was done there, or why it does not apply."""
    claim, step = _editable(claim, actor, "D3")
    row = _own_row(containment, claim, Containment)
    duplicate = claim.containments.filter(location=location).exclude(pk=row.pk).exists()
    if duplicate:
        raise DomainError(
            _("This location is already answered; edit that row instead."), field="location"
        )
    row.location = location
    if not_applicable:
        reason = required(
            not_applicable_reason,
            "not_applicable_reason",
            _("Say why containment does not apply here; blank is not allowed."),
        )
        _set_not_applicable(row, reason)
    else:
        _set_containment_fields(row, fields)
    return _save_row(row, step, actor)


def _set_not_applicable(row: Containment, reason: str) -> None:
    row.status, row.not_applicable_reason = Containment.Status.NOT_APPLICABLE, reason
    row.method, row.qty_checked, row.qty_nonconforming = "", None, None
    row.verification = row.certified_marking = ""


CONTAINMENT_FIELDS = (
    "method",
    "qty_checked",
    "qty_nonconforming",
    "verification",
    "certified_marking",
    "responsible",
    "started_on",
)


def _set_containment_fields(row: Containment, fields: dict) -> None:
    known_fields(fields, CONTAINMENT_FIELDS)
    if row.status != Containment.Status.REMOVED:
        row.status = Containment.Status.ACTIVE
    row.not_applicable_reason = ""
    for name in CONTAINMENT_FIELDS:
        value = fields.get(name)
        if isinstance(value, str):
            value = value.strip()
        setattr(row, name, value if value is not None else _empty(row, name))
    if not row.method:
        raise DomainError(_("Choose the containment method."), field="method")


@transaction.atomic
def containment_remove(*, containment: Containment, actor, note: str) -> Containment:
    """Lift a containment once the permanent action works; D6 needs all of them lifted."""
    claim = _claim_for_work(containment.claim, actor)
    row = Containment.objects.select_for_update().get(pk=containment.pk, claim=claim)
    if row.status != Containment.Status.ACTIVE:
        raise Conflict(_("Only an active containment can be removed."))
    row.removal_note = required(note, "note", _("Say why the containment can be removed."))
    row.status, row.removed_at, row.removed_by = Containment.Status.REMOVED, timezone.now(), actor
    save(row, actor, _("Containment removed"))
    record_event(
        ClaimEvent,
        claim,
        actor,
        "containment_remove",
        step_code="D3",
        comment=row.get_location_display(),
    )
    return row


# --- D4 causes ----------------------------------------------------------------------------------


@transaction.atomic
def cause_save(
    *,
    claim: Claim,
    actor,
    cause: Cause | None = None,
    leg: str,
    category: str,
    description: str,
    whys: Iterable[str] = (),
    is_root_cause: bool = False,
) -> Cause:
    claim, step = _editable(claim, actor, "D4")
    row = _own_row(cause, claim, Cause)
    description = required(description, "description", _("Describe the cause."))
    if is_root_cause and _OPERATOR_ERROR.match(description):
        raise DomainError(
            _("“Operator error” alone is not a root cause: ask why the process allowed it."),
            field="description",
        )
    whys = [str(answer).strip() for answer in whys or () if str(answer).strip()]
    if len(whys) > limits.MAX_WHYS:
        raise DomainError(
            _("At most %d answers in the 5-Why chain.") % limits.MAX_WHYS, field="whys"
        )
    if any(len(answer) > limits.WHY_TEXT for answer in whys):
        raise DomainError(
            _("Each answer of the 5-Why chain has at most %d characters.") % limits.WHY_TEXT,
            field="whys",
        )
    if row.status == Cause.Status.VERIFIED and (row.description, row.leg) != (description, leg):
        _reset_verification(row)  # a changed statement is a new claim about the cause
    row.leg, row.category, row.description = leg, category, description
    row.whys, row.is_root_cause = whys, bool(is_root_cause)
    if row.status == Cause.Status.RULED_OUT and row.is_root_cause:
        raise DomainError(_("A ruled-out cause cannot be a root cause."), field="is_root_cause")
    return _save_row(row, step, actor)


@transaction.atomic
def cause_verify(*, cause: Cause, actor, method: str, evidence: str) -> Cause:
    claim, step = _editable(cause.claim, actor, "D4")
    row = Cause.objects.select_for_update().get(pk=cause.pk, claim=claim)
    row.verification_method = required(
        method, "method", _("Name the verification method (e.g. switch the cause on and off).")
    )
    row.verification_evidence = required(
        evidence, "evidence", _("Give the evidence that confirms the cause.")
    )
    row.status, row.verified_at, row.verified_by = Cause.Status.VERIFIED, timezone.now(), actor
    return _save_row(row, step, actor, _("Cause verified"))


@transaction.atomic
def cause_rule_out(*, cause: Cause, actor, evidence: str) -> Cause:
    claim, step = _editable(cause.claim, actor, "D4")
    row = Cause.objects.select_for_update().get(pk=cause.pk, claim=claim)
    if row.actions.exclude(action__status=Action.Status.CANCELLED).exists():
        raise Conflict(_("An action removes this cause; unlink or cancel it first."))
    row.verification_evidence = required(
        evidence, "evidence", _("Give the evidence that rules the cause out.")
    )
    row.status, row.is_root_cause = Cause.Status.RULED_OUT, False
    row.verified_at, row.verified_by = timezone.now(), actor
    return _save_row(row, step, actor, _("Cause ruled out"))


def _reset_verification(row: Cause) -> None:
    row.status, row.verified_at, row.verified_by = Cause.Status.SUSPECTED, None, None
    row.verification_method = row.verification_evidence = ""


# --- D5/D6 corrective and D7 preventive actions -------------------------------------------------


@transaction.atomic
def corrective_action_save(
    *,
    claim: Claim,
    actor,
    link: CorrectiveAction | None = None,
    kind: str = Action.Kind.CORRECTIVE,
    title: str,
    owner,
    due_date: dt.date,
    causes: Iterable[Cause] = (),
    description: str = "",
    verification: str = "",
    internal_only: bool = False,
) -> CorrectiveAction:
    """Choose an action against verified causes; the core Action carries owner, due date, status."""
    if link is not None:
        _refuse_customer_action(link, actor)
        kind = link.action.kind
    if kind not in ACTION_STEP:
        raise DomainError(_("Choose corrective or preventive."), field="kind")
    claim, step = _editable(claim, actor, ACTION_STEP[kind])
    causes = _causes_of(claim, causes, required=kind == Action.Kind.CORRECTIVE)
    fields = {
        "title": title,
        "description": description or "",
        "owner": owner,
        "due_date": due_date,
        "internal_only": bool(internal_only),
    }
    if link is None:
        action = core_services.action_create(record=claim, kind=kind, actor=actor, **fields)
        link = CorrectiveAction(claim=claim, customer_id=claim.customer_id, action=action)
        judged = None
    else:
        link = _own_row(link, claim, CorrectiveAction)
        judged = _judged(corrective_action_stated(link))
        core_services.action_update(action=link.action, actor=actor, **fields)
    link.verification = (verification or "").strip()
    revised = {**fields, "causes": [cause.pk for cause in causes]}
    if judged is not None and judged != _judged({**revised, "verification": link.verification}):
        clear_customer_verdict(link)  # the customer judged another action: they decide again
    _save_row(link, step, actor)
    link.causes.set(causes)
    return link


@transaction.atomic
def corrective_action_implement(
    *, link: CorrectiveAction, actor, implemented_on: dt.date, validation: str
) -> CorrectiveAction:
    """D6: when the action went live and how it was validated (the Action itself must be done)."""
    code = IMPLEMENTATION_STEP.get(link.action.kind)
    if code is None:  # a containment action the customer asked for in D3: done is enough
        raise Conflict(_("Only corrective and preventive actions record an implementation."))
    claim, step = _editable(link.claim, actor, code)
    link = CorrectiveAction.objects.select_for_update().get(pk=link.pk, claim=claim)
    if implemented_on is None:
        raise DomainError(_("Give the implementation date."), field="implemented_on")
    if implemented_on > timezone.localdate():
        raise DomainError(
            _("The implementation date cannot be in the future."), field="implemented_on"
        )
    link.implemented_on = implemented_on
    link.validation = required(validation, "validation", _("Say how it was validated."))
    return _save_row(link, step, actor, _("Implementation recorded"))


# What the customer's verdict on one of our actions judged: a change to any of it asks again.
JUDGED_FIELDS = ("title", "description", "due_date", "causes", "verification")
CUSTOMER_ACTION_IS_THEIRS = gettext_lazy(
    "The customer added this action: work it (start, mark done) or cancel it with a reason; "
    "its wording stays theirs."
)


def _judged(stated: dict) -> dict:
    judged = {name: stated.get(name) for name in JUDGED_FIELDS}
    judged["description"] = (judged["description"] or "").strip()
    judged["title"] = (judged["title"] or "").strip()
    judged["causes"] = sorted(judged["causes"] or ())
    return judged


def _refuse_customer_action(link: CorrectiveAction, actor) -> None:
    require_capability(actor, WORK)
    if link.created_by_customer:
        raise Conflict(CUSTOMER_ACTION_IS_THEIRS)


def clear_customer_verdict(link: CorrectiveAction) -> None:
    """Back to "not decided": the customer judges the revised action again (history keeps it)."""
    link.customer_verdict = CustomerVerdict.PENDING
    link.customer_comment = ""
    link.customer_decided_at = link.customer_decided_by = None


def _causes_of(claim: Claim, causes: Iterable[Cause], *, required: bool) -> list[Cause]:
    wanted = {getattr(cause, "pk", cause) for cause in causes or ()}
    found = list(claim.causes.filter(pk__in=wanted).exclude(status=Cause.Status.RULED_OUT))
    if len(found) != len(wanted):
        raise DomainError(
            _("Link only causes of this claim that are not ruled out."), field="causes"
        )
    if required and not found:
        raise DomainError(_("Link the action to the causes it removes."), field="causes")
    return found


# --- D7 read-across -----------------------------------------------------------------------------


@transaction.atomic
def read_across_save(
    *,
    claim: Claim,
    actor,
    row: ReadAcross | None = None,
    scope: str,
    subject: str,
    applicable: bool = True,
    measure: str = "",
    completed_on: dt.date | None = None,
) -> ReadAcross:
    claim, step = _editable(claim, actor, "D7")
    row = _own_row(row, claim, ReadAcross)
    row.scope = scope
    row.subject = required(subject, "subject", _("Name the part, line, plant or process."))
    row.applicable, row.measure = bool(applicable), (measure or "").strip()
    row.completed_on = completed_on
    return _save_row(row, step, actor)


# --- deleting rows ------------------------------------------------------------------------------

ROW_STEP = {TeamMember: "D1", Containment: "D3", Cause: "D4", ReadAcross: "D7"}


@transaction.atomic
def row_delete(*, row, actor) -> None:
    """Delete a team member, containment, cause, read-across row or a not yet started action."""
    if isinstance(row, CorrectiveAction):
        _delete_action(row, actor)
        return
    code = ROW_STEP[type(row)]
    claim, step = _editable(row.claim, actor, code)
    row = type(row).objects.select_for_update().get(pk=row.pk, claim=claim)
    if isinstance(row, Cause) and row.actions.exists():
        raise Conflict(_("An action is linked to this cause; unlink it first."))
    note_history(row, actor, _("Deleted"))
    row.delete()
    _touch(step, actor)


def _delete_action(link: CorrectiveAction, actor) -> None:
    _refuse_customer_action(link, actor)
    claim, step = _editable(link.claim, actor, ACTION_STEP[link.action.kind])
    link = CorrectiveAction.objects.select_related("action").get(pk=link.pk, claim=claim)
    if link.action.status != Action.Status.OPEN:
        raise Conflict(_("This action has been started; cancel it instead of deleting it."))
    action = link.action
    link.delete()
    action.delete()
    _touch(step, actor)


# --- what a row states: its save service's inputs as the row has them (a change starts there) ---


TEAM_MEMBER_FIELDS = ("name", "role", "function", "email")
# What an 8D action states on its core Action.
ACTION_FIELDS = ("kind", "title", "description", "owner", "due_date", "internal_only")
READ_ACROSS_FIELDS = ("scope", "subject", "applicable", "measure", "completed_on")


def team_member_stated(member: TeamMember) -> dict:
    return {name: getattr(member, name) for name in TEAM_MEMBER_FIELDS}


def containment_stated(row: Containment) -> dict:
    return {
        "location": row.location,
        "not_applicable": row.status == Containment.Status.NOT_APPLICABLE,
        "not_applicable_reason": row.not_applicable_reason,
        **{name: getattr(row, name) for name in CONTAINMENT_FIELDS},
    }


def cause_stated(cause: Cause) -> dict:
    stated = {name: getattr(cause, name) for name in ("leg", "category", "description")}
    return {**stated, "whys": list(cause.whys or []), "is_root_cause": cause.is_root_cause}


def corrective_action_stated(link: CorrectiveAction) -> dict:
    stated = {name: getattr(link.action, name) for name in ACTION_FIELDS}
    causes = [cause.pk for cause in link.causes.all()]
    return {**stated, "causes": causes, "verification": link.verification}


def read_across_stated(row: ReadAcross) -> dict:
    return {name: getattr(row, name) for name in READ_ACROSS_FIELDS}


# --- internals ----------------------------------------------------------------------------------


def _claim_for_work(claim: Claim, actor) -> Claim:
    claim = claim_services.lock_claim(claim)
    require_capability(actor, WORK)
    linking.require_own_8d(claim)
    if claim.status not in claim_services.STEPS_WORKED_WHILE:
        raise Conflict(
            _("The 8D of a claim that is “%s” cannot be changed.") % claim.get_status_display()
        )
    return claim


def lock_editable(claim: Claim, actor, code: str) -> tuple[Claim, EightDStep]:
    """The claim and its step ``code`` locked, for our staff while the step is ours to edit."""
    return _editable(claim, actor, code)


def _editable(claim: Claim, actor, code: str) -> tuple[Claim, EightDStep]:
    """Lock the claim, then its step ``code``; refuse unless the step is ours to edit."""
    claim = _claim_for_work(claim, actor)
    step = claim.steps.select_for_update().filter(code=code).first()
    if step is None:
        raise Conflict(_("This claim has no 8D steps yet."))
    if step.status not in EDITABLE_STEP_STATUSES:
        raise Conflict(
            _("%(code)s is %(status)s; it can be changed again once the customer sends it back.")
            % {"code": code, "status": step.get_status_display().lower()}
        )
    step.claim = claim
    return claim, step


def _own_row(row, claim: Claim, model):
    if row is None:
        return model(claim=claim, customer_id=claim.customer_id)
    if row.claim_id != claim.pk:
        raise DomainError(_("This row belongs to another claim."))
    return model.objects.select_for_update().get(pk=row.pk)


def _save_row(row, step: EightDStep, actor, reason: str | None = None):
    row.full_clean(exclude=["claim", "customer", "action"])
    note_history(row, actor, reason or (_("Edited") if row.pk else _("Added")))
    row.save()
    _touch(step, actor)
    return row


def _touch(step: EightDStep, actor) -> None:
    """The first change to an open discipline makes it a draft (work has started)."""
    if step.status == EightDStep.Status.OPEN:
        step.status = EightDStep.Status.DRAFT
        save(step, actor, _("Draft started"), ["status"])


def _empty(row, name: str):
    return None if name in ("qty_checked", "qty_nonconforming", "started_on") else ""
