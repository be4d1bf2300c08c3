"""Every write to change requests goes through here (DESIGN §4).

Each service locks the change, checks the transition table and the rules of REFERENCE §3, saves
only what it changed, writes a ChangeEvent for the timeline and tells the party whose turn it is
(``notifications``: in the portal, and by mail through the outbox after commit). A refused write
raises DomainError / Conflict / PermissionDenied and, with the transaction, leaves nothing
behind — signatures included.
"""

from __future__ import annotations

import datetime as dt
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
from core.tenancy import is_internal
from ppap.reasons import SubmissionReason

from . import notifications, permissions, ppap_link
from .models import (
    AffectedDocument,
    AffectedPart,
    ChangeApprover,
    ChangeAssessor,
    ChangeEvent,
    ChangeRequest,
    StockDisposition,
)
from .models.change import IMPACT_AREAS
from .workflow import CHANGE_WORKFLOW

Status = ChangeRequest.Status

# What the engineer states about a change, in the order forms and the API show it; everything
# else is set by a transition.
EDIT_FIELDS = (
    "title",
    "change_type",
    "origin",
    "reason",
    "description_before",
    "description_after",
    *(name for key in IMPACT_AREAS for name in (f"impact_{key}", f"impact_{key}_note")),
    "risk_reference",
    "cost_amount",
    "cost_currency",
    "customer_approval_required",
    "customer_approval_basis",
    "ppap_required",
    "ppap_level",
    "psw_reason",
    "tooling_inactive_months",
    "tooling_transfer",
    "validation_plan",
    "effectivity_date",
    "break_point",
    "interchangeability",
    "sw_revision_old",
    "sw_revision_new",
    "hw_revision_old",
    "hw_revision_new",
    "internal_notes",
)
TOOLING_INACTIVE_MONTHS = 12


# --- locking -------------------------------------------------------------------------------------


def _locked(change: ChangeRequest, expected_version: int | None = None) -> ChangeRequest:
    """Lock the change's row; refuse when the caller read an older version of it."""
    return records.locked(
        ChangeRequest.objects.select_related("customer"), change.pk, expected_version
    )


# Services on one change: one transaction, the record locked at the version the caller
# read (``expected_version``).
writes_change = records.writes("change", _locked)


def _locked_named_row(row, actor, status: str, refusal: str, not_yours: str):
    """(change, row): an assessor's or approver's row, locked for its named person while the
    change is in ``status``."""
    change, row = records.locked_child(row, "change", _locked)
    if change.status != status:
        raise Conflict(refusal)
    if actor.pk != row.user_id:
        raise PermissionDenied(not_yours)
    return change, row


# --- the PSW reason a change suggests ------------------------------------------------------------


def suggest_psw_reason(
    change_type: str, *, tooling_inactive_months: int | None = None, tooling_transfer=False
) -> str:
    """The PSW reason for submission a change suggests (REFERENCE §3), or "" for none.

    Tooling unused for 12 months or more outweighs the kind of change: the parts come from
    tooling that has to prove itself again whatever else changes.
    """
    if tooling_inactive_months is not None and tooling_inactive_months >= TOOLING_INACTIVE_MONTHS:
        return SubmissionReason.TOOLING_INACTIVE
    if change_type == ChangeRequest.Type.SITE:
        return (
            SubmissionReason.TOOLING if tooling_transfer else SubmissionReason.ADDITIONAL_LOCATION
        )
    return _REASON_OF_TYPE.get(change_type, "")


_REASON_OF_TYPE = {
    ChangeRequest.Type.SUPPLIER: SubmissionReason.SUB_SUPPLIER,
    ChangeRequest.Type.PRODUCT: SubmissionReason.ENGINEERING_CHANGE,
    ChangeRequest.Type.SOFTWARE: SubmissionReason.ENGINEERING_CHANGE,
    ChangeRequest.Type.PROCESS: SubmissionReason.PROCESSING,
}


# --- raising and editing -------------------------------------------------------------------------


