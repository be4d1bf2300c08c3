"""Demo CSR register: Autowerk's CSR document in two revisions (the second changing, adding and
removing clauses) and Brenner's, each clause mapped to our processes and controlled documents.

``seed()`` is idempotent: a CSR document is looked up by its customer, reference and revision,
and only a missing one is recorded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from customers.models import Customer
from documents.models import Document

from . import services
from .models import Clause, ClauseStatus, CsrDocument

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"

AUTOWERK_CLAUSES = [
    (
        "4.3.2",
        "Customer-specific requirements",
        "The supplier keeps a register of these requirements and maps each to its QMS.",
    ),
    (
        "8.3.3.3",
        "Special characteristics",
        "Special characteristics are marked in drawings, PFMEA and control plan with the "
        "Autowerk symbols.",
    ),
    (
        "8.7.1.4",
        "Control of reworked product",
        "Rework needs the customer's written approval before it starts.",
    ),
    (
        "10.2.3",
        "Problem solving",
        "Claims are answered with an 8D: D3 within 24 hours, D8 within 60 days.",
    ),
]
# Revision 2025: 8.3.3.3 changed, 8.7.1.4 removed, 9.1.2.1 added.
AUTOWERK_2025 = [
    AUTOWERK_CLAUSES[0],
    (
        "8.3.3.3",
        "Special characteristics",
        "Special characteristics are marked in drawings, PFMEA, control plan and work instructions "
        "with the Autowerk symbols; their capability is reported quarterly.",
    ),
    AUTOWERK_CLAUSES[3],
    (
        "9.1.2.1",
        "Customer satisfaction",
        "The supplier reviews the Autowerk scorecard monthly and acts on every red field.",
    ),
]
BRENNER_CLAUSES = [
    ("1.1", "PPAP", "Every new part and change is submitted at PPAP level 3 unless agreed."),
    ("2.4", "Labelling", "Shipping labels follow the Brenner AIAG B-10 format."),
    ("3.2", "Paint appearance", "Class A surfaces are approved against the master panel."),
]

NOT_APPLICABLE = {
    "8.7.1.4": "We do not rework parts for Autowerk: nonconforming parts are scrapped."
}


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__in=[ENGINEER, MANAGER])}
    customers = {c.code: c for c in Customer.objects.filter(code__in=["AUTOWERK", "BRENNER"])}
    if len(users) < 2 or len(customers) < 2:
        return
    engineer, manager = users[ENGINEER], users[MANAGER]
    created = 0
    with transaction.atomic():
        autowerk = _document(
            customers["AUTOWERK"],
            "AW-CSR-IATF",
            "2023",
            "Autowerk CSR for IATF 16949",
            today - dt.timedelta(days=700),
            AUTOWERK_CLAUSES,
            engineer,
            manager,
        )
        if autowerk is not None:
            created += 1
            _map_all(autowerk, engineer)
            if not CsrDocument.objects.filter(previous=autowerk).exists():
                services.csr_revise(
                    document=autowerk,
                    actor=engineer,
                    revision="2025",
                    issued_on=today - dt.timedelta(days=20),
                    clauses=[{"number": n, "title": t, "text": x} for n, t, x in AUTOWERK_2025],
                )
                created += 1
        brenner = _document(
            customers["BRENNER"],
            "BM-SQM-01",
            "C",
            "Brenner supplier quality manual",
            today - dt.timedelta(days=300),
            BRENNER_CLAUSES,
            engineer,
            manager,
        )
        if brenner is not None:
            created += 1
            _map_all(brenner, engineer)
    if stdout is not None:
        stdout.write(f"Demo CSR documents: {created} created.")


def summary(*, stdout) -> None:
    stdout.write(f"{CsrDocument.objects.count()} CSR documents in the register.")


def _document(customer, reference, revision, title, issued_on, clauses, engineer, manager):
    """The demo document, created with its clauses; None when it is already there."""
    if CsrDocument.objects.filter(customer=customer, reference=reference).exists():
        return None
    document = services.csr_create(
        actor=engineer,
        customer=customer,
        title=title,
        reference=reference,
        revision=revision,
        issued_on=issued_on,
        owner=manager,
    )
    for number, clause_title, text in clauses:
        services.clause_add(
            document=document, actor=engineer, number=number, title=clause_title, text=text
        )
    return document


def _map_all(document: CsrDocument, engineer) -> None:
    """Every clause mapped: to a controlled document of the customer's where there is one; the
    rework clause does not apply to us."""
    fulfilling = Document.objects.filter(customer=document.customer).order_by("number").first()
    clauses = list(Clause.objects.filter(document=document).order_by("sort_key"))
    for clause in clauses:
        reason = NOT_APPLICABLE.get(clause.number, "")
        services.clause_map(
            clause=clause,
            actor=engineer,
            status=ClauseStatus.NOT_APPLICABLE if reason else ClauseStatus.IMPLEMENTED,
            fulfilled_by=None if reason else fulfilling,
            process="" if reason else "Quality management",
            owner=engineer,
            not_applicable_reason=reason,
        )
