"""Routes of the customer-specific requirements register, classified for the isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_csr.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of


def _document(side):
    return side.extra["csr_document"]


def _clause(side):
    return side.extra["csr_clause"]


_PK = _of(pk=lambda side: _document(side).pk)
_CUSTOMER = _of(customer_pk=lambda side: side.customer.pk)
_CLAUSE = _of(pk=lambda side: _document(side).pk, clause_pk=lambda side: _clause(side).pk)
_API_CLAUSE = _of(pk=lambda side: _document(side).pk, clause_id=lambda side: _clause(side).pk)


def _fields(side) -> dict:
    return {
        "customer": side.customer.pk,
        "title": "Changed title",
        "reference": "REF-NEW",
        "revision": "9",
        "issued_on": "2026-11-02",
        "owner": side.owner.pk,
        "number": "9.9",
        "text": "A new requirement",
        "status": "implemented",
        "process": "Stated process",
        "version": _clause(side).version,
    }


def _lists(side) -> list[dict]:
    return [{"customer": side.customer.pk}, {"latest": "on"}, {"open_clauses": "on"}]


def _api_lists(side) -> list[dict]:
    return [{"customer": side.customer.pk}, {"latest": "true"}]


PAGES = {
    "csr:csr-list": Route(Access.LIST, methods=GET_ONLY, queries=_lists),
    "csr:customer-register": Route(Access.TENANT_RECORD, _CUSTOMER, methods=GET_ONLY),
    "csr:csr-create": Route(Access.STAFF_ONLY, sample=_fields),
    "csr:csr-detail": Route(Access.TENANT_RECORD, _PK, methods=GET_ONLY),
    "csr:csr-revise": Route(
        Access.TENANT_RECORD,
        _PK,
        sample=_fields,
        echoes=False,
        note="Staff only, but looked up first: another customer's document is a 404.",
    ),
    "csr:clause-add": Route(Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=_fields),
    "csr:clause-map": Route(Access.TENANT_RECORD, _CLAUSE, methods=POST_ONLY, sample=_fields),
}

API = {
    "csr-document-list": Route(
        Access.LIST,
        queries=_api_lists,
        sample=_fields,
        note="Customers may not create CSR documents (403); staff's fields are scoped.",
    ),
    "csr-document-detail": Route(Access.TENANT_RECORD, _PK),
    "csr-document-revise": Route(Access.TENANT_RECORD, _PK, sample=_fields),
    "csr-document-changes": Route(
        Access.TENANT_RECORD, _PK, echoes=False, note="Clause numbers only."
    ),
    "csr-document-clauses": Route(Access.TENANT_RECORD, _PK, sample=_fields),
    "csr-document-clause": Route(Access.TENANT_RECORD, _API_CLAUSE, sample=_fields),
}

REGISTRY: dict = {**PAGES, **API}
