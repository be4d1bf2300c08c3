"""Reads for the audit lists, the conduct page, the live result and the programme coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import INTERNAL_ROLES
from claims.selectors import claim_counts_by_part
from core.figures import Figure
from core.models import Attachment
from core.selectors import count_per_row
from core.waiting import WAITING_ITEMS, Party, count_waiting_for, first_waiting_for

from . import scoring
from .models import (
    Answer,
    Audit,
    AuditEvent,
    Finding,
    Process,
    Question,
    open_finding,
    overdue_finding,
)
from .workflow import PLAN

# IATF 16949 9.2.2.1: every process is audited within a three-year cycle.
CYCLE_YEARS = 3
RECENT_CLAIMS_DAYS = 365
INTERNAL_TYPES = (Audit.Type.SYSTEM, Audit.Type.PROCESS, Audit.Type.PRODUCT)


def audits_for_list(user) -> QuerySet[Audit]:
    return (
        Audit.objects.visible_to(user)
        .with_related()
        .annotate(open_findings=count_per_row(Finding.objects.open(), link="audit"))
        .order_by("-planned_date", "-pk")
    )


def findings_for_list(user) -> QuerySet[Finding]:
    return Finding.objects.visible_to(user).with_related().order_by("-raised_at", "-pk")


def findings_of(audit: Audit, user) -> QuerySet[Finding]:
    return (
        Finding.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("question", "customer")  # the customer: whose turn it is names them
    )


def events_for(audit: Audit, user) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.visible_to(user).filter(audit=audit).select_related("actor", "finding")
    )


def auditors() -> QuerySet:
    """Our active staff, the people who can be put on an audit team."""
    return get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES)


# --- scoring -------------------------------------------------------------------------------------


def questions_of(audit: Audit) -> list[Question]:
    if audit.catalogue_id is None:
        return []
    return list(audit.catalogue.questions.order_by("position"))


def audit_result(audit: Audit, questions: list[Question] | None = None) -> scoring.Result | None:
    """The live VDA 6.3 result of an audit, from its answers and its findings' scores."""
    if audit.catalogue_id is None or not audit.catalogue.is_vda63:
        return None
    questions = questions if questions is not None else questions_of(audit)
    return scoring.evaluate(
        [scoring.Question(q.code, q.element, q.sub_element, q.star) for q in questions],
        evaluations(audit, {q.pk: q.code for q in questions}),
    )


def evaluations(audit: Audit, codes: dict[int, str]) -> list[scoring.Evaluation]:
    scores: dict[tuple[str, str], list[int]] = defaultdict(list)
    for answer in Answer.objects.filter(audit=audit, score__isnull=False):
        scores[(codes[answer.question_id], answer.step)].append(answer.score)
    findings = Finding.objects.filter(audit=audit, score__isnull=False, question__isnull=False)
    for finding in findings.exclude(status=Finding.Status.CANCELLED):
        scores[(codes[finding.question_id], finding.step)].append(finding.score)
    return [scoring.Evaluation(code, tuple(given), step) for (code, step), given in scores.items()]


@dataclass
class Card:
    """One question on the conduct page, with its answers per process step."""

    question: Question
    rows: list[dict] = field(default_factory=list)


def conduct_cards(audit: Audit) -> list[Card]:
    """The conduct page's cards: answers, finding counts and evidence files in four queries."""
    questions = questions_of(audit)
    rows = Answer.objects.filter(audit=audit).select_related("answered_by")
    answers = {(a.question_id, a.step): a for a in rows}
    evidence = _evidence_of([answer.pk for answer in answers.values()])
    counts = defaultdict(int)
    for finding in Finding.objects.filter(audit=audit, question__isnull=False):
        counts[(finding.question_id, finding.step)] += 1
    cards = []
    for question in questions:
        steps = audit.process_steps if question.per_step and audit.process_steps else [""]
        card = Card(question)
        for step in steps:
            card.rows.append(
                {
                    "step": step,
                    "answer": answers.get((question.pk, step)),
                    "findings": counts[(question.pk, step)],
                    "evidence": evidence.get(
                        getattr(answers.get((question.pk, step)), "pk", None), []
                    ),
                }
            )
        cards.append(card)
    return cards


def _evidence_of(answer_ids: list[int]) -> dict[int, list[Attachment]]:
    files: dict[int, list[Attachment]] = defaultdict(list)
    if not answer_ids:
        return files
    content_type = ContentType.objects.get_for_model(Answer)
    for attachment in Attachment.objects.filter(
        content_type=content_type, object_id__in=answer_ids
    ):
        files[attachment.object_id].append(attachment)
    return files


