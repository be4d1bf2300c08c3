"""One customer's audits and findings: the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations

import datetime as dt

from audits import services as audits
from audits.catalogues import catalogue_import
from audits.models import Audit, Process
from audits.tests.factories import SMALL_VDA


def build(side, *, engineer, manager) -> None:
    """Create one record of every kind of the module for ``side`` through the real services."""
    marker = side.secret
    catalogue = catalogue_import(
        actor=manager, name=f"{marker} catalogue", version="1", kind="vda63", rows=SMALL_VDA
    )
    process = Process.objects.create(name=f"{marker} pressing", plant=side.part.plant, shifts=2)
    audit = audits.audit_plan(
        actor=manager,
        type=Audit.Type.CUSTOMER,
        customer=side.customer,
        title=f"{marker} customer audit",
        scope=f"{marker} scope",
        planned_date=dt.date.today(),
        catalogue=catalogue,
        process=process,
        process_steps=["Pressing"],
        lead_auditor=engineer,
        external_auditors=f"{marker} auditor",
    )
    for action in ("prepare", "start"):
        audit = audits.audit_transition(audit=audit, actor=manager, action=action)
    question = catalogue.questions.get(code="P7.1")
    answer = audits.answer_save(
        audit=audit, question=question, actor=engineer, score=8, note=f"{marker} note"
    )
    finding = audits.finding_raise(
        audit=audit,
        actor=engineer,
        classification="minor",
        description=f"{marker} finding",
        question=question,
        score=6,
    )
    side.extra.update(
        audit=audit,
        audit_question=question,
        audit_answer=answer,
        audit_finding=finding,
        audit_catalogue=catalogue,
    )
