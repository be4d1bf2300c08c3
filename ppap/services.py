"""Every write to PPAP submissions, elements, warrants and studies goes through here (DESIGN §4).

Each service locks the submission, checks the transition table, saves only what it changed,
writes a PpapEvent for the timeline and tells the party whose turn it is (``notifications``: in the
portal, and by mail through the outbox after the commit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.signatures import sign
from core.tenancy import customer_id_of, is_internal

from . import editions, notifications
from .models import (
    FormSet,
    PpapElement,
    PpapEvent,
    PpapSubmission,
    ProcessStudy,
    StudyType,
    VdaTrigger,
    Warrant,
    YesNo,
)
from .reasons import PpapLevel, SubmissionReason
from .rules import send_problems
from .workflow import (
    ELEMENT_WORKFLOW,
    REVIEW,
    SIGN,
    SUBMISSION_WORKFLOW,
    WORK,
    is_warrant_element,
)

# What our staff state about a submission while it is a draft, in the order forms show it.
HEADER_FIELDS = (
    "reason",
    "reason_detail",
    "level",
    "customer_elements",
    "form_set",
    "design_proprietary",
    "due_date",
    "owner",
    "vda_trigger",
    "vda_scope",
    "vda_self_assessment",
    "run_date",
    "run_hours",
    "run_quantity",
    "internal_note",
)
# The significant production run belongs to the revision it was recorded for.
RUN_FIELDS = ("run_date", "run_hours", "run_quantity")
# Fields that decide the element checklist's requirements.
CHECKLIST_FIELDS = frozenset({"level", "customer_elements", "design_proprietary"})
WARRANT_FIELDS = frozenset(
    f.name
    for f in Warrant._meta.get_fields()
    if getattr(f, "editable", False)
    and f.name
    not in {"id", "submission", "customer", "signed_at", "signed_by", "updated_at", "version"}
)


# --- locking -------------------------------------------------------------------------------------


def _locked(submission: PpapSubmission, expected_version: int | None = None) -> PpapSubmission:
    related = PpapSubmission.objects.select_related("customer__requirements", "part")
    return records.locked(related, submission.pk, expected_version)


def _locked_part(part_field: str):
    """Locks the submission first, then a part of it (an element, the warrant): one lock order
    for every writer. The part's ``submission`` is the locked one; the version is the part's."""

    def lock(part, expected_version: int | None = None):
        return records.locked_child(part, part_field, _locked, expected_version)[1]

    return lock


# Services on one submission, one of its elements or its warrant: one transaction, the record
# locked at the version the caller read (``expected_version``).
writes_submission = records.writes("submission", _locked)
writes_element = records.writes("element", _locked_part("submission"))
writes_warrant = records.writes("warrant", _locked_part("submission"))


# --- creating --------------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    actor,
    part,
    reason,
    level=None,
    due_date=None,
    change=None,
    reason_detail: str = "",
    **fields,
) -> PpapSubmission:
    """Open a PPAP for ``part``: number, element checklist and a warrant prefilled from the part.

    ``level`` None takes the customer's default level (customer-specific requirements).
    """
    records.require_capability(actor, WORK)
    records.known_fields(fields, HEADER_FIELDS)
    customer = part.customer
    if change is not None and change.customer_id != customer.pk:
        raise DomainError(_("The change belongs to another customer."), field="change")
    submission = PpapSubmission(
        customer=customer,
        part=part,
        part_revision=part.revision,
        change=change,
        reason=reason,
        reason_detail=(reason_detail or "").strip(),
        level=level if level is not None else customer.requirements.default_ppap_level,
        due_date=due_date,
        created_by=actor,
        owner=fields.pop("owner", None) or actor,
        **fields,
    )
    _check_header(submission)
    submission.number = next_number("PPAP")
    records.save_new(submission, actor, _("Created"))
    _create_elements(submission)
    _create_warrant(submission)
    _event(submission, actor, "create", to_status=submission.status)
    return submission


def _create_elements(submission: PpapSubmission) -> None:
    PpapElement.objects.bulk_create(
        PpapElement(
            submission=submission,
            customer_id=submission.customer_id,
            number=number,
            title=str(title),
            requirement=_requirement(submission, number),
            due_date=submission.due_date,
        )
        for number, title in editions.elements(submission.edition).items()
    )


def _requirement(submission: PpapSubmission, number: int) -> str:
    return editions.requirement(
        submission.edition,
        number,
        submission.level,
        proprietary=submission.design_proprietary,
        customer_elements=submission.customer_elements,
    )


def _create_warrant(submission: PpapSubmission, previous: Warrant | None = None) -> Warrant:
    part, customer = submission.part, submission.customer
    warrant = Warrant(
        submission=submission,
        customer_id=submission.customer_id,
        part_name=part.description,
        customer_part_number=part.customer_part_number,
        org_part_number=part.part_number,
        drawing_change_level=part.revision,
        customer_name=customer.name,
        safety_regulation=YesNo.YES if part.safety_relevant else "",
    )
    if previous is not None:
        for name in WARRANT_FIELDS:
            setattr(warrant, name, getattr(previous, name))
    warrant.save()
    return warrant


# --- editing a draft -------------------------------------------------------------------------


@writes_submission
def submission_update(*, submission: PpapSubmission, actor, **fields) -> PpapSubmission:
    records.require_capability(actor, WORK)
    _require_editable(submission)
    records.known_fields(fields, HEADER_FIELDS)
    for name, value in fields.items():
        setattr(submission, name, value)
    _check_header(submission)
    records.save(submission, actor, _("Edited"), list(fields))
    if CHECKLIST_FIELDS & set(fields):
        for element in submission.elements.select_for_update():
            requirement = _requirement(submission, element.number)
            if requirement != element.requirement:
                element.requirement = requirement
                records.save(element, actor, _("Level changed"), ["requirement"])
    return submission


def _check_header(submission: PpapSubmission) -> None:
    if submission.reason not in SubmissionReason.values:
        raise DomainError(_("Choose a reason for submission."), field="reason")
    if submission.reason == SubmissionReason.OTHER and not submission.reason_detail.strip():
        raise DomainError(_("Say what the other reason is."), field="reason_detail")
    if submission.level not in PpapLevel.values:
        raise DomainError(_("Choose a level from 1 to 5."), field="level")
    numbers = editions.elements(submission.edition)
    chosen = submission.customer_elements or []
    if not isinstance(chosen, list) or any(n not in numbers for n in chosen):
        raise DomainError(_("Choose elements from the list."), field="customer_elements")
    submission.customer_elements = sorted(set(chosen))
    if submission.form_set not in FormSet.values:
        raise DomainError(_("Choose a form set."), field="form_set")
    if submission.vda_trigger and submission.vda_trigger not in VdaTrigger.values:
        raise DomainError(_("Choose a VDA 2 trigger from the list."), field="vda_trigger")
    if submission.owner_id and not is_internal(submission.owner):
        raise DomainError(_("The responsible engineer must be one of our staff."), field="owner")
    _check_run(submission)


def _check_run(submission: PpapSubmission) -> None:
    """Only the shape of the run here; whether it is enough is checked before sending."""
    try:
        hours = None if submission.run_hours is None else Decimal(str(submission.run_hours))
    except InvalidOperation:
        raise DomainError(_("Enter the hours as a number."), field="run_hours") from None
    if hours is not None and hours <= 0:
        raise DomainError(_("Enter the hours as a number above 0."), field="run_hours")
    submission.run_hours = hours


@writes_element
def element_update(*, element: PpapElement, actor, **fields) -> PpapElement:
    """Owner, due date and "not applicable" (with its mandatory reason) of one element."""
    records.require_capability(actor, WORK)
    _require_editable(element.submission)
    records.known_fields(fields, {"owner", "due_date", "not_applicable", "na_reason"})
    for name, value in fields.items():
        setattr(element, name, value)
    element.na_reason = (element.na_reason or "").strip()
    if element.not_applicable and not element.na_reason:
        raise DomainError(_("Say why the element is not applicable."), field="na_reason")
    if not element.not_applicable:
        element.na_reason = ""
    if element.owner_id and not is_internal(element.owner):
        raise DomainError(_("The owner must be one of our staff."), field="owner")
    records.save(element, actor, _("Edited"), [*fields, "na_reason"])
    return element


# Physical items and the warrant itself: no file is needed to call them ready.
ELEMENTS_WITHOUT_FILES = frozenset({14, 15, 16, 18})


@writes_element
def element_transition(
    *, element: PpapElement, actor, action: str, comment: str = ""
) -> PpapElement:
    """Our cycle on a draft (start, ready, reopen) or the customer's review (approve, reject)."""
    submission = element.submission
    _require_visible(submission, actor)
    step = ELEMENT_WORKFLOW.check(action, state=element.status, actor=actor)
    comment = (comment or "").strip()
    fields = ["status"]
    if step.capability == REVIEW:
        if submission.status != PpapSubmission.Status.SUBMITTED or not submission.is_current:
            raise Conflict(_("Elements are reviewed while the submission waits for a decision."))
        if not element.is_submitted_element:
            raise Conflict(_("Only submitted elements are reviewed."))
        if step.needs_comment and not comment:
            raise DomainError(_("Say why the element is rejected."), field="comment")
        element.customer_comment, element.reviewed_at = comment, timezone.now()
        fields += ["customer_comment", "reviewed_at"]
    else:
        _require_editable(submission)
        if is_warrant_element(element, submission):
            raise DomainError(_("This element is ready once the warrant is signed."))
        if action == "ready":
            _require_evidence(element)
    from_status, element.status = element.status, step.target
    records.save(element, actor, str(step.label), fields)
    if step.capability == REVIEW:
        _event(
            submission,
            actor,
            f"element_{action}",
            element_number=element.number,
            from_status=from_status,
            to_status=element.status,
            comment=comment,
        )
    return element


