"""The audit report PDF read back: every question's score by element and step, the approver."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import DEFAULT_PASSWORD
from audits import documents, services
from audits.models import Audit
from audits.tests import factories as f

pytestmark = pytest.mark.django_db

STEPS = ["Pressing", "Welding"]
# The auditor's score per question and process step ("" outside P6); None: not evaluated.
SCORES = {
    ("P5.1", ""): 8,
    ("P5.2", ""): 10,  # lowered to 4 by a finding
    ("P5.3", ""): None,
    ("P6.1", "Pressing"): 10,
    ("P6.1", "Welding"): 6,
    ("P6.2", "Pressing"): 8,
    ("P6.2", "Welding"): 10,
    ("P7.1", ""): 10,
    ("P7.2", ""): 6,
    ("P7.3", ""): 8,
}


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def scored_audit(manager):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue(), process_steps=STEPS)
    questions = {q.code: q for q in audit.catalogue.questions.all()}
    for (code, step), score in SCORES.items():
        services.answer_save(
            audit=audit,
            question=questions[code],
            actor=manager,
            step=step,
            score=score,
            not_evaluated=score is None,
            reason="Not installed yet" if score is None else "",
        )
    services.finding_raise(
        audit=audit,
        actor=manager,
        classification="minor",
        description="Drawing revision missing",
        question=questions["P5.2"],
        score=4,
    )
    services.finding_raise(
        audit=audit,
        actor=manager,
        classification="observation",
        description="Welding parameters not logged",
        question=questions["P6.1"],
        step="Welding",
        score=4,
    )
    return audit


def approved(audit, manager):
    services.audit_summary_save(audit=audit, actor=manager, summary="Two gaps in P5.")
    services.audit_transition(audit=audit, actor=manager, action="draft_report")
    audit.refresh_from_db()
    services.audit_transition(
        audit=audit, actor=manager, action="approve_report", password=DEFAULT_PASSWORD
    )
    audit.refresh_from_db()
    return audit


def question_lines(text: str) -> dict[tuple[str, str], str]:
    """Each question's score as printed, keyed by (code, process step).

    A row reads "<code> <question> <score>"; notes under the question push the score onto a line
    of its own.
    """
    section = text.split("Question scores", 1)[1].split("Findings", 1)[0]
    found, step, code = {}, "", None
    for line in section.splitlines():
        heading = re.match(r"Process step (\w+)", line)
        if heading:
            step = heading.group(1)
            continue
        row = re.match(r"(P\d\.\d)\*?\s", line)
        if row:
            code = row.group(1)
        score = re.search(r"(?:^|\s)(10|8|6|4|0|n\.e\.|–)$", line.strip())
        if code and score:
            found[(code, step if code.startswith("P6") else "")] = score.group(1)
            code = None
    return found


def test_report_prints_every_question_score_by_element_and_step(manager):
    audit = scored_audit(manager)
    text = "\n".join(pdf_pages(documents.render_audit_report(audit, manager)))

    printed = question_lines(text)
    expected = {key: "n.e." if score is None else str(score) for key, score in SCORES.items()}
    # A finding's lower score counts, in its own process step only.
    expected[("P5.2", "")] = expected[("P6.1", "Welding")] = "4"
    assert printed == expected
    assert "Auditor's score 10, lowered by finding F01" in text
    assert "Auditor's score 6, lowered by finding F02" in text
    assert "Not evaluated: Not installed yet" in text
    for element in ("P5", "P6", "P7"):
        assert re.search(rf"^{element} · \d+\.\d\d %", text, re.MULTILINE), element
    assert "Suppliers approved?" in text  # the question's wording beside its code
    assert "The report is not approved yet" in text


def test_approved_report_names_the_approver_and_when(manager):
    audit = approved(scored_audit(manager), manager)
    text = "\n".join(pdf_pages(documents.render_audit_report(audit, manager)))

    approval = text.split("Report approval", 1)[1]
    assert "SIGNED ELECTRONICALLY" in approval  # the label is set in capitals
    assert manager.full_name in approval and "Quality manager" in approval
    signed_at = timezone.localtime(audit.approved_at)
    assert f"Audit report approved · {signed_at:%-d %b %Y, %H:%M}" in approval
    assert "not approved yet" not in text


def test_approval_recorded_without_a_signature_still_names_the_approver(manager):
    """Audits closed before approvals were signed carry only the approver and the time."""
    audit = f.started(actor=manager)
    approved_at = timezone.now()
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.CLOSED, approved_by=manager, approved_at=approved_at
    )
    audit.refresh_from_db()

    text = "\n".join(pdf_pages(documents.render_audit_report(audit, manager)))
    approval = text.split("Report approval", 1)[1]
    assert "APPROVED" in approval and "SIGNED ELECTRONICALLY" not in approval
    assert manager.full_name in approval
