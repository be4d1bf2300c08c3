"""Audits built through the real services, for tests, the demo and the isolation sweep."""

from __future__ import annotations

import datetime as dt
import itertools

from audits import services
from audits.catalogues import catalogue_import
from audits.models import Audit, Catalogue, Process
from customers.tests.factories import PlantFactory

_names = itertools.count(1)

# A small VDA 6.3 catalogue: three questions in P5 and P7, two P6 questions (U1, U2), one star.
SMALL_VDA = [
    {"code": "P5.1", "element": "P5", "text": "Suppliers approved?"},
    {"code": "P5.2", "element": "P5", "star": True, "text": "Requirements passed on?"},
    {"code": "P5.3", "element": "P5", "text": "Incoming goods stored well?"},
    {"code": "P6.1", "element": "P6", "sub_element": "U1", "text": "Inputs correct?"},
    {"code": "P6.2", "element": "P6", "sub_element": "U2", "text": "Instructions followed?"},
    {"code": "P7.1", "element": "P7", "text": "Customer requirements met?"},
    {"code": "P7.2", "element": "P7", "text": "Complaints handled?"},
    {"code": "P7.3", "element": "P7", "text": "Emergency plans?"},
]


def vda_catalogue(version: str = "") -> Catalogue:
    return catalogue_import(
        actor=None,
        name="Test VDA 6.3",
        version=version or f"t{next(_names)}",
        kind=Catalogue.Kind.VDA_63,
        rows=SMALL_VDA,
    )


def process(*, responsible=(), shifts: int = 2, parts=(), name: str = "") -> Process:
    plant = PlantFactory()
    made = Process.objects.create(
        name=name or f"Pressing {next(_names)}", plant=plant, shifts=shifts
    )
    made.responsible.set(responsible)
    made.parts.set(parts)
    return made


def plan(*, actor, type: str = Audit.Type.PROCESS, customer=None, team=(), **fields) -> Audit:
    if type == Audit.Type.PROCESS and "process" not in fields:
        fields["process"] = process()
    fields.setdefault("title", "Process audit pressing")
    fields.setdefault("planned_date", dt.date(2026, 5, 4))
    return services.audit_plan(actor=actor, type=type, customer=customer, team=team, **fields)


def started(*, actor, **fields) -> Audit:
    """An audit in progress (prepared and started by ``actor``)."""
    audit = plan(actor=actor, **fields)
    for action in ("prepare", "start"):
        audit = services.audit_transition(audit=audit, actor=actor, action=action)
    return audit


def customer_audit(*, actor, customer, **fields) -> Audit:
    fields.setdefault("title", "Customer process audit")
    fields.setdefault("external_auditors", "Customer SQE")
    return started(actor=actor, type=Audit.Type.CUSTOMER, customer=customer, **fields)
