"""The audit report PDF: scope, team, result and grade with the reasons, element chart, the score
of every question, findings and the approver's signature."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import downloads
from core.attachments import AttachmentPolicy
from core.charts import bar_chart_svg
from core.pdf import html_to_pdf, record_frame
from core.signatures import signatures_of
from customers import defaults

from . import scoring, selectors
from .models import Answer, Audit, Finding, Question

TEMPLATE = "pdf/audit_report.html"


def report_filename(audit: Audit) -> str:
    return f"{audit.number}-report.pdf"


def render_audit_report(audit: Audit, user) -> bytes:
    return html_to_pdf(audit_report_html(audit, user))


def audit_report_html(audit: Audit, user) -> str:
    return render_to_string(TEMPLATE, audit_report_context(audit, user))


AUDIT_REPORT = downloads.register(
    downloads.DocumentKind(
        name="audits.documents:report",
        model=Audit,
        html=audit_report_html,
        filename=report_filename,
        per_viewer=True,
    )
)


def audit_report_context(audit: Audit, user) -> dict:
    questions = selectors.questions_of(audit)
    result = selectors.audit_result(audit, questions)
    return {
        **record_frame(audit, _("Audit report %(number)s") % {"number": audit.number}, audit.title),
        "audit": audit,
        "team": list(audit.team.all()),
        "result": result,
        "grade": audit.grade or (result.grade if result else ""),
        "overall": audit.result_percent
        if audit.result_percent is not None
        else (result.overall if result else None),
        "reasons": _reasons(audit, result),
        "chart": _element_chart(result),
        "question_groups": question_groups(audit, questions, result),
        "findings": list(selectors.findings_of(audit, user).order_by("position")),
        "approvals": approvals(audit),
    }


def _reasons(audit: Audit, result) -> list[str]:
    if audit.grade:
        return list(audit.downgrade_reasons)
    if result is None:
        return []
    return [reason.message for reason in [*result.not_gradable, *result.downgrades]]


def _element_chart(result) -> str:
    if result is None or not result.elements:
        return ""
    labels = list(result.elements)
    values = [result.elements[label] for label in labels]
    return bar_chart_svg(labels, values, title=_("Element results"), target=80, unit="%")


# --- question scores ------------------------------------------------------------------------------


@dataclass
class ScoredQuestion:
    """One question's score in one process step, as the report prints it.

    ``score`` is the score that counts: the lowest of the auditor's and every finding's on this
    question and step (REFERENCE §4), so the list adds up to the results printed above it.
    """

    question: Question
    score: int | None = None
    not_evaluated: bool = False
    reason: str = ""
    answered_score: int | None = None
    findings: list[str] = field(default_factory=list)

    @property
    def lowered_by_finding(self) -> bool:
        return bool(self.findings) and self.score != self.answered_score


@dataclass
class StepGroup:
    step: str  # empty outside P6 or when the audit names no process steps
    result: object = None
    rows: list[ScoredQuestion] = field(default_factory=list)


@dataclass
class ElementGroup:
    element: str
    result: object = None
    steps: list[StepGroup] = field(default_factory=list)


def question_groups(audit: Audit, questions: list[Question], result) -> list[ElementGroup]:
    """Every question with its score, by element (P2…P7) and, for P6, by process step."""
    if not questions:
        return []
    answers = {(a.question_id, a.step): a for a in Answer.objects.filter(audit=audit)}
    finding_scores = _finding_scores(audit)
    elements = result.elements if result else {}
    steps = result.steps if result else {}
    groups: dict[str, ElementGroup] = {}
    for question in sorted(questions, key=_element_order):
        group = groups.setdefault(
            question.element,
            ElementGroup(question.element, elements.get(question.element)),
        )
        for step in _steps_of(audit, question):
            step_group = next((g for g in group.steps if g.step == step), None)
            if step_group is None:
                step_group = StepGroup(step, steps.get(step) if step else None)
                group.steps.append(step_group)
            key = (question.pk, step)
            step_group.rows.append(_scored(question, answers.get(key), finding_scores[key]))
    return list(groups.values())


def _element_order(question: Question) -> tuple:
    """VDA 6.3 elements in P2…P7 order; other catalogues keep their own order."""
    known = question.element in scoring.ELEMENTS
    rank = scoring.ELEMENTS.index(question.element) if known else len(scoring.ELEMENTS)
    return (rank, question.position)


def _steps_of(audit: Audit, question: Question) -> list[str]:
    # The same rule as the conduct page: P6 once per process step, when the audit names them.
    return audit.process_steps if question.per_step and audit.process_steps else [""]


def _finding_scores(audit: Audit) -> dict[tuple[int, str], list[tuple[str, int]]]:
    scored = (
        Finding.objects.filter(audit=audit, question__isnull=False, score__isnull=False)
        .exclude(status=Finding.Status.CANCELLED)
        .order_by("position")
    )
    scores = defaultdict(list)
    for finding in scored:
        scores[(finding.question_id, finding.step)].append(
            (f"F{finding.position:02d}", finding.score)
        )
    return scores


def _scored(question: Question, answer: Answer | None, findings: list) -> ScoredQuestion:
    answered = answer.score if answer is not None else None
    given = [score for _ref, score in findings]
    if answered is not None:
        given.append(answered)
    return ScoredQuestion(
        question=question,
        score=scoring.lowest(given),
        not_evaluated=bool(answer and answer.not_evaluated and not findings),
        reason=answer.reason if answer is not None else "",
        answered_score=answered,
        findings=[reference for reference, _score in findings],
    )


# --- approval ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    name: str
    role: str
    organisation: str
    meaning: str
    signed_at: object
    signed: bool  # False: recorded on the audit without an electronic signature


def approvals(audit: Audit) -> list[Approval]:
    """Who approved the report and when: the electronic signatures given on approval.

    An audit approved before signatures were recorded still names its approver and the time.
    """
    signed = [
        Approval(s.signer_name, s.signer_role, s.signer_organisation, s.meaning, s.signed_at, True)
        for s in signatures_of(audit)
    ]
    if signed or audit.approved_by_id is None:
        return signed
    approver = audit.approved_by
    return [
        Approval(
            str(approver),
            approver.get_role_display(),
            "",
            _("Audit report approved"),
            audit.approved_at,
            False,
        )
    ]


def attachment_policy(audit: Audit) -> AttachmentPolicy:
    """Evidence files: the auditing customer's rules for their audits, our defaults otherwise."""
    if audit.customer_id:
        return audit.customer.requirements.attachment_policy
    return AttachmentPolicy(
        allowed_types=tuple(defaults.ALLOWED_ATTACHMENT_TYPES),
        max_bytes=defaults.MAX_ATTACHMENT_MB * 1024 * 1024,
    )
