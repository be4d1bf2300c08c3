"""Routes of the special status register, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_special_status.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

import datetime as dt

from special_status.api.views import CRITERION_ACTIONS as API_CRITERION_ACTIONS
from special_status.services import DECISION_SERVICES, TRANSITION_SERVICES
from special_status.views import CRITERION_ACTIONS

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of, png_upload

# Read from the product: a new transition or criterion action is swept without an edit here.
TRANSITIONS = tuple(TRANSITION_SERVICES)
DECISIONS = tuple(DECISION_SERVICES)


def _status(side):
    return side.extra["special_status"]


def _criterion(side):
    return side.extra["special_status_criterion"]


_PK = _of(pk=lambda side: _status(side).pk)
_CRITERION = _of(pk=lambda side: _status(side).pk, criterion_pk=lambda side: _criterion(side).pk)
_API_CRITERION = _of(
    pk=lambda side: _status(side).pk, criterion_id=lambda side: _criterion(side).pk
)


def _each(name: str, values, **more):
    def kwargs(side) -> list[dict]:
        base = {"pk": _status(side).pk}
        base.update({key: value(side) for key, value in more.items()})
        return [{**base, name: value} for value in values]

    return kwargs


def _fields(side) -> dict:
    return {
        "customer": side.customer.pk,
        "kind": "cs1",
        "started_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "customer_reference": "SWEEP-REF",
        "reason": "Changed reason",
        "parts": [side.part.pk],
        "version": _status(side).version,
    }


def _criterion_inputs(side) -> dict:
    return {
        "text": "Changed criterion",
        "met_on": dt.date.today().isoformat(),
        "evidence": "Stated evidence",
        "reason": "Stated reason",
    }


def _decision(side) -> dict:
    return {"password": "wrong-password", "reason": "Stated reason", "closing_note": "Note"}


def _costs(side) -> dict:
    return {"inspection_hours": "1.50", "hourly_rate": "10.00", "currency": "EUR"}


def _lists(side) -> list[dict]:
    return [
        {"customer": side.customer.pk},
        {"part": side.part.pk},
        {"kind": "cs2"},
        {"in_force": "on"},
        {"waiting": "us"},
    ]


def _api_lists(side) -> list[dict]:
    return [{"customer": side.customer.pk}, {"part": side.part.pk}, {"in_force": "true"}]


PAGES = {
    "special_status:status-list": Route(Access.LIST, methods=GET_ONLY, queries=_lists),
    "special_status:status-create": Route(Access.STAFF_ONLY, sample=_fields),
    "special_status:status-detail": Route(Access.TENANT_RECORD, _PK, methods=GET_ONLY),
    "special_status:status-update": Route(
        Access.TENANT_RECORD,
        _PK,
        sample=_fields,
        echoes=False,
        note="Staff only, but looked up first: another customer's status is a 404.",
    ),
    "special_status:status-transition": Route(
        Access.TENANT_RECORD, _each("action", TRANSITIONS), methods=POST_ONLY
    ),
    "special_status:status-decide": Route(
        Access.TENANT_RECORD, _each("decision", DECISIONS), methods=POST_ONLY, sample=_decision
    ),
    "special_status:status-costs": Route(
        Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=_costs
    ),
    "special_status:status-attachment-add": Route(
        Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=lambda side: {"files": png_upload()}
    ),
    "special_status:criterion-add": Route(
        Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=_criterion_inputs
    ),
    "special_status:criterion-action": Route(
        Access.TENANT_RECORD,
        _each("action", tuple(CRITERION_ACTIONS), criterion_pk=lambda side: _criterion(side).pk),
        methods=POST_ONLY,
        sample=_criterion_inputs,
    ),
    "special_status:criterion-attachment-add": Route(
        Access.TENANT_RECORD,
        _CRITERION,
        methods=POST_ONLY,
        sample=lambda side: {"files": png_upload()},
    ),
}

API = {
    "special-status-list": Route(
        Access.LIST,
        queries=_api_lists,
        sample=_fields,
        note="Customers may not open statuses (403); staff's parts field is scoped.",
    ),
    "special-status-detail": Route(
        Access.TENANT_RECORD, _PK, sample=lambda side: {"reason": "Changed reason"}
    ),
    "special-status-request-exit": Route(Access.TENANT_RECORD, _PK),
    "special-status-sign-exit": Route(Access.TENANT_RECORD, _PK, sample=_decision),
    "special-status-decline-exit": Route(Access.TENANT_RECORD, _PK, sample=_decision),
    "special-status-costs": Route(Access.TENANT_RECORD, _PK, sample=_costs),
    "special-status-events": Route(Access.TENANT_RECORD, _PK),
    "special-status-attachments": Route(
        Access.TENANT_RECORD,
        _PK,
        sample=lambda side: {"file": png_upload()},
        multipart=True,
    ),
    "special-status-criteria": Route(Access.TENANT_RECORD, _PK, sample=_criterion_inputs),
    "special-status-criterion": Route(
        Access.TENANT_RECORD, _API_CRITERION, sample=_criterion_inputs
    ),
    "special-status-criterion-action": Route(
        Access.TENANT_RECORD,
        _each(
            "criterion_action",
            tuple(API_CRITERION_ACTIONS),
            criterion_id=lambda side: _criterion(side).pk,
        ),
        sample=_criterion_inputs,
    ),
    "special-status-criterion-attachments": Route(
        Access.TENANT_RECORD,
        _API_CRITERION,
        sample=lambda side: {"file": png_upload()},
        multipart=True,
    ),
}

REGISTRY: dict = {**PAGES, **API}