@transaction.atomic
def change_create(*, actor, customer, **fields) -> ChangeRequest:
    """Raise a change request (a draft) for one customer."""
    permissions.require_work(actor)
    if not customer.is_active:
        raise DomainError(_("Changes cannot be raised for an inactive customer."), field="customer")
    change = ChangeRequest(customer=customer, created_by=actor, **_only(fields))
    _fill_ppap_defaults(change)
    change.number = next_number("ECR")
    records.validate(change)
    records.save_new(change, actor, _("Raised"))
    _event(change, actor, "create", to_status=change.status)
    return change


@writes_change
def change_update(*, change: ChangeRequest, actor, **fields) -> ChangeRequest:
    permissions.require_work(actor)
    _require_editable(change)
    for name, value in _only(fields).items():
        setattr(change, name, value)
    _fill_ppap_defaults(change)
    records.validate(change)
    records.save(change, actor, _("Edited"))
    return change


def _fill_ppap_defaults(change: ChangeRequest) -> None:
    """A PPAP takes the customer's default level and the suggested reason unless stated."""
    if not change.ppap_required:
        return
    if change.ppap_level is None:
        change.ppap_level = change.customer.requirements.default_ppap_level
    if not change.psw_reason:
        change.psw_reason = (
            suggest_psw_reason(
                change.change_type,
                tooling_inactive_months=change.tooling_inactive_months,
                tooling_transfer=change.tooling_transfer,
            )
            or SubmissionReason.OTHER
        )


# --- rows: parts, documents, stock, assessors, approvers -----------------------------------------


@writes_change
def affected_part_add(
    *, change: ChangeRequest, actor, part, new_revision: str, current_revision: str = ""
) -> AffectedPart:
    _require_rows_editable(change, actor)
    if part.customer_id != change.customer_id:
        raise DomainError(_("Choose one of the customer's own parts."), field="part")
    if change.parts.filter(part=part).exists():
        raise DomainError(_("This part is already listed."), field="part")
    row = AffectedPart(
        change=change,
        customer_id=change.customer_id,
        part=part,
        current_revision=(current_revision or part.revision).strip(),
        new_revision=records.required(new_revision, "new_revision", _("Give the new revision.")),
    )
    return _row_saved(change, actor, row, _("Part added"))


@writes_change
def affected_document_add(
    *,
    change: ChangeRequest,
    actor,
    kind: str,
    identifier: str,
    current_revision="",
    new_revision="",
) -> AffectedDocument:
    _require_rows_editable(change, actor)
    if kind not in AffectedDocument.Kind.values:
        raise DomainError(_("Choose a kind of document."), field="kind")
    row = AffectedDocument(
        change=change,
        customer_id=change.customer_id,
        kind=kind,
        identifier=records.required(identifier, "identifier", _("Name the document.")),
        current_revision=(current_revision or "").strip(),
        new_revision=(new_revision or "").strip(),
    )
    return _row_saved(change, actor, row, _("Document added"))


@writes_change
def disposition_add(
    *, change: ChangeRequest, actor, location: str, quantity: int, disposition: str, note=""
) -> StockDisposition:
    _require_rows_editable(change, actor)
    if disposition not in StockDisposition.Disposition.values:
        raise DomainError(_("Choose what happens to the old parts."), field="disposition")
    if quantity is None or int(quantity) < 0:
        raise DomainError(_("The quantity cannot be negative."), field="quantity")
    row = StockDisposition(
        change=change,
        customer_id=change.customer_id,
        location=records.required(location, "location", _("Name the location of the stock.")),
        quantity=int(quantity),
        disposition=disposition,
        note=(note or "").strip(),
    )
    return _row_saved(change, actor, row, _("Stock disposition added"))


@writes_change
def assessor_add(*, change: ChangeRequest, actor, function: str, user) -> ChangeAssessor:
    _require_rows_editable(change, actor)
    if change.status not in (Status.DRAFT, Status.SUBMITTED, Status.IMPACT_ASSESSMENT):
        raise Conflict(_("Assessors are named until the review board starts."))
    row = ChangeAssessor(function=function, user=user)
    taken = change.assessors.filter(function=function)
    refusal = DomainError(_("This function already assesses the change."), field="function")
    return _person_named(change, actor, row, taken, refusal, _("Assessor named"))


