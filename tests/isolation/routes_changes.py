"""Routes of the change requests (ECR/ECN) module, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_changes.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from changes.services import CHANGE_SERVICES
from changes.views import ROW_FORMS

from .routes import GET_ONLY, POST_ONLY, Access, Route

CHANGE_ACTIONS = tuple(CHANGE_SERVICES)
# URL segment of a row kind -> the scenario's row of that kind.
SCENARIO_ROWS = {
    "parts": "change_part",
    "documents": "change_document",
    "dispositions": "change_disposition",
    "assessors": "change_assessor",
    "approvers": "change_approver",
}


def _change(side) -> list[dict]:
    return [{"pk": side.extra["change"].pk}]


def _change_each(name: str, values):
    return lambda side: [{"pk": side.extra["change"].pk, name: value} for value in values]


def _row(attribute: str):
    return lambda side: [{"pk": side.extra["change"].pk, "row": side.extra[attribute].pk}]


def _row_removals(side) -> list[dict]:
    return [
        {"pk": side.extra["change"].pk, "kind": kind, "row": side.extra[SCENARIO_ROWS[kind]].pk}
        for kind in ROW_FORMS
    ]


def _transition_body(side) -> dict:
    """Every transition form's inputs at once (each form reads its own prefix)."""
    body = {"version": side.extra["change"].version}
    for action in CHANGE_ACTIONS:
        body.update(
            {
                f"{action}-reason": "Stated reason",
                f"{action}-password": "wrong password",
                f"{action}-until": "2030-01-01",
                f"{action}-results": "Measured",
                f"{action}-implemented_on": "2026-01-01",
                f"{action}-break_point": "Lot 1",
                f"{action}-waived_by": "Someone",
                f"{action}-basis": "Mail",
                f"{action}-waiver_date": "2026-01-01",
            }
        )
    return body


def _row_body(side) -> dict:
    return {
        "parts-part": side.part.pk,
        "parts-new_revision": "C",
        "documents-kind": "spec",
        "documents-identifier": "Spec 1",
        "dispositions-location": "Store",
        "dispositions-quantity": 1,
        "dispositions-disposition": "scrap",
        "assessors-function": "logistics",
        "assessors-user": side.owner.pk,
        "approvers-function": "logistics",
        "approvers-user": side.owner.pk,
    }


def _api_change_body(side) -> dict:
    return {
        "customer": side.customer.pk,
        "title": "Changed title",
        "change_type": "product",
        "origin": "customer",
        "reason": "Changed reason",
    }


_WRITE = {"methods": POST_ONLY}

REGISTRY: dict[str, Route] = {
    # pages
    "changes:change-list": Route(
        Access.LIST, methods=GET_ONLY, queries=lambda side: [{"customer": side.customer.pk}]
    ),
    "changes:change-export": Route(
        Access.LIST, methods=GET_ONLY, queries=lambda side: [{"customer": side.customer.pk}]
    ),
    "changes:change-create": Route(
        Access.STAFF_ONLY, note="Only our staff raise changes; customers decide on notices."
    ),
    "changes:change-detail": Route(Access.TENANT_RECORD, _change, methods=GET_ONLY),
    "changes:change-notice": Route(Access.TENANT_RECORD, _change, methods=GET_ONLY),
    "changes:change-update": Route(
        Access.TENANT_RECORD,
        _change,
        echoes=False,
        sample=lambda side: {"title": "Changed", "version": side.extra["change"].version},
        note="A customer's own change: 403 (only our staff edit).",
    ),
    "changes:change-transition": Route(
        Access.TENANT_RECORD,
        _change_each("action", CHANGE_ACTIONS),
        sample=_transition_body,
        **_WRITE,
    ),
    "changes:board-approve": Route(
        Access.TENANT_RECORD,
        _row("change_approver"),
        sample=lambda side: {"password": "wrong password"},
        **_WRITE,
    ),
    "changes:assessment": Route(
        Access.TENANT_RECORD,
        _row("change_assessor"),
        sample=lambda side: {"assessment": "Changed"},
        **_WRITE,
    ),
    "changes:row-add": Route(
        Access.TENANT_RECORD, _change_each("kind", tuple(ROW_FORMS)), sample=_row_body, **_WRITE
    ),
    "changes:row-remove": Route(Access.TENANT_RECORD, _row_removals, **_WRITE),
    "changes:attachment-add": Route(Access.TENANT_RECORD, _change, **_WRITE),
    # API
    "change-list": Route(
        Access.LIST,
        queries=lambda side: [{"customer": side.customer.pk}, {"awaiting_customer": "true"}],
        sample=_api_change_body,
    ),
    "change-export": Route(Access.LIST, queries=lambda side: [{"customer": side.customer.pk}]),
    "change-detail": Route(Access.TENANT_RECORD, _change, sample=lambda side: {"title": "Changed"}),
    **{
        f"change-{name}": Route(
            Access.TENANT_RECORD,
            _change,
            sample=lambda side: {
                "reason": "Stated",
                "password": "wrong password",
                "comment": "",
                "approver": side.extra["change_approver"].pk,
                "assessor": side.extra["change_assessor"].pk,
                "assessment": "Changed",
                "function": "logistics",
                "user": side.owner.pk,
                "part": side.part.pk,
                "new_revision": "C",
            },
        )
        for name in (
            "submit",
            "start-assessment",
            "board-reject",
            "board-defer",
            "resume",
            "customer-approve",
            "customer-reject",
            "waive",
            "release",
            "validate",
            "implement",
            "close",
            "cancel",
            "board-approve",
            "assess",
            "parts",
            "assessors",
            "approvers",
        )
    },
    "change-events": Route(Access.TENANT_RECORD, _change, echoes=False),
    "change-notice": Route(Access.TENANT_RECORD, _change),
}
