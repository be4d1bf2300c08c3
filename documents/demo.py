"""Demo controlled documents: the PFMEA and the control plan of a demo part in three revisions
each (A and B superseded, C in effect), a work instruction in review and a customer
specification released to the part's customer; one open claim's D7 names the PFMEA's revision
C, and the part's finished 8Ds the revisions that carried their updates.

``seed()`` is idempotent: a document is looked up by its number and only a missing one is made.
Each step runs through the services at the moment it would have happened (``core.demo_clock``),
so the timeline, the history and the effective dates read like a real past. The files are small
real PDFs, rendered with WeasyPrint at seed time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from claims.models import Claim, EightDStep
from core import demo_clock
from core.pdf import html_to_pdf
from customers.demo import DEMO_PASSWORD
from customers.models import Part

from . import services
from .models import Document, EightDDocumentUpdate, Revision
from .selectors import notification_day

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"
PART_NUMBER = "HN-21-1002"


@dataclass(frozen=True)
class DemoRevision:
    change: str
    days_ago: int  # the day it was approved (and came into effect)


@dataclass(frozen=True)
class DemoDocument:
    number: str
    kind: str
    title: str
    revisions: tuple[DemoRevision, ...]
    released: bool = False  # released to the part's customer
    in_review: str = ""  # the change of a last revision sent for review, not approved yet
    process: str = ""


def _documents(part: Part) -> list[DemoDocument]:
    history = (
        DemoRevision("First issue for series production (PPAP).", 420),
        DemoRevision(
            "Porosity in the housing wall added as failure mode, X-ray sample per batch as "
            "detection (8D AW-QN-2026-0043).",
            55,
        ),
        DemoRevision(
            "Burr on the mounting bore added as failure mode with brush wear monitoring as "
            "prevention (8D of the burr claims).",
            6,
        ),
    )
    plan = (
        DemoRevision("First issue for series production (PPAP).", 420),
        DemoRevision("X-ray sample per batch for housing wall porosity (8D AW-QN-2026-0043).", 55),
        DemoRevision("100 % bore inspection while the controlled shipping is in force.", 6),
    )
    return [
        DemoDocument(
            f"PFMEA-{part.part_number}",
            Document.Kind.PFMEA,
            f"PFMEA {part.description}",
            history,
            process="Punching, deburring, bore machining",
        ),
        DemoDocument(
            f"CP-{part.part_number}",
            Document.Kind.CONTROL_PLAN,
            f"Control plan {part.description}",
            plan,
            released=True,
            process="Punching, deburring, bore machining",
        ),
        DemoDocument(
            f"WI-{part.part_number}-04",
            Document.Kind.WORK_INSTRUCTION,
            "Changing the deburring brush on line 4",
            (DemoRevision("First issue.", 200),),
            in_review="Brush change now triggered by the wear monitor, not by the shift count.",
            process="Deburring",
        ),
        DemoDocument(
            f"CS-{part.customer.code}-Q-101",
            Document.Kind.CUSTOMER_SPECIFICATION,
            f"{part.customer.name} supplier quality manual, section 8",
            (DemoRevision("Issue 2026 of the customer's manual.", 90),),
            released=True,
        ),
    ]


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__in=[ENGINEER, MANAGER])}
    part = Part.objects.select_related("customer").filter(part_number=PART_NUMBER).first()
    if ENGINEER not in users or MANAGER not in users or part is None:
        return
    specs = _documents(part)
    created = 0
    for spec in specs:
        if Document.objects.filter(number=spec.number).exists():
            continue
        with transaction.atomic():
            _record(spec, part, users[ENGINEER], users[MANAGER], today)
        created += 1
    _link_finished_8ds(part, users[ENGINEER])
    linked = _link_a_claim(part, users[ENGINEER], specs[0].number)
    if stdout is not None:
        stdout.write(
            f"Demo documents: {created} created, {len(specs) - created} already there"
            f"{', one 8D linked' if linked else ''}."
        )


def summary(*, stdout) -> None:
    documents = Document.objects.filter(number__in=[spec.number for spec in _all_specs()])
    stdout.write(f"{documents.count()} demo controlled documents.")


def _all_specs() -> list[DemoDocument]:
    part = Part.objects.select_related("customer").filter(part_number=PART_NUMBER).first()
    return _documents(part) if part is not None else []


def _moment(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _record(spec: DemoDocument, part: Part, engineer, manager, today: dt.date) -> None:
    first = spec.revisions[0].days_ago + 5
    with demo_clock.at(_moment(today, first, 9)):
        document = services.document_create(
            actor=engineer,
            number=spec.number,
            kind=spec.kind,
            title=spec.title,
            customer=part.customer if spec.released else None,
            plant=part.plant,
            parts=[part],
            process=spec.process,
        )
    for revision in spec.revisions:
        _approved(document, revision, engineer, manager, today)
    if spec.in_review:
        with demo_clock.at(_moment(today, 2, 10)):
            draft = _draft(document, spec.in_review, engineer, manager)
            services.revision_submit(revision=draft, actor=engineer)


def _draft(document: Document, change: str, engineer, manager) -> Revision:
    letters = list(document.revisions.values_list("letter", flat=True))
    letter = services.next_letter(letters)
    return services.revision_start(
        document=document,
        actor=engineer,
        change_description=change,
        reviewers=[manager],
        upload=_pdf(document, letter, change),
    )


def _approved(document: Document, spec: DemoRevision, engineer, manager, today: dt.date) -> None:
    with demo_clock.at(_moment(today, spec.days_ago + 3, 9)):
        revision = _draft(document, spec.change, engineer, manager)
        services.revision_submit(revision=revision, actor=engineer)
    with demo_clock.at(_moment(today, spec.days_ago + 1, 11)):
        services.review_record(revision=revision, actor=manager, decision="approved")
    with demo_clock.at(_moment(today, spec.days_ago, 8)):
        services.revision_approve(
            revision=revision,
            actor=manager,
            password=DEMO_PASSWORD,
            on=today - dt.timedelta(days=spec.days_ago),
        )


def _link_finished_8ds(part: Part, engineer) -> None:
    """The part's claims whose D7 (submitted before the register held the part's documents)
    says the PFMEA or control plan was updated name the revision that carried the update: the
    first one in effect on or after the claim's notification.

    The link is written as the history it is: past the D7's lock, which the service keeps for
    the work of today (``services.eightd_link_add``).
    """
    steps = EightDStep.objects.filter(
        code="D7", status__in=services.D7_LOCKED, claim__part=part
    ).select_related("claim__customer")
    for step in steps:
        for kind in (Document.Kind.PFMEA, Document.Kind.CONTROL_PLAN):
            if step.content.get(kind) != "updated":
                continue
            day = notification_day(step.claim)
            revision = (
                Revision.objects.in_force_since(day)
                .filter(document__kind=kind, document__parts=part)
                .order_by("effective_on")
                .first()
            )
            if revision is not None:
                EightDDocumentUpdate.objects.get_or_create(
                    claim=step.claim,
                    revision=revision,
                    defaults={"customer_id": step.claim.customer_id, "linked_by": engineer},
                )


def _link_a_claim(part: Part, engineer, pfmea_number: str) -> bool:
    """The newest open claim of the part's customer whose D7 is still worked on names the
    PFMEA's revision in effect."""
    document = Document.objects.filter(number=pfmea_number).first()
    current = document.current_revision if document is not None else None
    if current is None or current.eightd_links.exists():
        return False
    locked = EightDStep.objects.filter(code="D7", status__in=services.D7_LOCKED)
    claims = (
        Claim.objects.filter(customer=part.customer)
        .exclude(status__in=Claim.FINAL_STATUSES)
        .exclude(pk__in=locked.values("claim_id"))
        .order_by("-notified_at")
    )
    claim = claims.filter(part=part).first() or claims.first()
    if claim is None:
        return False
    services.eightd_link_add(claim=claim, revision=current, actor=engineer)
    return True


def _pdf(document: Document, letter: str, change: str) -> SimpleUploadedFile:
    """A one-page PDF that reads like the document: number, title, revision and the change."""
    html = f"""<!doctype html><html><head><style>
    @page {{ size: A4; margin: 20mm; }}
    html {{ font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; }}
    h1 {{ font-size: 16pt; margin: 0 0 4mm; }}
    table {{ border-collapse: collapse; width: 100%; margin-top: 6mm; }}
    td, th {{ border: 1px solid #999; padding: 2mm; text-align: left; }}
    </style></head><body>
    <h1>{escape(document.title)}</h1>
    <p>{escape(document.number)} · {escape(document.get_kind_display())} · Rev. {escape(letter)}</p>
    <table><tr><th>Revision</th><th>Change</th></tr>
    <tr><td>{escape(letter)}</td><td>{escape(change)}</td></tr></table>
    </body></html>"""
    name = f"{document.number}-rev-{letter}.pdf"
    return SimpleUploadedFile(name, html_to_pdf(html), content_type="application/pdf")