@writes_change
def approver_add(*, change: ChangeRequest, actor, function: str, user) -> ChangeApprover:
    _require_rows_editable(change, actor)
    row = ChangeApprover(function=function, user=user)
    taken = change.approvers.filter(user=user)
    refusal = DomainError(_("This person is already on the review board."), field="user")
    return _person_named(change, actor, row, taken, refusal, _("Approver named"))


def _person_named(change: ChangeRequest, actor, row, taken, refusal: DomainError, reason: str):
    """Saves an assessor's or approver's ``row``: one of our staff in a known function, refused
    with ``refusal`` when ``taken`` (their place on the change) exists already."""
    _require_staff_member(row.user, "user")
    if row.function not in type(row).Function.values:
        raise DomainError(_("Choose a function."), field="function")
    if taken.exists():
        raise refusal
    row.change, row.customer_id = change, change.customer_id
    return _row_saved(change, actor, row, reason)


# Rows a page may remove while the change is still being prepared.
ROW_MODELS = {
    "parts": AffectedPart,
    "documents": AffectedDocument,
    "dispositions": StockDisposition,
    "assessors": ChangeAssessor,
    "approvers": ChangeApprover,
}


@writes_change
def row_remove(*, change: ChangeRequest, actor, kind: str, row_id: int) -> None:
    """Take back a row entered by mistake, while the change is still prepared.

    Assessments already recorded and board signatures stay: they are evidence.
    """
    _require_rows_editable(change, actor)
    model = ROW_MODELS.get(kind)
    row = model.objects.filter(change=change, pk=row_id).first() if model else None
    if row is None:
        raise DomainError(_("No such row on this change."))
    if getattr(row, "assessed_at", None) or getattr(row, "approved_at", None):
        raise Conflict(_("A recorded assessment or signature cannot be removed."))
    records.note_history(row, actor, _("Removed"))
    row.delete()
    records.save(change, actor, _("Row removed"), ["status"])


def _row_saved(change: ChangeRequest, actor, row, reason: str):
    try:
        row.full_clean(exclude=["change", "customer"])
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    records.save_new(row, actor, reason)
    # The change counts a write too: a page showing the old rows is refused as stale.
    records.save(change, actor, reason, ["status"])
    return row


# --- impact assessment ---------------------------------------------------------------------------


@writes_change
def change_submit(*, change: ChangeRequest, actor):
    permissions.require_work(actor)
    return _transition(change, actor, "submit")


@writes_change
def change_start_assessment(*, change: ChangeRequest, actor) -> ChangeRequest:
    permissions.require_work(actor)
    if not change.assessors.exists():
        raise Conflict(_("Name the functions that assess the change first."))
    if not change.approvers.exists():
        raise Conflict(_("Name the review board's approvers first."))
    _transition(change, actor, "start_assessment")
    notifications.assessment_needed(change, actor)
    return change


@transaction.atomic
def assessment_record(
    *, assessor: ChangeAssessor, actor, assessment: str, internal_note: str = ""
) -> ChangeAssessor:
    """The named assessor records their function's assessment; the last one starts the board."""
    change, assessor = _locked_named_row(
        assessor,
        actor,
        Status.IMPACT_ASSESSMENT,
        _("Assessments are recorded while the change is in impact assessment."),
        _("Only the named assessor records this assessment."),
    )
    assessor.assessment = records.required(assessment, "assessment", _("Write the assessment."))
    assessor.internal_note = (internal_note or "").strip()
    assessor.assessed_at = timezone.now()
    records.note_history(assessor, actor, _("Assessed"))
    assessor.save(update_fields=["assessment", "internal_note", "assessed_at"])
    _event(change, actor, "assess", comment=assessor.get_function_display())
    if not change.assessors.filter(assessed_at__isnull=True).exists():
        _transition(change, None, "to_review_board", check_actor=False)
        notifications.board_signature_needed(change, actor)
    else:
        records.save(change, actor, _("Assessed"), ["status"])
    return assessor


# --- review board --------------------------------------------------------------------------------


