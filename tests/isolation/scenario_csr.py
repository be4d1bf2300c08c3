"""One customer's CSR register: the isolation sweep keeps its records in ``side.extra``."""

from __future__ import annotations

import datetime as dt

from csr import services


def build(side, *, engineer, manager) -> None:
    """The customer's CSR document in two revisions, the second changing a clause; the mapped
    clause names the side's controlled document when the documents scenario made one."""
    marker = side.secret
    first = services.csr_create(
        actor=engineer,
        customer=side.customer,
        title=f"{marker} customer-specific requirements",
        reference=f"{side.marker}-CSR",
        revision="1",
        issued_on=dt.date(2026, 1, 15),
        owner=manager,
    )
    for number in ("4.1", "4.2"):
        services.clause_add(
            document=first,
            actor=engineer,
            number=number,
            title=f"{marker} clause {number}",
            text=f"{marker} requirement {number}",
        )
    current = services.csr_revise(
        document=first,
        actor=engineer,
        revision="2",
        issued_on=dt.date(2026, 6, 1),
        clauses=[
            {"number": "4.1", "title": f"{marker} clause 4.1", "text": f"{marker} changed"},
            {"number": "4.3", "title": f"{marker} clause 4.3", "text": f"{marker} added"},
        ],
    )
    clause = current.clauses.get(number="4.1")
    services.clause_map(
        clause=clause,
        actor=engineer,
        status="implemented",
        fulfilled_by=side.extra.get("document"),
        process=f"{marker} process",
        owner=engineer,
    )
    side.extra["csr_document"] = current
    side.extra["csr_clause"] = clause
