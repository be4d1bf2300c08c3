"""Every write to the audit programme, audits, answers and findings goes through here (DESIGN §4).

Each service locks the audit (then the answer or finding), checks the transition table, saves only
the fields it changed, writes an AuditEvent for the timeline, and tells the party whose turn it is
(``notifications``: in the portal, and by mail through the outbox after commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.locking import check_version
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.services import action_create
from core.signatures import sign
from core.tenancy import customer_id_of, is_internal
from customers import defaults

from . import notifications, scoring
from .models import Answer, Audit, AuditEvent, AuditProgramme, Finding, Process, Question
from .workflow import AUDIT_WORKFLOW, FINDING_WORKFLOW, PLAN, REVIEW, WORK

# What a planner states about an audit, in the order forms and the API show it.
PLANNED_FIELDS = (
    "title",
    "process",
    "part",
    "scope",
    "shifts_audited",
    "process_steps",
    "planned_date",
    "lead_auditor",
    "external_auditors",
    "catalogue",
    "programme",
)
EDITABLE_WHILE = (Audit.Status.PLANNED, Audit.Status.IN_PREPARATION)


# --- locking -------------------------------------------------------------------------------------


def _locked(audit: Audit, expected_version=None) -> Audit:
    return records.locked(
        Audit.objects.select_related("customer", "catalogue"), audit.pk, expected_version
    )


def _locked_finding(finding: Finding, expected_version=None) -> Finding:
    """Lock the audit first, then the finding (its ``audit`` the locked one): one lock order for
    every writer of an audit."""
    return records.locked_child(finding, "audit", _locked, expected_version)[1]


def _require_conducted(audit: Audit, actor, refusal: str) -> None:
    """Work that is done while the audit is conducted (``refusal`` otherwise)."""
    records.require_capability(actor, WORK)
    if not audit.is_conducted:
        raise Conflict(refusal)


# Services on one audit or one of its findings: one transaction, the record locked at the
# version the caller read (``expected_version``).
writes_audit = records.writes("audit", _locked)
writes_finding = records.writes("finding", _locked_finding)


# --- programme -----------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, year: int, title: str, notes: str = "") -> AuditProgramme:
    records.require_capability(actor, PLAN)
    if AuditProgramme.objects.filter(year=year).exists():
        raise DomainError(
            _("There is a programme for %(year)s already.") % {"year": year}, field="year"
        )
    programme = AuditProgramme(
        year=year,
        title=records.required(title, "title", _("Give the programme a title.")),
        notes=(notes or "").strip(),
        created_by=actor,
    )
    records.save_new(programme, actor, _("Programme created"))
    return programme


# --- audits --------------------------------------------------------------------------------------


@transaction.atomic
def audit_plan(*, actor, type: str, team: Iterable = (), customer=None, **fields) -> Audit:
    """Plan an audit; its auditors must not audit their own area."""
    records.require_capability(actor, PLAN)
    planned = records.known_fields(fields, PLANNED_FIELDS)
    audit = Audit(type=type, customer=customer, created_by=actor, **planned)
    _clean_plan(audit)
    team = list(team)
    _require_independent(audit, team)
    audit.number = next_number("AUD", year=audit.planned_date.year)
    _validate(audit)
    records.save_new(audit, actor, _("Planned"))
    audit.team.set(team)
    _event(audit, actor, "plan", to_status=audit.status)
    return audit


@writes_audit
def audit_update(*, audit: Audit, actor, team: Iterable | None = None, **fields) -> Audit:
    records.require_capability(actor, PLAN)
    if audit.status not in EDITABLE_WHILE:
        raise Conflict(_("Only a planned audit or one in preparation can be re-planned."))
    for name, value in records.known_fields(fields, PLANNED_FIELDS).items():
        setattr(audit, name, value)
    _clean_plan(audit)
    team = list(audit.team.all()) if team is None else list(team)
    _require_independent(audit, team)
    _validate(audit)
    records.save(audit, actor, _("Re-planned"), None)
    audit.team.set(team)
    return audit


def _clean_plan(audit: Audit) -> None:
    if audit.type not in Audit.Type.values:
        raise DomainError(_("Choose the type of audit."), field="type")
    if audit.is_customer_audit and audit.customer is None:
        raise DomainError(_("Name the customer who audits us."), field="customer")
    if not audit.is_customer_audit:
        audit.customer = None
    if audit.part is not None and audit.customer and audit.part.customer_id != audit.customer_id:
        raise DomainError(_("Choose one of the auditing customer's own parts."), field="part")
    if audit.type == Audit.Type.PROCESS and audit.process is None:
        raise DomainError(_("A process audit needs the process it audits."), field="process")
    if audit.type == Audit.Type.PRODUCT and audit.part is None:
        raise DomainError(_("A product audit needs the product it audits."), field="part")
    audit.shifts_audited = _shifts(audit.shifts_audited)
    audit.process_steps = _steps(audit.process_steps)
    if audit.catalogue is not None and not audit.catalogue.is_active:
        raise DomainError(_("This catalogue version is retired."), field="catalogue")
    if not audit.title or not audit.title.strip():
        raise DomainError(_("Give the audit a title."), field="title")


def _shifts(values) -> list[int]:
    try:
        shifts = sorted({int(value) for value in values or ()})
    except (TypeError, ValueError):
        shifts = [0]
    if any(shift not in (1, 2, 3) for shift in shifts):
        raise DomainError(_("Shifts are 1, 2 or 3."), field="shifts_audited")
    return shifts


def _steps(values) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    steps = []
    for value in values or ():
        step = str(value).strip()
        if len(step) > 100:
            raise DomainError(
                _("A process step name has at most 100 characters."), field="process_steps"
            )
        if step and step not in steps:
            steps.append(step)
    return steps


def _require_independent(audit: Audit, team: list) -> None:
    """REFERENCE §4: auditors must not audit their own area (the processes they answer for)."""
    auditors = [user for user in [audit.lead_auditor, *team] if user is not None]
    for user in auditors:
        if not is_internal(user):
            raise DomainError(_("Auditors must be active members of our staff."), field="team")
    if audit.is_customer_audit or not auditors:
        return
    processes = Process.objects.filter(responsible__in=[user.pk for user in auditors])
    audited = []
    if audit.process_id:
        audited.append(audit.process_id)
    if audit.part_id:
        audited += list(Process.objects.filter(parts=audit.part_id).values_list("pk", flat=True))
    for process in processes.filter(pk__in=audited).prefetch_related("responsible").distinct():
        own = [user for user in auditors if user in process.responsible.all()]
        names = ", ".join(str(user) for user in own)
        raise DomainError(
            _(
                "%(names)s may not audit “%(process)s”: it is their own area. Choose an "
                "auditor who is not responsible for it."
            )
            % {"names": names, "process": process.name},
            field="team" if audit.lead_auditor not in own else "lead_auditor",
        )


def _transition_service(action: str):
    """``audit_transition`` for one action, as the pages and the API call a transition."""
    service = partial(audit_transition, action=action)
    service.__name__ = f"audit_{action}"
    return service


@writes_audit
def audit_transition(
    *, audit: Audit, actor, action: str, comment: str = "", password: str = ""
) -> Audit:
    """Move ``audit`` on; approving the report is an electronic signature (``password``)."""
    step = AUDIT_WORKFLOW.check(action, state=audit.status, actor=actor)
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise DomainError(_("Give a reason."), field="reason")
    fields = []
    if action == "start":
        audit.started_at = timezone.now()
        fields.append("started_at")
    if action == "approve_report":
        fields += _freeze_result(audit, actor)
        sign(owner=audit, actor=actor, password=password, meaning=_("Audit report approved"))
    _transition(audit, actor, action, fields, comment=comment)
    if action == "draft_report":
        notifications.report_approval_needed(audit, actor)
    elif action == "send_back":
        notifications.report_sent_back(audit, actor, comment=comment)
    return audit


def _freeze_result(audit: Audit, actor) -> list[str]:
    """The approved report keeps the result and grade it was approved with."""
    from .selectors import audit_result

    if not audit.summary.strip():
        raise DomainError(
            _("Write the report summary before approving the report."), field="summary"
        )
    result = audit_result(audit)
    if result is not None and audit.catalogue and audit.catalogue.is_vda63:
        if not result.gradable:
            raise Conflict(" ".join(reason.message for reason in result.not_gradable))
        audit.result_percent = scoring.two_decimals(result.overall)
        audit.grade = result.grade or ""
        audit.downgrade_reasons = [reason.message for reason in result.downgrades]
    audit.approved_at, audit.approved_by = timezone.now(), actor
    return ["result_percent", "grade", "downgrade_reasons", "approved_at", "approved_by"]


@writes_audit
def audit_summary_save(*, audit: Audit, actor, summary: str) -> Audit:
    records.require_capability(actor, WORK)
    if audit.is_final:
        raise Conflict(_("A closed or cancelled audit is read-only."))
    audit.summary = (summary or "").strip()
    records.save(audit, actor, _("Report summary saved"), ["summary"])
    return audit


# --- answers -------------------------------------------------------------------------------------


@transaction.atomic
def answer_save(
    *,
    audit: Audit,
    question: Question,
    actor,
    step: str = "",
    score=None,
    not_evaluated: bool = False,
    reason: str = "",
    note: str = "",
    expected_version=None,
) -> Answer:
    """Score one question (in one process step for P6); "not evaluated" needs a reason.

    ``expected_version`` is the answer's: the audit is locked at any version.
    """
    audit = _locked(audit)
    refusal = _("Answers are saved while the audit is in progress or its report is drafted.")
    _require_conducted(audit, actor, refusal)
    if audit.catalogue_id is None or question.catalogue_id != audit.catalogue_id:
        raise DomainError(_("This question is not in the audit's catalogue."), field="question")
    step = _answer_step(audit, question, step)
    reason, note = (reason or "").strip(), (note or "").strip()
    if not_evaluated:
        score = None
        if not reason:
            raise DomainError(_("Say why the question is not evaluated."), field="reason")
    elif score in (None, ""):
        raise DomainError(_("Choose a score or mark the question not evaluated."), field="score")
    else:
        score = scoring.check_score(score)
    answer, created = Answer.objects.select_for_update().get_or_create(
        audit=audit,
        question=question,
        step=step,
        defaults={"customer_id": audit.customer_id, "answered_by": actor},
    )
    if not created:
        # 0: the page showed the question unanswered, so someone else answered it since.
        check_version(answer, expected_version)
    answer.score, answer.not_evaluated = score, bool(not_evaluated)
    answer.reason, answer.note, answer.answered_by = reason if not_evaluated else "", note, actor
    fields = ["score", "not_evaluated", "reason", "note", "answered_by"]
    records.save(answer, actor, _("Answered"), fields if not created else None)
    return answer


def _answer_step(audit: Audit, question: Question, step: str) -> str:
    step = (step or "").strip()
    if not question.per_step or not audit.process_steps:
        return ""
    if step not in audit.process_steps:
        raise DomainError(_("Choose one of the audit's process steps."), field="step")
    return step


# --- findings ------------------------------------------------------------------------------------


@writes_audit
def finding_raise(
    *,
    audit: Audit,
    actor,
    classification: str,
    description: str,
    requirement: str = "",
    question: Question | None = None,
    step: str = "",
    score=None,
) -> Finding:
    refusal = _("Findings are raised while the audit is in progress or its report is drafted.")
    _require_conducted(audit, actor, refusal)
    if classification not in Finding.Classification.values:
        raise DomainError(_("Choose the classification of the finding."), field="classification")
    if question is not None and question.catalogue_id != audit.catalogue_id:
        raise DomainError(_("This question is not in the audit's catalogue."), field="question")
    finding = Finding(
        audit=audit,
        customer_id=audit.customer_id,
        position=(audit.findings.count() + 1),
        question=question,
        step=_answer_step(audit, question, step) if question else "",
        score=None if score in (None, "") else scoring.check_score(score),
        classification=classification,
        description=records.required(description, "description", _("Describe the finding.")),
        requirement=(requirement or "").strip()[:300],
        created_by=actor,
    )
    _set_deadlines(finding, audit)
    records.save_new(finding, actor, _("Raised"))
    _event(
        audit,
        actor,
        "finding_raise",
        finding=finding,
        to_status=finding.status,
        comment=finding.reference,
    )
    return finding


def response_deadlines(customer) -> dict[str, dict[str, dt.timedelta]]:
    """Per class, how long after raising each response step is due (CSR, else the defaults)."""
    source = getattr(customer, "requirements", None) if customer is not None else None

    def value(name: str, default: int) -> int:
        return getattr(source, name, default) if source is not None else default

    return {
        Finding.Classification.MAJOR: {
            "containment_due": dt.timedelta(
                hours=value(
                    "finding_major_containment_hours", defaults.FINDING_MAJOR_CONTAINMENT_HOURS
                )
            ),
            "plan_due": dt.timedelta(
                days=value("finding_major_plan_days", defaults.FINDING_MAJOR_PLAN_DAYS)
            ),
            "implementation_due": dt.timedelta(
                days=value(
                    "finding_major_implementation_days", defaults.FINDING_MAJOR_IMPLEMENTATION_DAYS
                )
            ),
        },
        Finding.Classification.MINOR: {
            "plan_due": dt.timedelta(
                days=value("finding_minor_plan_days", defaults.FINDING_MINOR_PLAN_DAYS)
            ),
            "implementation_due": dt.timedelta(
                days=value(
                    "finding_minor_implementation_days", defaults.FINDING_MINOR_IMPLEMENTATION_DAYS
                )
            ),
        },
    }


def _set_deadlines(finding: Finding, audit: Audit) -> None:
    for name, delay in response_deadlines(audit.customer).get(finding.classification, {}).items():
        setattr(finding, name, finding.raised_at + delay)


@writes_finding
def finding_action_add(
    *, finding: Finding, actor, title: str, owner, due_date, description: str = ""
):
    """A corrective action of a nonconformity: a core Action owned by the finding."""
    records.require_capability(actor, WORK)
    if finding.is_final:
        raise Conflict(_("A closed or cancelled finding is read-only."))
    return action_create(
        record=finding,
        title=title,
        kind="corrective",
        owner=owner,
        due_date=due_date,
        actor=actor,
        description=description,
    )


@writes_finding
def finding_respond(
    *,
    finding: Finding,
    actor,
    containment: str = "",
    correction: str = "",
    root_cause: str = "",
    effectiveness: str = "",
) -> Finding:
    audit = _check_finding(finding, "respond", actor)
    finding.containment = (containment or "").strip()
    finding.correction = (correction or "").strip()
    finding.root_cause = (root_cause or "").strip()
    finding.effectiveness = (effectiveness or "").strip()
    problems = response_problems(finding)
    if problems:
        raise ValidationError(problems)
    finding.responded_at, finding.responded_by = timezone.now(), actor
    fields = [
        "containment",
        "correction",
        "root_cause",
        "effectiveness",
        "responded_at",
        "responded_by",
    ]
    _finding_transition(audit, finding, actor, "respond", fields)
    notifications.finding_response_submitted(audit, finding, actor)
    return finding


def response_problems(finding: Finding) -> dict[str, str]:
    """What a nonconformity's response still lacks (observations and OFIs need nothing)."""
    from core.models import Action

    if not finding.is_nonconformity:
        return {}
    problems = {}
    if finding.classification == Finding.Classification.MAJOR and not finding.containment:
        problems["containment"] = _("A major nonconformity needs its containment.")
    if not finding.correction:
        problems["correction"] = _("State the correction.")
    if not finding.root_cause:
        problems["root_cause"] = _("State the root cause.")
    if not Action.objects.for_owner(finding).exclude(status=Action.Status.CANCELLED).exists():
        problems["actions"] = _("Add at least one corrective action.")
    return problems


