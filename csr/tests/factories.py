"""CSR documents with clauses, made through the services as the pages make them."""

import datetime as dt

from csr import services


def new_csr(*, actor, customer, owner=None, reference="CSR-1", revision="1", clauses=()):
    document = services.csr_create(
        actor=actor,
        customer=customer,
        title=f"{customer.name} requirements",
        reference=reference,
        revision=revision,
        issued_on=dt.date(2026, 1, 10),
        owner=owner or actor,
    )
    for number, text in clauses:
        services.clause_add(
            document=document, actor=actor, number=number, title=f"Clause {number}", text=text
        )
    return document
