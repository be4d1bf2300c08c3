"""Routes of the deviations and concessions module, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_deviations.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

import datetime as dt

from changes.deviations.services import TRANSITION_SERVICES
from changes.deviations.workflow import DECISIONS

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of, png_upload

# Read from the product: a new transition is swept without an edit here.
TRANSITIONS = tuple(TRANSITION_SERVICES)


def _deviation(side):
    return side.extra["deviation"]


_PK = _of(pk=lambda side: _deviation(side).pk)


def _each(name: str, values):
    return lambda side: [{"pk": _deviation(side).pk, name: value} for value in values]


def _fields(side) -> dict:
    return {
        "kind": "concession",
        "title": "Changed title",
        "parts": [side.part.pk],
        "quantity_cap": 10,
        "specification": "Spec",
        "actual": "Actual",
        "reason": "Reason",
        "risk_assessment": "Risk",
        "identification": "Label",
        "version": _deviation(side).version,
    }


def _shipment(side) -> dict:
    return {
        "shipped_on": dt.date.today().isoformat(),
        "quantity": 1,
        "lot": "",
        "shipping_reference": "DN-SWEEP",
    }


def _decision(side) -> dict:
    return {"password": "wrong-password", "authorisation": "AUTH", "reason": "Stated reason"}


def _lists(side) -> list[dict]:
    return [
        {"customer": side.customer.pk},
        {"part": side.part.pk},
        {"claim": side.claim.pk},
        {"expiring": "true"},
    ]


PAGES = {
    "changes:deviation-list": Route(Access.LIST, methods=GET_ONLY, queries=_lists),
    "changes:deviation-export": Route(Access.LIST, methods=GET_ONLY, queries=_lists),
    "changes:deviation-create": Route(Access.STAFF_ONLY, sample=_fields),
    "changes:deviation-detail": Route(Access.TENANT_RECORD, _PK, methods=GET_ONLY),
    "changes:deviation-pdf": Route(Access.TENANT_RECORD, _PK, methods=GET_ONLY),
    "changes:deviation-update": Route(
        Access.TENANT_RECORD,
        _PK,
        sample=_fields,
        echoes=False,
        note="Staff only, but looked up first: another customer's deviation is a 404.",
    ),
    "changes:deviation-transition": Route(
        Access.TENANT_RECORD,
        _each("action", TRANSITIONS),
        methods=POST_ONLY,
        sample=lambda side: {"reason": "Stated reason"},
    ),
    "changes:deviation-decide": Route(
        Access.TENANT_RECORD, _each("decision", DECISIONS), methods=POST_ONLY, sample=_decision
    ),
    "changes:deviation-shipment-add": Route(
        Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=_shipment
    ),
    "changes:deviation-attachment-add": Route(
        Access.TENANT_RECORD,
        _PK,
        methods=POST_ONLY,
        sample=lambda side: {"files": png_upload()},
    ),
}

API = {
    "deviation-list": Route(
        Access.LIST,
        queries=_lists,
        sample=_fields,
        note="Creating on another customer's part is a 400: the parts field is scoped.",
    ),
    "deviation-export": Route(Access.LIST, queries=_lists),
    "deviation-detail": Route(
        Access.TENANT_RECORD, _PK, sample=lambda side: {"title": "Changed title"}
    ),
    "deviation-request": Route(Access.TENANT_RECORD, _PK),
    "deviation-close": Route(
        Access.TENANT_RECORD, _PK, sample=lambda side: {"reason": "Stated reason"}
    ),
    "deviation-cancel": Route(
        Access.TENANT_RECORD, _PK, sample=lambda side: {"reason": "Stated reason"}
    ),
    "deviation-approve": Route(Access.TENANT_RECORD, _PK, sample=_decision),
    "deviation-reject": Route(Access.TENANT_RECORD, _PK, sample=_decision),
    "deviation-shipments": Route(Access.TENANT_RECORD, _PK, sample=_shipment),
    "deviation-events": Route(Access.TENANT_RECORD, _PK, echoes=False),
    "deviation-pdf": Route(Access.TENANT_RECORD, _PK),
}

REGISTRY: dict = {**PAGES, **API}
