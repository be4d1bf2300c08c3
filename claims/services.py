"""Every write to claims, 8D steps and comments goes through here (DESIGN §4).

Each service locks the claim, checks the transition table, saves only the fields it changed,
writes a ClaimEvent for the timeline, and tells the people concerned through ``notifications``
inside the same transaction (the mails leave through the outbox once it commits).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.services import attachments_add
from core.tenancy import customer_id_of, is_internal

from . import linking, notifications
from .deadlines import step_deadlines
from .eightd.content import clean_content
from .eightd.rules import submit_problems
from .models import Claim, ClaimComment, ClaimEvent, EightDStep
from .workflow import ADVANCE_ON_APPROVAL, CLAIM_WORKFLOW, STEP_WORKFLOW, WORK

# What the filer states about a claim, in the order the form asks for it; everything else is
# derived or set by a transition.
FILED_FIELDS = (
    "kind",
    "severity",
    "customer_reference",
    "detection_location",
    "detection_date",
    "notified_at",
    "symptom",
    "suspect_qty",
    "nonconforming_qty",
    "ppm_qty",
    "lot",
    "batch",
    "serial",
    "date_code",
    "production_date",
    "customer_contact",
)
STEPS_WORKED_WHILE = {"acknowledged", "under_review", *Claim.EIGHT_D_STATUSES}


# --- locking -------------------------------------------------------------------------------------


def lock_claim(claim: Claim, expected_version: int | None = None) -> Claim:
    """Lock the claim's row; refuse when the caller read an older version of it.

    Every writer of a claim or of its parts (steps, 8D rows, costs) locks the claim first.
    """
    return records.locked(Claim.objects.select_related("customer"), claim.pk, expected_version)


def _locked_step(step: EightDStep, expected_version: int | None = None) -> EightDStep:
    """The claim, then the step (its ``claim`` the locked one); the version is the step's."""
    return records.locked_child(step, "claim", lock_claim, expected_version)[1]


# Services on one claim or on one of its steps: one transaction, the record locked at the
# version the caller read (``expected_version``).
writes_claim = records.writes("claim", lock_claim)
writes_step = records.writes("step", _locked_step)


# --- filing --------------------------------------------------------------------------------------


@transaction.atomic
def claim_file(
    *,
    actor,
    customer,
    part,
    uploads: Sequence = (),
    submit: bool = True,
    notify: bool = True,
    **fields,
) -> Claim:
    """File a claim for ``customer`` on ``part``; files are stored all or none.

    A refused file raises ValidationError and rolls everything back, including the number.
    ``notify=False`` leaves telling our team of the submitted claim to the caller (a bulk import
    tells them once per file, ``claims.imports``).
    """
    _require_may_file(actor, customer, part)
    claim = Claim(
        customer=customer,
        part=part,
        part_revision=part.revision,
        created_by=actor,
        status=Claim.Status.DRAFT,
        **_with_charged_quantity(records.known_fields(fields, FILED_FIELDS)),
    )
    if claim.notified_at is None:
        claim.notified_at = timezone.now()
    claim.number = next_number("CL")
    records.validate(claim)
    records.save_new(claim, actor, _("Filed"))
    _event(claim, actor, "file", to_status=claim.status)
    if uploads:
        policy = customer.requirements.attachment_policy
        attachments_add(owner=claim, uploads=list(uploads), actor=actor, policy=policy)
    if submit:
        _transition(claim, actor, "submit")
        if notify:
            notifications.claim_submitted(claim, actor)
    return claim


@writes_claim
def claim_update(*, claim: Claim, actor, part=None, **fields) -> Claim:
    """Change what the filer stated, while the claim is still a draft."""
    _require_filer_side(claim, actor)
    if claim.status != Claim.Status.DRAFT:
        raise _conflict(_("Only a draft claim can be edited."))
    if part is not None and part.pk != claim.part_id:
        _require_may_file(actor, claim.customer, part)
        claim.part, claim.part_revision = part, part.revision
    stated = _with_charged_quantity(records.known_fields(fields, FILED_FIELDS), claim)
    for name, value in stated.items():
        setattr(claim, name, value)
    records.validate(claim)
    records.save(claim, actor, _("Edited"))
    return claim


