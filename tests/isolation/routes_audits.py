"""Routes of the audits module (audits, findings, catalogues), classified for the isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_audits.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from audits.services import AUDIT_SERVICES, FINDING_SERVICES

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of, png_upload

_AUDIT = _of(pk=lambda side: side.extra["audit"].pk)
_FINDING = _of(pk=lambda side: side.extra["audit_finding"].pk)
_CATALOGUE = _of(pk=lambda side: side.extra["audit_catalogue"].pk)
# The page's own write besides the transitions: the report summary.
AUDIT_ACTIONS = (*AUDIT_SERVICES, "summary")


def _each(record: str, name: str, values):
    return lambda side: [{"pk": side.extra[record].pk, name: value} for value in values]


def _reason(side) -> dict:
    return {"reason": "Stated reason", "summary": "Changed summary"}


def _finding(side) -> dict:
    return {"classification": "minor", "description": "Another finding", "score": 6}


def _answer(side) -> dict:
    return {"score": "6", "note": "Changed", "step": ""}


def _plan(side) -> dict:
    return {
        "type": "customer",
        "title": "Planned",
        "customer": side.customer.pk,
        "planned_date": "2026-05-04",
    }


PAGES = {
    "audits:audit-list": Route(
        Access.LIST, methods=GET_ONLY, queries=lambda side: [{"customer": side.customer.pk}]
    ),
    "audits:finding-list": Route(Access.LIST, methods=GET_ONLY),
    "audits:audit-create": Route(Access.STAFF_ONLY, staff="manager", sample=_plan),
    "audits:programme-list": Route(
        Access.STAFF_ONLY, sample=lambda side: {"year": 2031, "title": "Programme"}
    ),
    "audits:coverage": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "audits:audit-detail": Route(Access.TENANT_RECORD, _AUDIT, methods=GET_ONLY),
    "audits:audit-report": Route(Access.TENANT_RECORD, _AUDIT, methods=GET_ONLY),
    "audits:audit-update": Route(Access.STAFF_ONLY, _AUDIT, staff="manager", sample=_plan),
    "audits:audit-conduct": Route(Access.STAFF_ONLY, _AUDIT, methods=GET_ONLY),
    "audits:answer-save": Route(
        Access.STAFF_ONLY,
        _of(
            pk=lambda side: side.extra["audit"].pk,
            question_pk=lambda side: side.extra["audit_question"].pk,
        ),
        methods=POST_ONLY,
        sample=_answer,
    ),
    "audits:answer-attachment-add": Route(
        Access.STAFF_ONLY,
        _of(
            pk=lambda side: side.extra["audit"].pk,
            answer_pk=lambda side: side.extra["audit_answer"].pk,
        ),
        methods=POST_ONLY,
        sample=lambda side: {"files": png_upload()},
    ),
    "audits:finding-add": Route(Access.STAFF_ONLY, _AUDIT, methods=POST_ONLY, sample=_finding),
    "audits:audit-transition": Route(
        Access.TENANT_RECORD,
        _each("audit", "action", AUDIT_ACTIONS),
        methods=POST_ONLY,
        sample=_reason,
        note="Customer users read their own audits of us; every write needs our capabilities.",
    ),
    "audits:finding-detail": Route(Access.TENANT_RECORD, _FINDING, methods=GET_ONLY),
    "audits:finding-transition": Route(
        Access.TENANT_RECORD,
        _each("audit_finding", "action", tuple(FINDING_SERVICES)),
        methods=POST_ONLY,
        sample=_reason,
        note="The auditing customer confirms the closure of their findings or sends them back.",
    ),
    "audits:finding-action-add": Route(
        Access.STAFF_ONLY,
        _FINDING,
        methods=POST_ONLY,
        sample=lambda side: {"title": "Fix", "owner": side.owner.pk, "due_date": "2026-06-01"},
    ),
    "audits:finding-attachment-add": Route(
        Access.STAFF_ONLY, _FINDING, methods=POST_ONLY, sample=lambda side: {"files": png_upload()}
    ),
    "audits:catalogue-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "audits:catalogue-import": Route(
        Access.STAFF_ONLY,
        methods=POST_ONLY,
        staff="manager",
        sample=lambda side: {"format": "json"},
    ),
    "audits:catalogue-detail": Route(Access.STAFF_ONLY, _CATALOGUE, methods=GET_ONLY),
    "audits:catalogue-new-version": Route(
        Access.STAFF_ONLY,
        _CATALOGUE,
        methods=POST_ONLY,
        staff="manager",
        # The version the scenario's catalogue has: refused on the form, nothing written.
        sample=lambda side: {"version": "1"},
    ),
    "audits:catalogue-export": Route(
        Access.STAFF_ONLY,
        lambda side: [
            {"pk": side.extra["audit_catalogue"].pk, "fmt": fmt} for fmt in ("json", "csv")
        ],
        methods=GET_ONLY,
    ),
}

_API_AUDIT = _of(pk=lambda side: side.extra["audit"].pk)
_API_FINDING = _of(pk=lambda side: side.extra["audit_finding"].pk)


def _api_reason(side) -> dict:
    return {"reason": "Stated reason"}


API = {
    "audit-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        queries=lambda side: [{"customer": side.customer.pk}],
        sample=_plan,
    ),
    "audit-detail": Route(Access.TENANT_RECORD, _API_AUDIT),
    **{
        f"audit-{name}": Route(Access.TENANT_RECORD, _API_AUDIT, sample=_api_reason)
        for name in ("prepare", "start", "draft-report", "send-back", "approve-report", "cancel")
    },
    "audit-answers": Route(
        Access.STAFF_ONLY,
        _API_AUDIT,
        sample=lambda side: {"question": side.extra["audit_question"].pk, "score": 6},
        note="Our auditors' scores: staff only.",
    ),
    "audit-result": Route(Access.STAFF_ONLY, _API_AUDIT),
    "finding-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        sample=lambda side: {"audit": side.extra["audit"].pk, **_finding(side)},
    ),
    "finding-detail": Route(Access.TENANT_RECORD, _API_FINDING),
    **{
        f"finding-{name}": Route(Access.TENANT_RECORD, _API_FINDING, sample=_api_reason)
        for name in ("respond", "close", "confirm-closure", "send-back", "cancel")
    },
    "audit-catalogue-list": Route(Access.STAFF_ONLY),
    "audit-catalogue-detail": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.extra["audit_catalogue"].pk)
    ),
    "audit-catalogue-versions": Route(
        Access.STAFF_ONLY,
        _of(pk=lambda side: side.extra["audit_catalogue"].pk),
        staff="manager",
        sample=lambda side: {"version": "1"},
    ),
}

REGISTRY: dict = {**PAGES, **API}
