"""Routes of the bulk claim import, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``. The import pages and endpoints work on one customer: a customer
user's own company, or the customer our staff name with ``customer``. B naming A's id is a 404,
like a missing one, on the pages and in the API (query or body), and writes nothing. One import
(its page, its status) is A's record: B gets a 404; it is built by ``scenario_claim_imports``.
"""

from __future__ import annotations

from .routes import GET_ONLY, Access, Route, _of


def _naming_a(side) -> list[dict]:
    return [{"customer": side.customer.pk}]


def _mapping_of(side) -> dict:
    return {"customer": side.customer.pk, "columns": {"part": "Teil"}, "part": "Teil"}


_LIST = {"searchable": False, "echoes": False, "queries": _naming_a}
_IMPORT = _of(pk=lambda side: side.extra["claim_import"].pk)

REGISTRY: dict[str, Route] = {
    # pages
    "claims:claim-import": Route(
        Access.LIST, sample=lambda side: {"customer": side.customer.pk}, **_LIST
    ),
    "claims:claim-import-template": Route(Access.LIST, methods=GET_ONLY, **_LIST),
    "claims:claim-import-mapping": Route(Access.LIST, sample=_mapping_of, **_LIST),
    "claims:claim-import-detail": Route(Access.TENANT_RECORD, _IMPORT, methods=GET_ONLY),
    # The status fragment the page polls: no file name in it.
    "claims:claim-import-progress": Route(
        Access.TENANT_RECORD, _IMPORT, methods=GET_ONLY, echoes=False
    ),
    # API
    "claim-import": Route(
        Access.LIST,
        sample=lambda side: {"customer": side.customer.pk},
        note="POST only; the file goes as multipart, tested in claims/tests/test_imports.py.",
        **_LIST,
    ),
    "claim-import-mapping": Route(Access.LIST, sample=_mapping_of, **_LIST),
    "claim-import-status": Route(
        Access.TENANT_RECORD,
        _of(import_id=lambda side: side.extra["claim_import"].pk),
        echoes=False,
    ),
}
