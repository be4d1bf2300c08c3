"""Demo audits: a programme, audits in every state (one graded VDA 6.3 audit), a customer audit.

Everything goes through the services; records that exist already (same title) are left alone.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import demo_clock
from customers.demo import DEMO_PASSWORD
from customers.models import Part, Plant

from . import catalogues, services
from .models import Audit, AuditProgramme, Catalogue, Finding, Process

MANAGER, ENGINEER = "manager@demo.example", "engineer@demo.example"
VDA_EXAMPLE = "Process audit example (VDA 6.3 structure)"
ISO_CHECKLIST = "ISO 9001 clause checklist"

# (name, plant code, shifts, responsible e-mails, part numbers)
PROCESSES = [
    ("Stamping line 1", "HEILBRONN", 3, [ENGINEER], ["HN-21-1020", "HN-21-1030"]),
    ("Casting cell 2", "BRNO", 2, [], ["HN-21-1001", "HN-21-1002"]),
    ("Machining cell 5", "BRNO", 2, [], ["HN-21-1060"]),
    ("Final assembly line 3", "HEILBRONN", 1, [], []),
]

# (title, type, process, status, planned in days from today, catalogue, shifts)
AUDITS = [
    ("QMS system audit, clauses 4 to 10", "system", None, "planned", 40, ISO_CHECKLIST, []),
    (
        "Process audit machining cell 5",
        "process",
        "Machining cell 5",
        "in_preparation",
        7,
        VDA_EXAMPLE,
        [1],
    ),
    (
        "Process audit stamping line 1",
        "process",
        "Stamping line 1",
        "in_progress",
        0,
        VDA_EXAMPLE,
        [2],
    ),
    ("Product audit brake caliper bracket", "product", None, "report_draft", -10, None, [1]),
    (
        "Process audit casting cell 2",
        "process",
        "Casting cell 2",
        "closed",
        -60,
        VDA_EXAMPLE,
        [1, 2],
    ),
    (
        "Process audit final assembly (moved)",
        "process",
        "Final assembly line 3",
        "cancelled",
        20,
        None,
        [],
    ),
]
CUSTOMER_AUDIT = "Autowerk potential analysis follow-up"
# The process steps a VDA 6.3 audit scores P6 for: those of the line it audits, in flow order.
PROCESS_STEPS = {
    "Stamping line 1": ["Blanking", "Stamping", "Trimming", "Inspection"],
    "Casting cell 2": ["Melting", "Casting", "Fettling"],
    "Machining cell 5": ["Turning", "Milling", "Deburring", "Washing"],
    "Final assembly line 3": ["Pre-assembly", "Final assembly", "End-of-line test", "Packing"],
}
# When each step of an audit happens, in days from the audit day: planned a month ahead, prepared
# the week before, the report drafted two days after and approved within the week.
PLANNED_BEFORE = -30
ACTION_DAYS = {"prepare": -7, "start": 0, "draft_report": 2, "approve_report": 5, "cancel": -14}
PATH = {
    "planned": [],
    "in_preparation": ["prepare"],
    "in_progress": ["prepare", "start"],
    "report_draft": ["prepare", "start", "draft_report"],
    "closed": ["prepare", "start", "draft_report", "approve_report"],
    "cancelled": ["cancel"],
}


@transaction.atomic
def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    manager, engineer = users.get(MANAGER), users.get(ENGINEER)
    if manager is None or engineer is None:
        return
    catalogues.load_shipped(actor=manager)
    processes = {}
    for name, *spec in PROCESSES:
        processes[name] = _process(spec, name=name)
    programme = AuditProgramme.objects.filter(year=today.year).first() or services.programme_create(
        actor=manager, year=today.year, title=f"Audit programme {today.year}"
    )
    created = 0
    for title, kind, process, status, days, catalogue, shifts in AUDITS:
        if Audit.objects.filter(title=title).exists():
            continue
        planned_date = today + dt.timedelta(days=days)
        with demo_clock.at(_moment(planned_date, PLANNED_BEFORE)):
            audit = services.audit_plan(
                actor=manager,
                type=kind,
                title=title,
                programme=programme,
                process=processes.get(process),
                part=Part.objects.filter(part_number="HN-21-1001").first()
                if kind == "product"
                else None,
                planned_date=today + dt.timedelta(days=days),
                catalogue=Catalogue.objects.filter(name=catalogue).first() if catalogue else None,
                shifts_audited=shifts,
                process_steps=PROCESS_STEPS.get(process, []) if catalogue == VDA_EXAMPLE else [],
                lead_auditor=manager if process == "Stamping line 1" else engineer,
                scope=f"{title}: all shifts listed, work instructions, inspection and handling.",
            )
        _take(audit, status, manager, engineer)
        created += 1
    created += _customer_audit(manager, engineer, today)
    if stdout is not None:
        stdout.write(f"Demo audits: {created} created.")


def summary(*, stdout) -> None:
    open_findings = Finding.objects.open().count()
    stdout.write(f"{Audit.objects.count()} audits, {open_findings} open findings.")


def _process(spec, *, name: str = "") -> Process | None:
    plant_code, shifts, responsible, part_numbers = spec
    plant = Plant.objects.filter(code=plant_code).first()
    if plant is None:
        return None
    process, made = Process.objects.get_or_create(
        name=name, plant=plant, defaults={"shifts": shifts}
    )
    if made:
        process.responsible.set(User.objects.filter(email__in=responsible))
        process.parts.set(Part.objects.filter(part_number__in=part_numbers))
    return process


def _take(audit: Audit, status: str, manager, engineer) -> None:
    for action in PATH[status]:
        with demo_clock.at(_moment(audit.planned_date, ACTION_DAYS[action])):
            _act(audit, action, manager, engineer)
    if status == "in_progress":
        with demo_clock.at(_moment(audit.planned_date, ACTION_DAYS["start"] + 0.1)):
            _answer_all(audit, engineer, limit=6)


def _act(audit: Audit, action: str, manager, engineer) -> None:
    if action == "draft_report":
        _answer_all(audit, engineer)
        services.audit_summary_save(
            audit=audit, actor=engineer, summary="Stable process; two findings on inspection."
        )
    comment = "Moved to next year's programme." if action == "cancel" else ""
    services.audit_transition(
        audit=audit, actor=manager, action=action, comment=comment, password=DEMO_PASSWORD
    )


def _moment(day: dt.date, days_after: float) -> dt.datetime:
    """``days_after`` the audit day's morning (negative: before it), in the portal's zone."""
    morning = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    return morning + dt.timedelta(days=days_after)


def _answer_all(audit: Audit, engineer, limit: int | None = None) -> None:
    """Scores that give a graded result with a downgrade reason to read (a *-question at 4)."""
    if audit.catalogue_id is None:
        return
    questions = list(audit.catalogue.questions.order_by("position"))[:limit]
    for number, question in enumerate(questions):
        steps = audit.process_steps if question.per_step else [""]
        for step in steps:
            score = 4 if question.star and question.element == "P5" else (10 if number % 3 else 8)
            services.answer_save(
                audit=audit, question=question, actor=engineer, step=step, score=score
            )
    if questions and limit is None:
        services.finding_raise(
            audit=audit,
            actor=engineer,
            classification="minor",
            description="Supplier requirements passed on without the latest drawing revision.",
            question=next((q for q in questions if q.star and q.element == "P5"), None),
            score=4,
        )


def _customer_audit(manager, engineer, today: dt.date) -> int:
    if Audit.objects.filter(title=CUSTOMER_AUDIT).exists():
        return 0
    from customers.models import Customer

    customer = Customer.objects.filter(code="AUTOWERK").first()
    if customer is None:
        return 0
    audit = services.audit_plan(
        actor=manager,
        type=Audit.Type.CUSTOMER,
        customer=customer,
        title=CUSTOMER_AUDIT,
        planned_date=today - dt.timedelta(days=20),
        external_auditors="Katrin Vogel (Autowerk SQE)",
        scope="Casting cell 2 and outgoing inspection for the brake caliper brackets.",
        lead_auditor=engineer,
    )
    for action in ("prepare", "start"):
        audit = services.audit_transition(
            audit=audit, actor=manager, action=action, password=DEMO_PASSWORD
        )
    raise_finding = partial(services.finding_raise, audit=audit, actor=engineer)
    major = raise_finding(
        classification="major",
        description="Porosity test frequency below the control plan on night shift.",
        requirement="Control plan CP-1001 rev. C",
    )
    minor = raise_finding(
        classification="minor",
        description="Two gauges at outgoing inspection past their calibration date.",
    )
    raise_finding(
        classification="ofi", description="Visual aids for fettling could show the limit samples."
    )
    add_action = partial(services.finding_action_add, actor=engineer, owner=engineer)
    add_action(
        finding=minor,
        title="Calibrate gauges G-114 and G-118",
        due_date=today - dt.timedelta(days=2),
    )
    services.finding_respond(
        finding=minor,
        actor=engineer,
        correction="Gauges calibrated and re-checked.",
        root_cause="Calibration plan missed gauges moved between cells.",
        effectiveness="Calibration plan audited: all gauges listed.",
    )
    add_action(
        finding=major,
        title="Porosity test every 2 hours on all shifts",
        due_date=today + dt.timedelta(days=20),
    )
    return 1