def _with_charged_quantity(stated: dict, claim: Claim | None = None) -> dict:
    """``stated`` with the quantity charged to ppm: the nonconforming quantity unless given.

    The charged quantity is ours to decide, not the customer's: their form leaves it out. Once
    our staff set it to another number, an edit of the nonconforming quantity leaves it alone.
    """
    if "ppm_qty" in stated:
        return stated
    if claim is None:
        return {**stated, "ppm_qty": stated.get("nonconforming_qty", 0)}
    if claim.ppm_qty != claim.nonconforming_qty:
        return stated
    return {**stated, "ppm_qty": stated.get("nonconforming_qty", claim.nonconforming_qty)}


@writes_claim
def claim_submit(*, claim: Claim, actor) -> Claim:
    _require_filer_side(claim, actor)
    if not is_internal(actor):
        # A customer's draft reaches us only now: the deadlines count from here.
        claim.notified_at = timezone.now()
    _transition(claim, actor, "submit", ["notified_at"])
    notifications.claim_submitted(claim, actor)
    return claim


# --- our side of the lifecycle -------------------------------------------------------------------


@writes_claim
def claim_assign(*, claim: Claim, engineer, actor) -> Claim:
    records.require_capability(actor, WORK)
    if engineer is not None and not is_internal(engineer):
        raise DomainError(
            _("Only an active member of our staff can be assigned."), field="engineer"
        )
    if claim.is_final:
        raise _conflict(_("A closed, rejected or cancelled claim cannot be reassigned."))
    claim.assigned_engineer = engineer
    records.save(claim, actor, _("Assigned"), ["assigned_engineer"])
    _event(claim, actor, "assign", comment=str(engineer or _("nobody")))
    return claim


@writes_claim
def claim_acknowledge(*, claim: Claim, actor) -> Claim:
    """Receipt confirmed: the 8D steps are created and their deadlines start from notified_at."""
    claim.acknowledged_at = timezone.now()
    _transition(claim, actor, "acknowledge", ["acknowledged_at"])
    _create_steps(claim)
    notifications.claim_acknowledged(claim, actor)
    return claim


@writes_claim
def claim_start_review(*, claim: Claim, actor) -> Claim:
    return _transition(claim, actor, "start_review")


@writes_claim
def claim_accept_responsibility(*, claim: Claim, actor) -> Claim:
    claim.responsibility = Claim.Responsibility.ACCEPTED
    _transition(claim, actor, "accept_responsibility", ["responsibility"])
    _advance_past_approved_steps(claim, actor)
    notifications.responsibility_accepted(claim, actor)
    return claim


@writes_claim
def claim_reject_responsibility(*, claim: Claim, actor, reason_code: str, reason: str) -> Claim:
    if reason_code not in Claim.RejectionCode.values:
        raise DomainError(_("Choose why the claim is not ours."), field="reason_code")
    reason = records.required(reason, "reason", _("Explain the rejection and name the evidence."))
    claim.responsibility = Claim.Responsibility.REJECTED
    claim.rejection_code, claim.rejection_reason = reason_code, reason
    claim.defect_source = _SOURCE_OF_REJECTION.get(reason_code, claim.defect_source)
    claim.closed_at = timezone.now()
    fields = ["responsibility", "rejection_code", "rejection_reason", "defect_source", "closed_at"]
    _transition(claim, actor, "reject_responsibility", fields, comment=reason)
    notifications.responsibility_rejected(claim, actor)
    return claim


# A rejection for these reasons already says where the defect came from.
_SOURCE_OF_REJECTION = {
    Claim.RejectionCode.NO_FAULT_FOUND: Claim.DefectSource.NO_FAULT_FOUND,
    Claim.RejectionCode.CUSTOMER_INDUCED: Claim.DefectSource.CUSTOMER_INDUCED,
}