def _require_evidence(element: PpapElement) -> None:
    from core.models import Attachment

    if element.number in ELEMENTS_WITHOUT_FILES or element.not_applicable:
        return
    if not Attachment.objects.for_owner(element).exists():
        raise DomainError(_("Attach the element's documents before marking it ready."))


@writes_submission
def study_add(
    *, submission: PpapSubmission, actor, characteristic: str, study_type: str, value
) -> ProcessStudy:
    """Record one initial process study result (Ppk or Cpk) for element 11."""
    records.require_capability(actor, WORK)
    _require_editable(submission)
    characteristic = (characteristic or "").strip()
    if not characteristic:
        raise DomainError(_("Name the characteristic."), field="characteristic")
    if study_type not in StudyType.values:
        raise DomainError(_("Choose Ppk or Cpk."), field="study_type")
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("Enter the index as a number."), field="value") from None
    if not value.is_finite() or value < 0 or value >= 1000:
        raise DomainError(_("Enter an index from 0 to 999.999."), field="value")
    study = ProcessStudy(
        submission=submission,
        customer_id=submission.customer_id,
        characteristic=characteristic[:200],
        study_type=study_type,
        value=value.quantize(Decimal("0.001")),
    )
    records.save_new(study, actor, _("Recorded"))
    return study


