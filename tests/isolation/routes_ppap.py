"""Routes of the PPAP submissions module, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_ppap.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from ppap.api.views import ELEMENT_ACTIONS
from ppap.services import SUBMISSION_SERVICES
from ppap.workflow import ELEMENT_WORKFLOW

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of

_SUBMISSION = _of(pk=lambda side: side.extra["ppap"].pk)
_ELEMENT = _of(
    pk=lambda side: side.extra["ppap"].pk, element_pk=lambda side: side.extra["ppap_element"].pk
)
_API_ELEMENT = _of(
    pk=lambda side: side.extra["ppap"].pk, element_id=lambda side: side.extra["ppap_element"].pk
)


def _each(name: str, values, *, element: bool = False, param: str = "element_pk"):
    def kwargs(side) -> list[dict]:
        base = {"pk": side.extra["ppap"].pk}
        if element:
            base[param] = side.extra["ppap_element"].pk
        return [{**base, name: value} for value in values]

    return kwargs


def _disposition(side) -> dict:
    return {
        "disposition": "interim",
        "password": "wrong-password",
        "quantity": 100,
        "nonconformities": "Burr",
        "action_plan": "New punch",
        "comment": "Changed",
    }


def _header(side) -> dict:
    # No filter names here: the API sends a GET's sample as its query.
    return {"reason_detail": "Changed", "vda_scope": "Changed"}


def _create(side) -> dict:
    return {"part": side.part.pk, "reason": "initial", "level": 3}


def _warrant(side) -> dict:
    return {"part_name": "Changed", "purchase_order": "PO-1"}


def _study(side) -> dict:
    return {"characteristic": "Width", "study_type": "ppk", "value": "1.5"}


PAGES = {
    "ppap:submission-list": Route(
        Access.LIST,
        methods=GET_ONLY,
        queries=lambda side: [{"customer": side.customer.pk}, {"part": side.part.pk}],
    ),
    "ppap:submission-create": Route(Access.STAFF_ONLY, sample=_create),
    "ppap:submission-detail": Route(Access.TENANT_RECORD, _SUBMISSION, methods=GET_ONLY),
    "ppap:submission-update": Route(Access.STAFF_ONLY, _SUBMISSION, sample=_header),
    "ppap:submission-transition": Route(
        Access.TENANT_RECORD,
        _each("action", tuple(SUBMISSION_SERVICES)),
        methods=POST_ONLY,
        sample=lambda side: {"reason": "Changed"},
    ),
    "ppap:submission-dispose": Route(
        Access.TENANT_RECORD, _SUBMISSION, methods=POST_ONLY, sample=_disposition
    ),
    "ppap:warrant-edit": Route(Access.STAFF_ONLY, _SUBMISSION, sample=_warrant),
    "ppap:warrant-sign": Route(
        Access.STAFF_ONLY,
        _SUBMISSION,
        methods=POST_ONLY,
        staff="manager",
        sample=lambda side: {"password": "wrong-password"},
    ),
    "ppap:psw-pdf": Route(Access.TENANT_RECORD, _SUBMISSION, methods=GET_ONLY),
    "ppap:package": Route(Access.TENANT_RECORD, _SUBMISSION, methods=GET_ONLY, echoes=False),
    "ppap:study-add": Route(Access.STAFF_ONLY, _SUBMISSION, methods=POST_ONLY, sample=_study),
    "ppap:element-update": Route(
        Access.STAFF_ONLY,
        _ELEMENT,
        methods=POST_ONLY,
        sample=lambda side: {"not_applicable": "on", "na_reason": "Changed"},
    ),
    "ppap:element-attachment-add": Route(
        Access.STAFF_ONLY, _ELEMENT, methods=POST_ONLY, note="Only our staff add element files."
    ),
    "ppap:element-action": Route(
        Access.TENANT_RECORD,
        _each("action", tuple(ELEMENT_WORKFLOW.transitions), element=True),
        methods=POST_ONLY,
        sample=lambda side: {"comment": "Changed"},
    ),
}

API = {
    "ppap-submission-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        queries=lambda side: [{"customer": side.customer.pk}, {"part": side.part.pk}],
        sample=_create,
    ),
    "ppap-submission-detail": Route(Access.TENANT_RECORD, _SUBMISSION, sample=_header),
    "ppap-submission-send": Route(Access.TENANT_RECORD, _SUBMISSION),
    "ppap-submission-cancel": Route(
        Access.TENANT_RECORD, _SUBMISSION, sample=lambda side: {"reason": "Changed"}
    ),
    "ppap-submission-resubmit": Route(Access.TENANT_RECORD, _SUBMISSION),
    "ppap-submission-dispose": Route(Access.TENANT_RECORD, _SUBMISSION, sample=_disposition),
    "ppap-submission-elements": Route(Access.TENANT_RECORD, _SUBMISSION),
    "ppap-submission-element": Route(
        Access.STAFF_ONLY, _API_ELEMENT, sample=lambda side: {"na_reason": "Changed"}
    ),
    "ppap-submission-element-action": Route(
        Access.TENANT_RECORD,
        _each("element_action", ELEMENT_ACTIONS, element=True, param="element_id"),
        sample=lambda side: {"comment": "Changed"},
    ),
    "ppap-submission-element-attachments": Route(
        Access.TENANT_RECORD, _API_ELEMENT, forbidden=frozenset({"POST"})
    ),
    "ppap-submission-warrant": Route(Access.TENANT_RECORD, _SUBMISSION, sample=_warrant),
    "ppap-submission-warrant-sign": Route(
        Access.TENANT_RECORD, _SUBMISSION, sample=lambda side: {"password": "wrong-password"}
    ),
    "ppap-submission-studies": Route(Access.TENANT_RECORD, _SUBMISSION, sample=_study),
    "ppap-submission-events": Route(Access.TENANT_RECORD, _SUBMISSION, echoes=False),
    "ppap-submission-psw": Route(Access.TENANT_RECORD, _SUBMISSION),
    "ppap-submission-package": Route(Access.TENANT_RECORD, _SUBMISSION, echoes=False),
}

REGISTRY: dict = {**PAGES, **API}