@writes_claim
def claim_classify(*, claim: Claim, actor, defect_source: str) -> Claim:
    """Record where the defect came from; correctable at any time except on a cancelled claim."""
    records.require_capability(actor, WORK)
    if defect_source and defect_source not in Claim.DefectSource.values:
        raise DomainError(_("Choose a defect source from the list."), field="defect_source")
    if claim.status == Claim.Status.CANCELLED:
        raise _conflict(_("A cancelled claim is not classified."))
    claim.defect_source = defect_source or ""
    # Our own classification: recorded in the history, not in the timeline the customer reads.
    records.save(claim, actor, _("Defect source set"), ["defect_source"])
    return claim


@writes_claim
def claim_reopen(*, claim: Claim, actor, reason: str) -> Claim:
    """A repeat or an ineffective action: back to root cause, D4 onwards to be answered again."""
    reason = records.required(reason, "reason", _("Say why the claim is reopened."))
    claim.closed_at = None
    # An earlier provisional acceptance and its evidence no longer hold (the history keeps them).
    claim.provisionally_accepted_at = claim.effectiveness_due_on = None
    claim.effectiveness_evidence, claim.effectiveness_evidence_at = "", None
    provisional = [
        "provisionally_accepted_at",
        "effectiveness_due_on",
        "effectiveness_evidence",
        "effectiveness_evidence_at",
    ]
    _transition(claim, actor, "reopen", ["closed_at", *provisional], comment=reason)
    send_steps_back(claim, actor, ("D4", "D5", "D6", "D7", "D8"), reason)
    return claim


@writes_claim
def claim_cancel(*, claim: Claim, actor, reason: str) -> Claim:
    _require_filer_side(claim, actor)
    reason = records.required(reason, "reason", _("Say why the claim is cancelled."))
    claim.closed_at = timezone.now()
    return _transition(claim, actor, "cancel", ["closed_at"], comment=reason)


# --- the customer's decision on the 8D -----------------------------------------------------------


@writes_claim
def claim_customer_accept(*, claim: Claim, actor, comment: str = "") -> Claim:
    require_customer_side(claim, actor)
    d8 = locked_step(claim, "D8")
    if d8.status not in (EightDStep.Status.SUBMITTED, EightDStep.Status.APPROVED):
        raise _conflict(_("The 8D can be accepted once D8 (closure) has been submitted."))
    claim.closed_at = timezone.now()
    _transition(claim, actor, "customer_accept_8d", ["closed_at"], comment=comment.strip())
    if d8.status == EightDStep.Status.SUBMITTED:
        decide_step(d8, actor, EightDStep.Status.APPROVED, comment.strip())
    notifications.claim_closed(claim, actor, comment.strip())
    return claim


@writes_claim
def claim_customer_reject(*, claim: Claim, actor, reason: str) -> Claim:
    """The customer does not accept the 8D: corrective action and everything after is redone."""
    require_customer_side(claim, actor)
    reason = records.required(reason, "reason", _("Say why the 8D is not accepted."))
    _transition(claim, actor, "customer_reject_8d", comment=reason)
    send_steps_back(claim, actor, ("D5", "D6", "D7", "D8"), reason)
    notifications.eight_d_rejected(claim, actor, text=reason)
    return claim


# --- 8D steps ------------------------------------------------------------------------------------


@writes_step
def step_save(
    *,
    step: EightDStep,
    actor,
    summary: str | None = None,
    internal_note: str | None = None,
    content: dict | None = None,
) -> EightDStep:
    """Save a draft: the summary, our internal note and the discipline's free-form content.

    Whatever is not given stays as it is; ``content`` replaces the discipline's content.
    """
    _check_step(step, "save", actor)
    if summary is not None:
        step.summary = summary.strip()
    if internal_note is not None:
        step.internal_note = internal_note.strip()
    if content is not None:
        step.content = clean_content(step.code, content)
    step.status = STEP_WORKFLOW["save"].target
    records.save(step, actor, _("Draft saved"), ["summary", "internal_note", "content", "status"])
    return step