# --- the warrant -----------------------------------------------------------------------------


@writes_warrant
def warrant_update(*, warrant: Warrant, actor, **fields) -> Warrant:
    """Edit the warrant of a draft; a signed warrant loses its signature when it changes."""
    submission = warrant.submission
    records.require_capability(actor, WORK)
    _require_editable(submission)
    records.known_fields(fields, WARRANT_FIELDS)
    was_waiting = _waits_for_signature(warrant)
    changed = [name for name, value in fields.items() if getattr(warrant, name) != value]
    for name in changed:
        setattr(warrant, name, fields[name])
    warrant.full_clean(exclude=["submission", "customer"])
    unsigned = bool(changed and warrant.is_signed)
    if unsigned:
        warrant.signed_at, warrant.signed_by = None, None
        changed += ["signed_at", "signed_by"]
    records.save(warrant, actor, _("Edited"), changed)
    if unsigned:
        _warrant_element_to(submission, actor, PpapElement.Status.IN_PROGRESS)
    if not was_waiting and _waits_for_signature(warrant):
        notifications.psw_signature_needed(submission, actor)
    return warrant


def _waits_for_signature(warrant: Warrant) -> bool:
    """Complete and unsigned: the warrant waits for someone who may sign (``ppap.sign``)."""
    return not warrant.is_signed and not warrant.missing_fields()


@writes_warrant
def warrant_sign(*, warrant: Warrant, actor, password: str) -> Warrant:
    """The organisation's authorised signature on a complete warrant (password re-entered)."""
    submission = warrant.submission
    records.require_capability(actor, SIGN)
    _require_editable(submission)
    missing = warrant.missing_fields()
    if missing:
        raise DomainError(_("Fill in the warrant first: %s.") % ", ".join(missing))
    sign(
        owner=warrant,
        actor=actor,
        password=password,
        meaning=_("Warrant signed for the organisation"),
    )
    warrant.signed_at, warrant.signed_by = timezone.now(), actor
    records.save(warrant, actor, _("Signed"), ["signed_at", "signed_by"])
    _warrant_element_to(submission, actor, PpapElement.Status.READY)
    _event(submission, actor, "psw_sign")
    return warrant