@transaction.atomic
def board_approve(
    *, approver: ChangeApprover, actor, password: str, comment: str = ""
) -> ChangeApprover:
    """One board member approves with their electronic signature; the last one moves it on."""
    change, approver = _locked_named_row(
        approver,
        actor,
        Status.REVIEW_BOARD,
        _("The review board decides while the change is at the review board."),
        _("Only the named approver signs this approval."),
    )
    if approver.approved_at:
        raise Conflict(_("You have already approved this change."))
    meaning = _("Approved for the review board as %(function)s") % {
        "function": approver.get_function_display()
    }
    approver.signature = sign(
        owner=change,
        actor=actor,
        password=password,
        meaning=meaning,
        role=approver.get_function_display(),
        comment=(comment or "").strip(),
    )
    approver.approved_at = approver.signature.signed_at
    records.note_history(approver, actor, _("Approved"))
    approver.save(update_fields=["signature", "approved_at"])
    _event(change, actor, "board_approve", comment=meaning)
    if change.approvers.filter(approved_at__isnull=True).exists():
        records.save(change, actor, _("Board approval signed"), ["status"])
    elif change.customer_approval_required:
        change.customer_notified_at = timezone.now()
        _transition(change, None, "to_customer", ["customer_notified_at"], check_actor=False)
        notifications.customer_decision_needed(change, actor)
    else:
        _transition(change, None, "board_complete", check_actor=False)
        notifications.release_needed(change, actor)
    return approver


@writes_change
def board_reject(*, change: ChangeRequest, actor, reason: str) -> ChangeRequest:
    _require_board_member(change, actor)
    change.decision_reason = records.required(
        reason, "reason", _("Say why the change is rejected.")
    )
    change.closed_at = timezone.now()
    return _transition(
        change, actor, "board_reject", ["decision_reason", "closed_at"], comment=reason
    )


@writes_change
def board_defer(
    *, change: ChangeRequest, actor, reason: str, until: dt.date | None = None
) -> ChangeRequest:
    _require_board_member(change, actor)
    change.decision_reason = records.required(
        reason, "reason", _("Say why the change is deferred.")
    )
    if until is None:
        raise DomainError(_("Say until when the change is deferred."), field="until")
    if until < timezone.localdate():
        raise DomainError(_("The change cannot be deferred to a past date."), field="until")
    change.deferred_until = until
    comment = f"{change.decision_reason} ({date_format(until, 'SHORT_DATE_FORMAT')})"
    return _transition(
        change, actor, "board_defer", ["decision_reason", "deferred_until"], comment=comment
    )


@writes_change
def change_resume(*, change: ChangeRequest, actor):
    permissions.require_work(actor)
    change.deferred_until = None
    _transition(change, actor, "resume", ["deferred_until"])
    notifications.board_signature_needed(change, actor)
    return change


# --- the customer's decision ---------------------------------------------------------------------


@writes_change
def customer_approve(
    *, change: ChangeRequest, actor, password: str, comment: str = ""
) -> ChangeRequest:
    """The customer approves the change notice with their electronic signature."""
    permissions.require_review(actor, change)
    CHANGE_WORKFLOW.check("customer_approve", state=change.status, actor=actor)
    comment = (comment or "").strip()
    approved = ChangeRequest.CustomerDecision.APPROVED
    meaning = _("Change approved by the customer")
    _sign_customer_decision(change, actor, password, approved, comment, meaning)
    _transition(change, actor, "customer_approve", _DECISION_FIELDS, comment=comment)
    notifications.customer_decided(change, actor)
    notifications.release_needed(change, actor)
    return change


@writes_change
def customer_reject(*, change: ChangeRequest, actor, password: str, reason: str) -> ChangeRequest:
    permissions.require_review(actor, change)
    CHANGE_WORKFLOW.check("customer_reject", state=change.status, actor=actor)
    reason = records.required(reason, "reason", _("Say why the change is not approved."))
    rejected = ChangeRequest.CustomerDecision.REJECTED
    meaning = _("Change rejected by the customer")
    _sign_customer_decision(change, actor, password, rejected, reason, meaning)
    change.closed_at = timezone.now()
    _transition(change, actor, "customer_reject", [*_DECISION_FIELDS, "closed_at"], comment=reason)
    notifications.customer_decided(change, actor)
    return change


