"""Routes of the bulk claim import, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``. The import pages and endpoints work on one customer: a customer
user's own company, or the customer our staff name with ``customer``. B naming A's id is a 404,
like a missing one, on the pages and in the API (query or body), and writes nothing.
"""

from __future__ import annotations

from .routes import GET_ONLY, Access, Route


def _naming_a(side) -> list[dict]:
    return [{"customer": side.customer.pk}]


def _mapping_of(side) -> dict:
    return {"customer": side.customer.pk, "columns": {"part": "Teil"}, "part": "Teil"}


_LIST = {"searchable": False, "echoes": False, "queries": _naming_a}

REGISTRY: dict[str, Route] = {
    # pages
    "claims:claim-import": Route(
        Access.LIST, sample=lambda side: {"customer": side.customer.pk}, **_LIST
    ),
    "claims:claim-import-template": Route(Access.LIST, methods=GET_ONLY, **_LIST),
    "claims:claim-import-mapping": Route(Access.LIST, sample=_mapping_of, **_LIST),
    # API
    "claim-import": Route(
        Access.LIST,
        sample=lambda side: {"customer": side.customer.pk},
        note="POST only; the file goes as multipart, tested in claims/tests/test_imports.py.",
        **_LIST,
    ),
    "claim-import-mapping": Route(Access.LIST, sample=_mapping_of, **_LIST),
}