def _warrant_element_to(submission: PpapSubmission, actor, status: str) -> None:
    """The warrant's own element follows its signature: ready once signed, open when unsigned."""
    element = next(
        (e for e in submission.elements.all() if is_warrant_element(e, submission)), None
    )
    if element is not None and element.status != status:
        element.status = status
        records.save(element, actor, _("Follows the warrant's signature"), ["status"])


# --- the lifecycle ---------------------------------------------------------------------------


@writes_submission
def submission_send(*, submission: PpapSubmission, actor) -> PpapSubmission:
    """Send to the customer once every submitted element is ready, the PSW signed, the run OK."""
    SUBMISSION_WORKFLOW.check("send", state=submission.status, actor=actor)
    _require_editable(submission)
    problems = send_problems(
        submission,
        list(submission.elements.all()),
        submission.warrant,
        list(submission.studies.all()),
        submission.customer.requirements,
    )
    if problems:
        raise DomainError(" ".join(problems))
    submission.sent_at = timezone.now()
    _transition(submission, actor, "send", ["sent_at"])
    notifications.decision_needed(submission, actor)
    return submission


@writes_submission
def submission_cancel(*, submission: PpapSubmission, actor, reason: str) -> PpapSubmission:
    reason = records.required(reason, "reason", _("Say why the submission is cancelled."))
    return _transition(submission, actor, "cancel", comment=reason)


@writes_submission
def submission_dispose(
    *,
    submission: PpapSubmission,
    actor,
    disposition: str,
    password: str,
    comment: str = "",
    expires_on: dt.date | None = None,
    quantity: int | None = None,
    nonconformities: str = "",
    action_plan: str = "",
    risk_assessment: str = "",
) -> PpapSubmission:
    """The customer's disposition, signed with their password (REFERENCE §2 dispositions)."""
    _require_visible(submission, actor)
    if disposition not in ("approve", "approve_deviations", "interim", "reject"):
        raise DomainError(_("Choose a disposition."), field="disposition")
    SUBMISSION_WORKFLOW.check(disposition, state=submission.status, actor=actor)
    if not submission.is_current:
        raise Conflict(_("An earlier revision is read-only."))
    comment = (comment or "").strip()
    fields = ["decided_at", "decided_by", "decision_comment"]
    if disposition == "interim":
        fields += _interim_terms(submission, expires_on, quantity, nonconformities, action_plan)
    elif disposition == "approve_deviations":
        if not submission.is_vda:
            raise DomainError(_("Approval with deviations belongs to the VDA 2 form set."))
        submission.risk_assessment = records.required(
            risk_assessment, "risk_assessment", _("Summarise the joint risk assessment.")
        )
        fields.append("risk_assessment")
    elif disposition == "reject":
        comment = records.required(comment, "comment", _("Say why the submission is rejected."))
    submission.decided_at, submission.decided_by = timezone.now(), actor
    submission.decision_comment = comment
    label = SUBMISSION_WORKFLOW[disposition].label
    sign(owner=submission, actor=actor, password=password, meaning=str(label), comment=comment)
    _transition(submission, actor, disposition, fields, comment=comment)
    notifications.decided(submission, actor)
    return submission


def _interim_terms(submission, expires_on, quantity, nonconformities, action_plan) -> list[str]:
    if expires_on is None and not quantity:
        raise DomainError(
            _("An interim approval needs an expiry date, a quantity or both."),
            field="expires_on",
        )
    if expires_on is not None and expires_on <= timezone.localdate():
        raise DomainError(_("The expiry date must lie in the future."), field="expires_on")
    if quantity is not None and quantity < 1:
        raise DomainError(_("The quantity must be at least 1."), field="quantity")
    submission.interim_expires_on, submission.interim_quantity = expires_on, quantity or None
    submission.interim_nonconformities = records.required(
        nonconformities, "nonconformities", _("List the open nonconformities.")
    )
    submission.interim_action_plan = records.required(
        action_plan, "action_plan", _("State the agreed action plan.")
    )
    return [
        "interim_expires_on",
        "interim_quantity",
        "interim_nonconformities",
        "interim_action_plan",
    ]


@writes_submission
def submission_resubmit(*, submission: PpapSubmission, actor, comment: str = "") -> PpapSubmission:
    """Open the next revision of the same number; the decided revision stays as it is, read-only.

    Reaching full approval after an interim approval or a rejection takes this path.
    """
    if not submission.is_current:
        raise Conflict(_("Only the latest revision can be resubmitted."))
    SUBMISSION_WORKFLOW.check("resubmit", state=submission.status, actor=actor)
    submission.is_current = False
    records.save(submission, actor, _("Resubmitted"), ["is_current"])
    _event(submission, actor, "resubmit", from_status=submission.status, comment=comment)
    new = _next_revision(submission, actor)
    _event(new, actor, "create", to_status=new.status, comment=comment)
    if _waits_for_signature(new.warrant):
        notifications.psw_signature_needed(new, actor)
    return new


