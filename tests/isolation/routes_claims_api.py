"""The claims module's API routes under /api/v1/ (claims, 8D, costs and the API's own entry
points), classified for the isolation sweep.

Merged into ``routes.REGISTRY``; the URL parameters come from a ``Side`` of ``scenario.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .routes import (
    Access,
    Kwargs,
    Route,
    Side,
    _attachments,
    _cause,
    _claim_fields,
    _containment,
    _cost_line,
    _of,
    _read_across,
    _step_actions,
    _today,
    png_upload,
)


def _api_claim(**params: Callable[[Side], object]) -> Kwargs:
    return _of(pk=lambda side: side.claim.pk, **params)


def _api_rows(attribute: str) -> Kwargs:
    return lambda side: [{"pk": side.claim.pk, "row_id": getattr(side, attribute).pk}]


def _api_action(side) -> dict:
    return {
        "kind": "corrective",
        "title": "Changed action",
        "owner": side.owner.pk,
        "due_date": _today(),
        "causes": [side.cause.pk],
        "verification": "Trial run",
    }


def _api_containment(side) -> dict:
    return {"location": "own_finished", **_containment(side)}


def _api_cause(side) -> dict:
    return {**_cause(side), "whys": ["Why"]}


_API_CLAIM = _api_claim()
_API_WRITE = {"claim_write": True}
_READ_ONLY_FOR_CUSTOMERS = frozenset({"POST", "PUT", "PATCH"})


def _reason(side) -> dict:
    return {"reason": "Stated reason"}


REGISTRY: dict[str, Route] = {
    "api-root": Route(Access.PUBLIC, note="Lists the resources; 403 until signed in."),
    "api-token": Route(Access.PUBLIC),
    "metrics-ppm": Route(
        Access.LIST,
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}, {"part": side.part.pk}],
        note="Another customer's id (customer or part) is a 404, as documented.",
        echoes=False,
    ),
    "metrics-kpis": Route(
        Access.LIST,
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}],
        echoes=False,
    ),
    "customer-list": Route(Access.LIST, forbidden=frozenset({"POST"})),
    "customer-detail": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.customer.pk),
        forbidden=_READ_ONLY_FOR_CUSTOMERS,
        note="Writing master data needs a capability, refused before the customer is looked up.",
    ),
    "customer-requirements": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.customer.pk),
        forbidden=frozenset({"PATCH"}),
        echoes=False,
        note="Agreed numbers hold no text of the customer's to echo.",
    ),
    "customer-holidays": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.customer.pk),
        forbidden=frozenset({"POST"}),
        sample=lambda side: {"date": "2026-12-31", "name": "New Year's Eve"},
    ),
    "customer-holiday": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.customer.pk, holiday_id=lambda side: side.holiday.pk),
        forbidden=frozenset({"DELETE"}),
    ),
    "plant-list": Route(Access.LIST, forbidden=frozenset({"POST"}), echoes=False),
    "plant-detail": Route(
        Access.SHARED, _of(pk=lambda side: side.part.plant_id), forbidden=_READ_ONLY_FOR_CUSTOMERS
    ),
    "part-list": Route(Access.LIST, forbidden=frozenset({"POST"})),
    "part-detail": Route(
        Access.TENANT_RECORD, _of(pk=lambda side: side.part.pk), forbidden=_READ_ONLY_FOR_CUSTOMERS
    ),
    "action-list": Route(Access.LIST),
    "action-detail": Route(Access.TENANT_RECORD, _of(pk=lambda side: side.action.pk)),
    "action-start": Route(Access.TENANT_RECORD, _of(pk=lambda side: side.action.pk)),
    "action-complete": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.action.pk),
        sample=lambda side: {"note": "Done"},
    ),
    "action-reopen": Route(Access.TENANT_RECORD, _of(pk=lambda side: side.action.pk)),
    "action-check-effectiveness": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.action.pk),
        sample=lambda side: {"effective": True, "evidence": "Checked"},
    ),
    "action-cancel": Route(
        Access.TENANT_RECORD, _of(pk=lambda side: side.action.pk), sample=_reason
    ),
    "attachment-list": Route(Access.LIST),
    "attachment-detail": Route(Access.TENANT_RECORD, _attachments),
    "attachment-download": Route(Access.TENANT_RECORD, _attachments, echoes=False),
    "claim-list": Route(
        Access.LIST,
        queries=lambda side: [{"customer": side.customer.pk}, {"part": side.part.pk}],
        sample=_claim_fields,
        note="Filing on another customer's part is a 400: the part field is scoped.",
    ),
    "claim-export": Route(Access.LIST, queries=lambda side: [{"customer": side.customer.pk}]),
    "claim-detail": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"symptom": "Changed symptom"},
        **_API_WRITE,
    ),
    "claim-submit": Route(Access.TENANT_RECORD, _API_CLAIM, **_API_WRITE),
    "claim-acknowledge": Route(Access.TENANT_RECORD, _API_CLAIM, **_API_WRITE),
    "claim-assign": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"engineer": side.owner.pk},
        **_API_WRITE,
    ),
    "claim-start-review": Route(Access.TENANT_RECORD, _API_CLAIM, **_API_WRITE),
    "claim-accept-responsibility": Route(Access.TENANT_RECORD, _API_CLAIM, **_API_WRITE),
    "claim-reject-responsibility": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"rejection_code": "no_fault_found", "reason": "All parts OK"},
        **_API_WRITE,
    ),
    "claim-customer-accept": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"comment": ""}, **_API_WRITE
    ),
    "claim-customer-reject": Route(Access.TENANT_RECORD, _API_CLAIM, sample=_reason, **_API_WRITE),
    "claim-customer-accept-provisionally": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"due_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
        **_API_WRITE,
    ),
    "claim-effectiveness-evidence": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"evidence": "3 lots without burr"},
        **_API_WRITE,
    ),
    "claim-customer-confirm-effectiveness": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"comment": ""}, **_API_WRITE
    ),
    "claim-customer-reject-effectiveness": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=_reason, **_API_WRITE
    ),
    "claim-reopen": Route(Access.TENANT_RECORD, _API_CLAIM, sample=_reason, **_API_WRITE),
    "claim-cancel": Route(Access.TENANT_RECORD, _API_CLAIM, sample=_reason, **_API_WRITE),
    "claim-classify": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"defect_source": "design"},
        **_API_WRITE,
    ),
    "claim-link": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"master": side.claim.pk},
        **_API_WRITE,
    ),
    "claim-unlink": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"reason": "x"}, **_API_WRITE
    ),
    "claim-steps": Route(Access.TENANT_RECORD, _API_CLAIM),
    "claim-step-action": Route(
        Access.TENANT_RECORD,
        _step_actions,
        sample=lambda side: {"summary": "Changed", "comment": "Changed"},
        **_API_WRITE,
    ),
    "claim-comments": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"body": "A question"}, **_API_WRITE
    ),
    "claim-events": Route(Access.TENANT_RECORD, _API_CLAIM, echoes=False),
    "claim-attachments": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"file": png_upload()},
        multipart=True,
        **_API_WRITE,
    ),
    "claim-report": Route(Access.TENANT_RECORD, _API_CLAIM),
    "claim-eightd-team": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"name": "New member", "role": "member"},
        **_API_WRITE,
    ),
    "claim-eightd-team-row": Route(
        Access.TENANT_RECORD,
        _api_rows("team"),
        sample=lambda side: {"name": "Changed member"},
        **_API_WRITE,
    ),
    "claim-eightd-containment": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {**_api_containment(side), "location": "in_transit"},
        **_API_WRITE,
    ),
    "claim-eightd-containment-row": Route(
        Access.TENANT_RECORD, _api_rows("containment"), sample=_api_containment, **_API_WRITE
    ),
    "claim-eightd-containment-remove": Route(
        Access.TENANT_RECORD,
        _api_rows("containment"),
        sample=lambda side: {"note": "Lift"},
        **_API_WRITE,
    ),
    "claim-eightd-causes": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=_api_cause, **_API_WRITE, echoes=False
    ),
    "claim-eightd-causes-row": Route(
        Access.TENANT_RECORD, _api_rows("cause"), sample=_api_cause, **_API_WRITE
    ),
    "claim-eightd-causes-verify": Route(
        Access.TENANT_RECORD,
        _api_rows("cause"),
        sample=lambda side: {"method": "On and off", "evidence": "Trial"},
        **_API_WRITE,
    ),
    "claim-eightd-causes-rule-out": Route(
        Access.TENANT_RECORD,
        _api_rows("cause"),
        sample=lambda side: {"evidence": "Not it"},
        **_API_WRITE,
    ),
    "claim-eightd-actions": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=_api_action, **_API_WRITE, echoes=False
    ),
    "claim-eightd-actions-row": Route(
        Access.TENANT_RECORD,
        lambda side: [
            {"pk": side.claim.pk, "row_id": side.corrective.pk},
            {"pk": side.claim.pk, "row_id": side.preventive.pk},
        ],
        sample=lambda side: {"title": "Changed action"},
        **_API_WRITE,
    ),
    "claim-eightd-actions-implement": Route(
        Access.TENANT_RECORD,
        _api_rows("corrective"),
        sample=lambda side: {"implemented_on": _today(), "validation": "3 lots OK"},
        **_API_WRITE,
    ),
    "claim-customer-actions": Route(
        Access.TENANT_RECORD,
        _API_CLAIM,
        sample=lambda side: {"step": "D5", "title": "Gauge check", "due_date": _today()},
        echoes=False,
        **_API_WRITE,
    ),
    "claim-customer-action-decide": Route(
        Access.TENANT_RECORD,
        _api_rows("corrective"),
        sample=lambda side: {"verdict": "declined", "comment": "Not enough"},
        **_API_WRITE,
    ),
    "claim-customer-action-revise": Route(
        Access.TENANT_RECORD,
        _api_rows("corrective"),
        sample=lambda side: {"title": "Revised", "due_date": _today(), "note": "Gauge added"},
        **_API_WRITE,
    ),
    "claim-eightd-read-across": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=_read_across, **_API_WRITE, echoes=False
    ),
    "claim-eightd-read-across-row": Route(
        Access.TENANT_RECORD, _api_rows("read_across"), sample=_read_across, **_API_WRITE
    ),
    "claim-costs": Route(Access.TENANT_RECORD, _API_CLAIM),
    "claim-cost-lines": Route(Access.TENANT_RECORD, _API_CLAIM, sample=_cost_line, **_API_WRITE),
    "claim-cost-line": Route(
        Access.TENANT_RECORD,
        _api_claim(line_id=lambda side: side.cost_line.pk),
        sample=lambda side: {"quantity": "5"},
        **_API_WRITE,
    ),
    "claim-cost-line-remove": Route(
        Access.TENANT_RECORD, _api_claim(line_id=lambda side: side.cost_line.pk), **_API_WRITE
    ),
    "claim-costs-release": Route(Access.TENANT_RECORD, _API_CLAIM, **_API_WRITE),
    "claim-costs-accept": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"comment": ""}, **_API_WRITE
    ),
    "claim-costs-dispute": Route(Access.TENANT_RECORD, _API_CLAIM, sample=_reason, **_API_WRITE),
    "claim-costs-reopen": Route(
        Access.TENANT_RECORD, _API_CLAIM, sample=lambda side: {"comment": ""}, **_API_WRITE
    ),
    "delivery-list": Route(Access.LIST),
    "delivery-detail": Route(Access.TENANT_RECORD, _of(pk=lambda side: side.delivery.pk)),
    "delivery-bulk": Route(Access.STAFF_ONLY),
    "report-list": Route(Access.STAFF_ONLY, staff="manager"),
    "report-detail": Route(Access.STAFF_ONLY, _of(pk=lambda side: side.report.pk), staff="manager"),
    "report-download": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.report.pk), staff="manager"
    ),
    "report-generate": Route(Access.STAFF_ONLY, staff="manager"),
    "audit-catalogue-import": Route(
        Access.STAFF_ONLY, staff="manager", sample=lambda side: {"format": "json"}
    ),
    "audit-catalogue-export": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.extra["audit_catalogue"].pk)
    ),
}