@writes_change
def customer_waive(
    *,
    change: ChangeRequest,
    actor,
    password: str,
    waived_by: str,
    basis: str,
    waiver_date: dt.date | None,
    reference: str = "",
) -> ChangeRequest:
    """A manager records the customer's documented waiver of their approval, signed."""
    permissions.require_approve(actor)
    CHANGE_WORKFLOW.check("waive", state=change.status, actor=actor)
    change.waiver_by = records.required(
        waived_by, "waived_by", _("Name who waived it for the customer.")
    )
    change.waiver_basis = records.required(basis, "basis", _("State the basis of the waiver."))
    if waiver_date is None:
        raise DomainError(_("Give the date of the waiver."), field="waiver_date")
    if waiver_date > timezone.localdate():
        raise DomainError(_("The waiver cannot be dated in the future."), field="waiver_date")
    change.waiver_date = waiver_date
    change.waiver_reference = (reference or "").strip()
    meaning = _("Customer approval waived by %(name)s (documented waiver)") % {
        "name": change.waiver_by
    }
    waived = ChangeRequest.CustomerDecision.WAIVED
    _sign_customer_decision(change, actor, password, waived, "", meaning, change.waiver_basis)
    fields = [*_DECISION_FIELDS, "waiver_by", "waiver_basis", "waiver_date", "waiver_reference"]
    _transition(change, actor, "waive", fields, comment=change.waiver_basis)
    notifications.release_needed(change, actor)
    return change


_DECISION_FIELDS = [
    "customer_decision",
    "customer_decided_at",
    "customer_decided_by",
    "customer_comment",
]


def _sign_customer_decision(
    change, actor, password: str, decision: str, comment: str, meaning, signed: str | None = None
) -> None:
    """``actor`` signs the customer's ``decision`` (what the signature means: ``meaning``, its
    comment ``signed``, else ``comment``) and the change keeps it."""
    sign(owner=change, actor=actor, password=password, meaning=meaning, comment=signed or comment)
    change.customer_decision = decision
    change.customer_decided_at = timezone.now()
    change.customer_decided_by = actor
    change.customer_comment = comment


# --- ECN, validation, implementation -------------------------------------------------------------


@writes_change
def change_release(*, change: ChangeRequest, actor, password: str) -> ChangeRequest:
    """A manager releases the ECN with their signature; a PPAP-requiring change opens its PPAPs."""
    permissions.require_approve(actor)
    CHANGE_WORKFLOW.check("release", state=change.status, actor=actor)
    _require_customer_consent(change)
    sign(owner=change, actor=actor, password=password, meaning=_("ECN released"))
    change.released_at = timezone.now()
    _transition(change, actor, "release", ["released_at"])
    notifications.released(change, actor)
    if change.ppap_required:
        for submission in ppap_link.open_submissions(change, actor):
            _event(change, actor, "ppap_link", comment=str(submission))
    return change


@writes_change
def change_validate(*, change: ChangeRequest, actor, results: str) -> ChangeRequest:
    permissions.require_work(actor)
    if change.implemented_on is not None or change.status in (Status.IMPLEMENTED, Status.CLOSED):
        raise Conflict(
            _(
                "Validation must precede implementation: this change was already implemented, "
                "a validation afterwards is refused."
            )
        )
    CHANGE_WORKFLOW.check("validate", state=change.status, actor=actor)
    change.validation_results = records.required(
        results, "results", _("Record the validation results.")
    )
    if change.ppap_required and not ppap_link.all_approved(change):
        raise Conflict(
            _("This change requires PPAP: validation needs the linked PPAP submissions approved.")
        )
    change.validated_at = timezone.now()
    fields = ["validation_results", "validated_at"]
    return _transition(change, actor, "validate", fields, comment=change.validation_results)