def _next_revision(old: PpapSubmission, actor) -> PpapSubmission:
    # A new revision runs the significant production run again.
    copied = {name: getattr(old, name) for name in HEADER_FIELDS if name not in RUN_FIELDS}
    new = PpapSubmission(
        number=old.number,
        revision=old.revision + 1,
        customer_id=old.customer_id,
        part=old.part,
        part_revision=old.part.revision,
        change_id=old.change_id,
        edition=old.edition,
        created_by=actor,
        **copied,
    )
    records.save_new(new, actor, _("Resubmission"))
    _create_elements(new)
    previous = {e.number: e for e in old.elements.all()}
    for element in new.elements.all():
        before = previous.get(element.number)
        if before is not None:
            element.owner_id, element.due_date = before.owner_id, before.due_date
            element.not_applicable, element.na_reason = before.not_applicable, before.na_reason
            element.save(update_fields=["owner", "due_date", "not_applicable", "na_reason"])
    _create_warrant(new, previous=old.warrant)
    return new


# --- interim approvals over time (daily task) ------------------------------------------------


def interim_approvals_expire(*, today: dt.date | None = None) -> int:
    """Expire every interim approval whose date has passed; running it twice changes nothing."""
    today = today or timezone.localdate()
    lapsed = PpapSubmission.objects.filter(
        status=PpapSubmission.Status.INTERIM, interim_expires_on__lt=today
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(lapsed):
        with transaction.atomic():
            related = ("customer", "part", "owner", "created_by")
            submission = records.locked(PpapSubmission.objects.select_related(*related), pk)
            if submission.status != PpapSubmission.Status.INTERIM:
                continue  # decided otherwise in the meantime
            _transition(submission, None, "expire")
            notifications.decided(submission, None)
            count += 1
    return count


def interim_reminders_due(*, today: dt.date | None = None) -> list[int]:
    """Interim approvals expiring within the customer's reminder days, not reminded yet."""
    today = today or timezone.localdate()
    candidates = PpapSubmission.objects.filter(
        status=PpapSubmission.Status.INTERIM,
        interim_expires_on__gte=today,
        interim_reminded_on__isnull=True,
    ).select_related("customer__requirements")
    return [
        s.pk
        for s in candidates
        if (s.interim_expires_on - today).days <= s.customer.requirements.ppap_interim_reminder_days
    ]


def interim_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind of every interim approval due for it, once each; how many were reminded now."""
    return sum(
        1 for pk in interim_reminders_due(today=today) if interim_reminder_send(submission_id=pk)
    )


@transaction.atomic
def interim_reminder_send(*, submission_id: int, today: dt.date | None = None) -> bool:
    """Note the reminder and notify both sides once; False when it was already sent."""
    today = today or timezone.localdate()
    updated = PpapSubmission.objects.filter(
        pk=submission_id, interim_reminded_on__isnull=True
    ).update(interim_reminded_on=today)
    if updated:
        submission = PpapSubmission.objects.select_related(
            "customer__requirements", "part", "owner", "created_by"
        ).get(pk=submission_id)
        notifications.interim_expiring(submission)
    return bool(updated)


# --- internals -------------------------------------------------------------------------------


# Every state change of a submission: the table's guard, then save, history and timeline event.
_transition = partial(transition, workflow=SUBMISSION_WORKFLOW, events=PpapEvent)
# A line on the submission's timeline that is no state change (an element reviewed, the PSW signed).
_event = partial(records.record_event, PpapEvent)


def _require_visible(submission: PpapSubmission, actor) -> None:
    if not is_internal(actor) and customer_id_of(actor) != submission.customer_id:
        raise PermissionDenied(_("You are not allowed to change this submission."))


def _require_editable(submission: PpapSubmission) -> None:
    if not submission.is_current:
        raise Conflict(_("An earlier revision is read-only."))
    if submission.status != PpapSubmission.Status.DRAFT:
        raise Conflict(_("Only a draft submission can be changed."))


SUBMISSION_SERVICES = {
    "send": submission_send,
    "cancel": submission_cancel,
    "resubmit": submission_resubmit,
}