@writes_step
def step_submit(*, step: EightDStep, actor) -> EightDStep:
    """Submit a discipline to the customer once the guards of REFERENCE §1 hold."""
    claim = _check_step(step, "submit", actor)
    problems = submit_problems(step)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    step.status, step.submitted_at, step.submitted_by = EightDStep.Status.SUBMITTED, now, actor
    records.save(step, actor, _("Submitted"), ["status", "submitted_at", "submitted_by"])
    _event(claim, actor, "step_submit", step_code=step.code)
    if step.code == "D3" and claim.reaction_at is None:
        claim.reaction_at = now
        records.save(claim, actor, _("Containment submitted"), ["reaction_at"])
    notifications.step_submitted(step, actor)
    return step


@writes_step
def step_approve(*, step: EightDStep, actor, comment: str = "") -> EightDStep:
    claim = _check_customer_decision(step, "approve", actor)
    decide_step(step, actor, EightDStep.Status.APPROVED, (comment or "").strip())
    _advance_past_approved_steps(claim, actor)
    notifications.step_decided(step, actor, approved=True, comment=step.decision_comment)
    return step


@writes_step
def step_send_back(*, step: EightDStep, actor, comment: str) -> EightDStep:
    _check_customer_decision(step, "send_back", actor)
    comment = records.required(comment, "comment", _("Say what needs to change."))
    decide_step(step, actor, EightDStep.Status.SENT_BACK, comment)
    notifications.step_decided(step, actor, approved=False, comment=comment)
    return step


# --- comments ------------------------------------------------------------------------------------


@writes_claim
def comment_add(*, claim: Claim, actor, body: str, internal: bool = False) -> ClaimComment:
    _require_visible(claim, actor)
    if internal and not is_internal(actor):
        raise PermissionDenied(_("Only our staff can write internal comments."))
    if not claim.is_open_for_comments:
        raise _conflict(
            _("A claim that is “%s” takes no more comments.") % claim.get_status_display()
        )
    body = records.required(body, "body", _("Write a comment."))
    comment = ClaimComment.objects.create(
        claim=claim, customer_id=claim.customer_id, author=actor, body=body, internal=internal
    )
    if not is_internal(actor):
        notifications.customer_commented(comment, actor)
    return comment


# --- internals -----------------------------------------------------------------------------------


# The table's guard, then save, history and timeline event.
_move = partial(transition, workflow=CLAIM_WORKFLOW, events=ClaimEvent)


def _transition(claim: Claim, actor, action: str, fields: Iterable[str] = (), **options) -> Claim:
    """Every state change of a claim (``_move``). A claim that follows another claim's 8D has
    none of its own; the claims that follow this one move with it (claims.linking)."""
    linking.require_own_8d(claim)
    _move(claim, actor, action, fields, **options)
    linking.follow_master(claim, actor)
    return claim


# A line on the claim's timeline that is no state change (assigned, a step decided, …).
_event = partial(records.record_event, ClaimEvent)


def transition_claim(
    claim: Claim, actor, action: str, fields: Iterable[str] = (), **options
) -> Claim:
    """``_transition`` for the claim services of other modules (claims.provisional): the same
    guard, save, history and event, and whatever every transition of a claim does besides."""
    return _transition(claim, actor, action, fields, **options)


def claim_event(claim: Claim, actor, action: str, **fields) -> ClaimEvent:
    """``_event`` for the claim services of other modules."""
    return _event(claim, actor, action, **fields)


def _advance_past_approved_steps(claim: Claim, actor) -> None:
    """Move the claim on for every discipline already approved (D3 → root cause, …)."""
    approved = set(
        claim.steps.filter(status=EightDStep.Status.APPROVED).values_list("code", flat=True)
    )
    moved = True
    while moved:
        moved = False
        for code, (source, action) in ADVANCE_ON_APPROVAL.items():
            if claim.status == source and code in approved:
                _transition(claim, actor, action, check_actor=False, reason=_("%s approved") % code)
                moved = True


def _create_steps(claim: Claim) -> None:
    deadlines = step_deadlines(claim)
    existing = set(claim.steps.values_list("code", flat=True))
    for code in EightDStep.Code.values:
        if code not in existing:
            EightDStep.objects.create(
                claim=claim,
                customer_id=claim.customer_id,
                code=code,
                due_at=deadlines[code],
            )