@writes_finding
def finding_close(*, finding: Finding, actor, comment: str = "") -> Finding:
    """Our own audits: the response was effective, the finding is closed."""
    audit = _check_finding(finding, "close", actor)
    if audit.is_customer_audit:
        raise PermissionDenied(_("The customer who found it confirms the closure of this finding."))
    if finding.is_nonconformity:
        if finding.status != Finding.Status.SUBMITTED:
            raise Conflict(_("A nonconformity is closed after its response has been submitted."))
        if not finding.effectiveness:
            raise DomainError(
                _("Record the effectiveness check before closing."), field="effectiveness"
            )
    return _decide(audit, finding, actor, "close", comment)


@writes_finding
def finding_confirm_closure(*, finding: Finding, actor, comment: str = "") -> Finding:
    """A customer's audit: their user confirms our response closes the finding."""
    audit = _check_finding(finding, "confirm_closure", actor)
    if not audit.is_customer_audit:
        raise Conflict(_("Only findings of a customer's audit are confirmed by the customer."))
    return _decide(audit, finding, actor, "confirm_closure", comment)


@writes_finding
def finding_send_back(*, finding: Finding, actor, reason: str) -> Finding:
    audit = _check_finding(finding, "send_back", actor)
    records.require_capability(actor, REVIEW if audit.is_customer_audit else PLAN)
    reason = records.required(reason, "reason", _("Say what the response still lacks."))
    return _decide(audit, finding, actor, "send_back", reason)