@writes_change
def change_implement(
    *, change: ChangeRequest, actor, implemented_on: dt.date | None, break_point: str
) -> ChangeRequest:
    """The break point is reached in series production: record when and at which serial/lot."""
    permissions.require_work(actor)
    if change.status == Status.RELEASED:
        raise Conflict(
            _("Validate the change first: implementation without validation is refused.")
        )
    CHANGE_WORKFLOW.check("implement", state=change.status, actor=actor)
    if implemented_on is None:
        raise DomainError(_("Give the date the break point was reached."), field="implemented_on")
    if implemented_on > timezone.localdate():
        raise DomainError(
            _("The implementation cannot be dated in the future."), field="implemented_on"
        )
    _require_customer_consent(change, before=implemented_on)
    change.implemented_on = implemented_on
    change.implemented_break_point = records.required(
        break_point, "break_point", _("Give the serial or lot number of the break point.")
    )
    fields = ["implemented_on", "implemented_break_point"]
    comment = (
        f"{change.implemented_break_point} ({date_format(implemented_on, 'SHORT_DATE_FORMAT')})"
    )
    return _transition(change, actor, "implement", fields, comment=comment)


@writes_change
def change_close(*, change: ChangeRequest, actor):
    permissions.require_work(actor)
    change.closed_at = timezone.now()
    return _transition(change, actor, "close", ["closed_at"])


@writes_change
def change_cancel(*, change: ChangeRequest, actor, reason: str) -> ChangeRequest:
    permissions.require_work(actor)
    reason = records.required(reason, "reason", _("Say why the change is cancelled."))
    change.closed_at = timezone.now()
    return _transition(change, actor, "cancel", ["closed_at"], comment=reason)


def _require_customer_consent(change: ChangeRequest, before: dt.date | None = None) -> None:
    """No approval, release or implementation without the customer's approval or waiver,
    dated no later than the implementation."""
    if not change.customer_approval_required:
        return
    if not change.has_customer_consent:
        raise Conflict(
            _("This change needs the customer's approval (or a documented waiver) first.")
        )
    consent = change.consent_date
    if before is not None and (consent is None or consent > before):
        raise Conflict(
            _(
                "The customer's approval (%(consent)s) must be dated before the implementation "
                "(%(implemented)s)."
            )
            % {
                "consent": date_format(consent, "SHORT_DATE_FORMAT") if consent else "–",
                "implemented": date_format(before, "SHORT_DATE_FORMAT"),
            }
        )


# --- internals -----------------------------------------------------------------------------------


# Every state change of a change request: the table's guard, then save, history and timeline.
# ``check_actor=False`` for the moves the last assessment or board signature makes.
_transition = partial(transition, workflow=CHANGE_WORKFLOW, events=ChangeEvent)
# A line on the change's timeline that is no state change (assessed, a board signature, …).
_event = partial(records.record_event, ChangeEvent)


def _require_editable(change: ChangeRequest) -> None:
    if not change.is_editable:
        raise Conflict(
            _("A change that is “%s” can no longer be edited.") % change.get_status_display()
        )


def _require_rows_editable(change: ChangeRequest, actor) -> None:
    permissions.require_work(actor)
    _require_editable(change)


def _require_board_member(change: ChangeRequest, actor) -> None:
    permissions.require_work(actor)
    if not change.approvers.filter(user=actor).exists():
        raise PermissionDenied(_("Only a member of this change's review board may decide."))


def _require_staff_member(user, field: str) -> None:
    if user is None or not is_internal(user):
        raise DomainError(_("Choose an active member of our staff."), field=field)


def _only(fields: dict) -> dict:
    return records.known_fields(fields, EDIT_FIELDS)


# The transitions a page or the API runs by name (board approvals run on their own rows).
CHANGE_SERVICES = {
    "submit": change_submit,
    "start_assessment": change_start_assessment,
    "board_reject": board_reject,
    "board_defer": board_defer,
    "resume": change_resume,
    "customer_approve": customer_approve,
    "customer_reject": customer_reject,
    "waive": customer_waive,
    "release": change_release,
    "validate": change_validate,
    "implement": change_implement,
    "close": change_close,
    "cancel": change_cancel,
}