# --- programme coverage --------------------------------------------------------------------------


@dataclass
class CoverageRow:
    process: Process
    last_audit: Audit | None
    shifts_audited: list[int]
    recent_claims: int
    flags: list[str]


def coverage(today: dt.date | None = None) -> list[CoverageRow]:
    """Every active process with what the programme still owes it (three queries in all).

    Flags: ``not_audited`` in the current three-year cycle, ``one_shift`` audited on one shift
    only although it runs on more, ``claims`` customer claims on its parts in the last year.
    """
    today = today or timezone.localdate()
    cycle_start = dt.date(today.year - CYCLE_YEARS + 1, 1, 1)
    processes = list(
        Process.objects.filter(is_active=True).select_related("plant").prefetch_related("parts")
    )
    audits = (
        Audit.objects.filter(
            type__in=INTERNAL_TYPES, process__in=processes, planned_date__gte=cycle_start
        )
        .exclude(status__in=(Audit.Status.CANCELLED, Audit.Status.PLANNED))
        .order_by("-planned_date")
    )
    by_process: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        by_process[audit.process_id].append(audit)
    since = timezone.now() - dt.timedelta(days=RECENT_CLAIMS_DAYS)
    part_ids = {part.pk for process in processes for part in process.parts.all()}
    claims = claim_counts_by_part(part_ids, since=since)
    rows = [_coverage_row(process, by_process[process.pk], claims) for process in processes]
    return sorted(rows, key=lambda row: (-len(row.flags), -row.recent_claims, row.process.name))


def _coverage_row(process: Process, audits: list[Audit], claims: dict[int, int]) -> CoverageRow:
    shifts = sorted({shift for audit in audits for shift in audit.shifts_audited})
    recent = sum(claims.get(part.pk, 0) for part in process.parts.all())
    flags = []
    if not audits:
        flags.append("not_audited")
    elif process.shifts > 1 and len(shifts) <= 1:
        flags.append("one_shift")
    if recent:
        flags.append("claims")
    return CoverageRow(process, audits[0] if audits else None, shifts, recent, flags)


def kpi_figures(start, end, *, customer_id=None, plant_id=None, today=None) -> list[Figure]:
    """Audit key figures for the dashboard and the monthly report (REFERENCE §5 "audit results").

    For one customer: the audits that customer made of us and their findings.
    """
    audits = Audit.objects.all()
    findings = Finding.objects.all()
    if customer_id is not None:
        audits = audits.filter(customer_id=customer_id)
        findings = findings.filter(customer_id=customer_id)
    if plant_id is not None:
        audits = audits.filter(process__plant_id=plant_id)
        findings = findings.filter(audit__process__plant_id=plant_id)
    closed = audits.filter(approved_at__gte=start, approved_at__lt=end)
    counts = findings.aggregate(
        open=Count("pk", filter=open_finding()), overdue=Count("pk", filter=overdue_finding())
    )
    latest_grade = (
        audits.exclude(grade="").filter(approved_at__lt=end).order_by("-approved_at", "-pk")
    ).values_list("grade", flat=True)[:1]
    return [
        Figure("audits_closed", _("Audit reports approved in the month"), closed.count()),
        Figure("latest_grade", _("Latest VDA 6.3 grade"), next(iter(latest_grade), None)),
        Figure("open_findings", _("Open findings"), counts["open"]),
        Figure("overdue_findings", _("Overdue nonconformities"), counts["overdue"]),
    ]


# --- whose turn it is (audits.waiting), for the home pages ---------------------------------------


# What the home pages count as waiting, under the key each count is given.
COUNTED_WAITING = {"audits": Audit, "findings": Finding}


def count_waiting(user, party: str) -> dict[str, int]:
    """How many audits and findings wait for ``party``."""
    return {key: count_waiting_for(model, user, party) for key, model in COUNTED_WAITING.items()}


def findings_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[Finding]:
    findings = Finding.objects.visible_to(user).with_related()
    return first_waiting_for(findings, party, "responded_at", limit)


def reports_to_approve(user, limit: int = WAITING_ITEMS) -> list[Audit]:
    """Drafted reports that wait for an approving signature, for those who may give it."""
    if not user.has_capability(PLAN):
        return []
    drafted = Audit.objects.visible_to(user).with_related().filter(status=Audit.Status.REPORT_DRAFT)
    return first_waiting_for(drafted, Party.US, limit=limit)