@writes_finding
def finding_cancel(*, finding: Finding, actor, reason: str) -> Finding:
    audit = _check_finding(finding, "cancel", actor)
    reason = records.required(reason, "reason", _("Say why the finding is cancelled."))
    return _decide(audit, finding, actor, "cancel", reason)


def _decide(audit: Audit, finding: Finding, actor, action: str, comment: str) -> Finding:
    finding.decision_comment = (comment or "").strip()
    fields = ["decision_comment"]
    if FINDING_WORKFLOW[action].target == Finding.Status.CLOSED:
        finding.closed_at, finding.closed_by = timezone.now(), actor
        fields += ["closed_at", "closed_by"]
    _finding_transition(audit, finding, actor, action, fields, comment)
    notifications.finding_decided(audit, finding, actor, action)
    return finding


def _finding_transition(audit, finding, actor, action, fields, comment: str = "") -> Finding:
    """The finding moves; the audit's timeline tells (``finding_respond``, …)."""
    event = {"timeline": audit, "event_action": f"finding_{_EVENT_OF.get(action, action)}"}
    comment = comment or finding.reference
    return _move_finding(finding, actor, action, fields, comment=comment, finding=finding, **event)


_EVENT_OF = {"confirm_closure": "confirm"}


def _check_finding(finding: Finding, action: str, actor) -> Audit:
    """Refuse ``action`` on the locked ``finding`` unless ``actor`` and the table allow it; its
    audit."""
    if not is_internal(actor) and customer_id_of(actor) != finding.customer_id:
        raise PermissionDenied(_("You are not allowed to change this finding."))
    if finding.audit.status == Audit.Status.CANCELLED:
        raise Conflict(_("The findings of a cancelled audit are read-only."))
    FINDING_WORKFLOW.check(action, state=finding.status, actor=actor)
    return finding.audit


# --- internals -----------------------------------------------------------------------------------


# Every state change of an audit or a finding: the table's guard, then save, history and event.
_transition = partial(transition, workflow=AUDIT_WORKFLOW, events=AuditEvent)
_move_finding = partial(transition, workflow=FINDING_WORKFLOW, events=AuditEvent)
# A line on the audit's timeline that is no state change (planned, a finding raised).
_event = partial(records.record_event, AuditEvent)


def _validate(audit: Audit) -> None:
    records.validate(audit, exclude=["created_by"])


AUDIT_SERVICES = {action: _transition_service(action) for action in AUDIT_WORKFLOW.transitions}
FINDING_SERVICES = {
    "respond": finding_respond,
    "close": finding_close,
    "confirm_closure": finding_confirm_closure,
    "send_back": finding_send_back,
    "cancel": finding_cancel,
}