def send_steps_back(claim: Claim, actor, codes: Iterable[str], reason: str) -> None:
    for step in claim.steps.select_for_update().filter(code__in=codes):
        if step.status in (EightDStep.Status.SUBMITTED, EightDStep.Status.APPROVED):
            step.status = EightDStep.Status.SENT_BACK
            step.decided_at, step.decided_by, step.decision_comment = timezone.now(), actor, reason
            records.save(step, actor, _("Sent back"), _DECISION_FIELDS)


_DECISION_FIELDS = ["status", "decided_at", "decided_by", "decision_comment"]


def decide_step(step: EightDStep, actor, status: str, comment: str) -> None:
    step.status, step.decided_at, step.decided_by = status, timezone.now(), actor
    step.decision_comment = comment
    records.save(step, actor, str(EightDStep.Status(status).label), _DECISION_FIELDS)
    action = "step_approve" if status == EightDStep.Status.APPROVED else "step_send_back"
    _event(step.claim, actor, action, step_code=step.code, comment=comment)


def _check_step(step: EightDStep, action: str, actor) -> Claim:
    """Refuse ``action`` on the locked ``step`` unless its claim's state and the table allow it."""
    claim = step.claim
    _require_visible(claim, actor)
    linking.require_own_8d(claim)
    if claim.status not in STEPS_WORKED_WHILE:
        raise _conflict(
            _("The 8D steps of a claim that is “%s” cannot be changed.")
            % claim.get_status_display()
        )
    STEP_WORKFLOW.check(action, state=step.status, actor=actor)
    return claim


def _check_customer_decision(step: EightDStep, action: str, actor) -> Claim:
    """``_check_step`` for a decision that is the customer's to take."""
    claim = _check_step(step, action, actor)
    require_customer_side(claim, actor)
    return claim


def locked_step(claim: Claim, code: str) -> EightDStep:
    step = claim.steps.select_for_update().filter(code=code).first()
    if step is None:
        raise _conflict(_("This claim has no 8D steps yet."))
    step.claim = claim
    return step


def _require_may_file(actor, customer, part) -> None:
    records.require_capability(actor, "claims.file")
    if not is_internal(actor) and customer_id_of(actor) != customer.pk:
        raise PermissionDenied(_("You can only file claims for your own company."))
    if part.customer_id != customer.pk:
        raise ValidationError({"part": _("Choose one of the customer's own parts.")})
    if not customer.is_active:
        raise ValidationError({"part": _("Claims cannot be filed for an inactive customer.")})


def _require_filer_side(claim: Claim, actor) -> None:
    """The filing customer's users and our staff."""
    _require_visible(claim, actor)
    if is_internal(actor) and not actor.has_capability(WORK):
        raise PermissionDenied(_("You are not allowed to change this claim."))


def require_customer_side(claim: Claim, actor) -> None:
    """A decision for the customer: their own users, or a manager on their behalf."""
    _require_visible(claim, actor)
    records.require_capability(actor, "claims.review")
    linking.require_own_8d(claim)


def _require_visible(claim: Claim, actor) -> None:
    if not is_internal(actor) and customer_id_of(actor) != claim.customer_id:
        raise PermissionDenied(_("You are not allowed to change this claim."))


def _conflict(message: str) -> Conflict:
    return Conflict(message)


CLAIM_SERVICES = {
    "submit": claim_submit,
    "acknowledge": claim_acknowledge,
    "start_review": claim_start_review,
    "accept_responsibility": claim_accept_responsibility,
    "reject_responsibility": claim_reject_responsibility,
    "customer_accept_8d": claim_customer_accept,
    "customer_reject_8d": claim_customer_reject,
    "reopen": claim_reopen,
    "cancel": claim_cancel,
    "classify": claim_classify,
}
STEP_SERVICES = {
    "save": step_save,
    "submit": step_submit,
    "approve": step_approve,
    "send_back": step_send_back,
}
